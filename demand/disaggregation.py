"""Spread an edit made at any level of the plan down to its leaf cells. Plain Python.

A planner edits a total (a family in a region in a month, a whole row over a
range of months); the leaves under it change in proportion to a weight (the
statistical baseline, or the current plan for a percentage change), evenly
where all weights are zero. Leaf values are whole units and always add up
exactly to the edited total: largest-remainder rounding, ties to the first
leaf, so the same edit always gives the same cells.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import floor

Number = int | float | Decimal | Fraction


class EditMode(StrEnum):
    SET = "set"  # the total becomes the value
    ADD = "add"  # the value (units, may be negative) is added to the total
    PERCENT = "percent"  # the total changes by value percent


class DisaggregationError(ValueError):
    """The edit cannot be spread; the message says why in the planner's words."""


@dataclass(frozen=True)
class Edit:
    mode: EditMode
    value: Number  # a Decimal from the services: exact, no binary rounding


def spread_total(weights: Sequence[Number], total: int) -> list[int]:
    """Whole, non-negative leaf values in proportion to weights, summing to total."""
    return whole_units(_shares([Fraction(w) for w in weights], Fraction(total)))


def apply_edit(current: Sequence[Number], baseline: Sequence[Number], edit: Edit) -> list[int]:
    """New whole-unit leaf values after an edit of their total, exact to the unit.

    The edited total is computed from the exact current figures (decimals and
    all), rounded once, and the leaves are its largest-remainder split:
    SET spreads the new total by the baseline; ADD spreads the difference by the
    baseline (a cut by the current values, so no leaf goes below zero);
    PERCENT scales every leaf by the same factor, keeping the current mix.
    """
    if len(current) != len(baseline):
        raise DisaggregationError("Current values and baseline cover different cells.")
    now, weights = [Fraction(c) for c in current], [Fraction(b) for b in baseline]
    return whole_units(_targets(now, weights, edit.mode, Fraction(edit.value)))


def _targets(
    current: list[Fraction], baseline: list[Fraction], mode: EditMode, value: Fraction
) -> list[Fraction]:
    """The exact (unrounded) leaf values the edit asks for."""
    if mode is EditMode.SET:
        return _shares(baseline, value)
    if mode is EditMode.ADD:
        return _add(current, baseline, value)
    factor = 1 + value / 100
    if factor < 0:
        raise DisaggregationError(f"A change of {float(value):g}% would make demand negative.")
    return [leaf * factor for leaf in current]


def _shares(weights: list[Fraction], total: Fraction) -> list[Fraction]:
    if total < 0:
        raise DisaggregationError(f"A total of {_whole(total)} would make demand negative.")
    if not weights:
        if total:
            raise DisaggregationError("There are no cells under this total to spread it to.")
        return []
    if any(weight < 0 for weight in weights):
        raise DisaggregationError("Weights for spreading must not be negative.")
    weight_sum = sum(weights, Fraction(0))
    if weight_sum > 0:
        return [total * weight / weight_sum for weight in weights]
    return [total / len(weights)] * len(weights)


def _add(current: list[Fraction], baseline: list[Fraction], delta: Fraction) -> list[Fraction]:
    if delta >= 0:
        return [a + b for a, b in zip(current, _shares(baseline, delta), strict=True)]
    total = sum(current, Fraction(0))
    if -delta > total:
        raise DisaggregationError(
            f"Cannot take {_whole(-delta)} units from a total of {_whole(total)}: "
            "demand would be negative."
        )
    return [leaf * (total + delta) / total for leaf in current]


def whole_units(targets: Sequence[Fraction]) -> list[int]:
    """Whole units, each within one of its target, adding up to the rounded sum of the targets.

    Largest remainder: every leaf gets the floor of its target, and the units
    still missing from the rounded total go to the largest fractions, ties to
    the first leaf.
    """
    if not targets:
        return []
    floors = [floor(target) for target in targets]
    missing = _whole(sum(targets, Fraction(0))) - sum(floors)
    by_remainder = sorted(range(len(targets)), key=lambda i: (-(targets[i] - floors[i]), i))
    for index in by_remainder[:missing]:
        floors[index] += 1
    return floors


def _whole(value: Number) -> int:
    """Round half away from zero, as a planner expects (2.5 -> 3)."""
    value = Fraction(value)
    return floor(abs(value) + Fraction(1, 2)) * (1 if value >= 0 else -1)
