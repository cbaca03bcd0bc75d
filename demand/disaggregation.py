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
from enum import StrEnum
from math import floor


class EditMode(StrEnum):
    SET = "set"  # the total becomes the value
    ADD = "add"  # the value (units, may be negative) is added to the total
    PERCENT = "percent"  # the total changes by value percent


class DisaggregationError(ValueError):
    """The edit cannot be spread; the message says why in the planner's words."""


@dataclass(frozen=True)
class Edit:
    mode: EditMode
    value: float


def spread_total(weights: Sequence[float], total: int) -> list[int]:
    """Whole, non-negative leaf values in proportion to weights, summing to total."""
    if total < 0:
        raise DisaggregationError(f"A total of {total} would make demand negative.")
    if not weights:
        if total:
            raise DisaggregationError("There are no cells under this total to spread it to.")
        return []
    if any(weight < 0 for weight in weights):
        raise DisaggregationError("Weights for spreading must not be negative.")
    weight_sum = float(sum(weights))
    shares = (
        [total * weight / weight_sum for weight in weights]
        if weight_sum > 0
        else [total / len(weights)] * len(weights)
    )
    return _largest_remainder(shares, total)


def _largest_remainder(shares: list[float], total: int) -> list[int]:
    floors = [floor(share) for share in shares]
    missing = total - sum(floors)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for index in by_remainder[:missing]:
        floors[index] += 1
    return floors


def apply_edit(current: Sequence[int], baseline: Sequence[float], edit: Edit) -> list[int]:
    """New leaf values after an edit of their total.

    SET spreads the new total by the baseline; ADD spreads the difference by the
    baseline (a cut by the current values, so no leaf goes below zero);
    PERCENT scales every leaf by the same factor, keeping the current mix.
    """
    if len(current) != len(baseline):
        raise DisaggregationError("Current values and baseline cover different cells.")
    if edit.mode is EditMode.SET:
        return spread_total(baseline, _whole(edit.value))
    if edit.mode is EditMode.ADD:
        return _add(current, baseline, _whole(edit.value))
    new_total = _whole(sum(current) * (1 + edit.value / 100))
    return spread_total(current if sum(current) else baseline, new_total)


def _add(current: Sequence[int], baseline: Sequence[float], delta: int) -> list[int]:
    if delta >= 0:
        return [a + b for a, b in zip(current, spread_total(baseline, delta), strict=True)]
    if -delta > sum(current):
        raise DisaggregationError(
            f"Cannot take {-delta} units from a total of {sum(current)}: demand would be negative."
        )
    cut = spread_total(current, -delta)
    return [a - b for a, b in zip(current, cut, strict=True)]


def _whole(value: float) -> int:
    """Round half away from zero, as a planner expects (2.5 -> 3)."""
    return floor(abs(value) + 0.5) * (1 if value >= 0 else -1)
