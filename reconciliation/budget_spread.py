"""Spreading an annual budget over cells (months, territories). Plain Python.

The spread lands exactly: the cells are whole multiples of a step (1 unit, 0.01 of
revenue) and sum to the annual figure. Each cell first gets its share rounded down;
the steps left over go one each to the cells that lost the most in rounding (the
largest remainders), and between equal remainders to the cell listed first (callers
list cells month by month, so the earlier month gets it).
"""

from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

UNIT_STEP = Decimal(1)
MONEY_STEP = Decimal("0.01")
Cell = TypeVar("Cell", bound=Hashable)  # whatever names a cell: the result is keyed the same


class SpreadError(ValueError):
    """The annual figure cannot be spread; the message says why in the user's words."""


def spread(
    total: Decimal, weights: Mapping[Cell, Decimal | float | int], step: Decimal
) -> dict[Cell, Decimal]:
    """Split `total` over the cells of `weights` in proportion to them, summing exactly.

    All-zero weights spread evenly. `total` must be a whole multiple of `step`.
    """
    if not weights:
        raise SpreadError("There is nothing to spread the figure over.")
    if total < 0:
        raise SpreadError(f"{total} is negative: a budget is zero or more.")
    steps = Fraction(total) / Fraction(step)
    if steps.denominator != 1:
        raise SpreadError(f"{total} is not a whole number of {step}.")
    shares = {key: Fraction(w) for key, w in weights.items()}
    if any(share < 0 for share in shares.values()):
        raise SpreadError("A profile with negative sales cannot shape a budget.")
    whole = sum(shares.values())
    if whole == 0:
        shares, whole = {key: Fraction(1) for key in shares}, Fraction(len(shares))
    quotas = {key: steps.numerator * share / whole for key, share in shares.items()}
    floors = {key: quota.numerator // quota.denominator for key, quota in quotas.items()}
    left = steps.numerator - sum(floors.values())
    position = {key: i for i, key in enumerate(quotas)}
    by_remainder = sorted(quotas, key=lambda k: (floors[k] - quotas[k], position[k]))
    for key in by_remainder[:left]:
        floors[key] += 1
    return {key: step * count for key, count in floors.items()}
