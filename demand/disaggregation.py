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
from math import lcm

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
    return whole_units(*_shares(_exact(weights), _ratio(total)))


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
    now, weights, value = _exact(current), _exact(baseline), _ratio(edit.value)
    if edit.mode is EditMode.SET:
        return whole_units(*_shares(weights, value))
    if edit.mode is EditMode.ADD:
        return whole_units(*_add(now, weights, value))
    return whole_units(*_percent(now, value))


# Exact arithmetic in plain integers, fast on 100,000 cells: a list of figures is
# (numerators, common denominator), a single figure (numerator, denominator).
Exact = tuple[list[int], int]
Ratio = tuple[int, int]


def _ratio(number: Number) -> Ratio:
    return number.as_integer_ratio()


def _exact(numbers: Sequence[Number]) -> Exact:
    ratios = [_ratio(number) for number in numbers]
    denominator = lcm(*(d for _, d in ratios)) if ratios else 1
    return [n * (denominator // d) for n, d in ratios], denominator


def _shares(weights: Exact, total: Ratio) -> Exact:
    """total split in proportion to the weights (evenly when they are all zero)."""
    (tn, td), (numerators, _) = total, weights
    if tn < 0:
        raise DisaggregationError(f"A total of {_whole(tn, td)} would make demand negative.")
    if not numerators:
        if tn:
            raise DisaggregationError("There are no cells under this total to spread it to.")
        return [], 1
    if min(numerators) < 0:
        raise DisaggregationError("Weights for spreading must not be negative.")
    weight_sum = sum(numerators)
    if weight_sum == 0:
        return [tn] * len(numerators), td * len(numerators)
    return [tn * weight for weight in numerators], td * weight_sum


def _add(current: Exact, baseline: Exact, delta: Ratio) -> Exact:
    (numerators, cd), (dn, dd) = current, delta
    if dn >= 0:
        extra, ed = _shares(baseline, delta)
        return [n * ed + e * cd for n, e in zip(numerators, extra, strict=True)], cd * ed
    total = sum(numerators)
    if -dn * cd > total * dd:
        raise DisaggregationError(
            f"Cannot take {_whole(-dn, dd)} units from a total of {_whole(total, cd)}: "
            "demand would be negative."
        )
    # Each leaf keeps (total + delta) / total of itself.
    keep = total * dd + dn * cd
    return [n * keep for n in numerators], cd * total * dd


def _percent(current: Exact, percent: Ratio) -> Exact:
    (numerators, cd), (pn, pd) = current, percent
    factor = 100 * pd + pn  # (1 + percent / 100) x 100 pd
    if factor < 0:
        raise DisaggregationError(f"A change of {pn / pd:g}% would make demand negative.")
    return [n * factor for n in numerators], cd * 100 * pd


def whole_units(numerators: Sequence[int], denominator: int) -> list[int]:
    """Whole units, each within one of its target, adding up to the rounded sum of the targets.

    The targets are numerators / denominator. Largest remainder: every leaf
    gets the floor of its target, and the units still missing from the rounded
    total go to the largest remainders, ties to the first leaf.
    """
    floors = [n // denominator for n in numerators]
    remainders = [n % denominator for n in numerators]
    missing = _whole(sum(numerators), denominator) - sum(floors)
    by_remainder = sorted(range(len(floors)), key=lambda i: (-remainders[i], i))
    for index in by_remainder[:missing]:
        floors[index] += 1
    return floors


def _whole(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, as a planner expects (2.5 -> 3)."""
    rounded = (2 * abs(numerator) + denominator) // (2 * denominator)
    return rounded if numerator >= 0 else -rounded
