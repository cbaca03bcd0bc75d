"""Bulk writes of figures into the plan-value store, for supply and scenarios.

For the services that write many figures at once (the computed supply plan, a
promoted scenario): the caller checks permission, holds the cycle lock and
writes the audit record. Figures are rounded to the store's four decimals
first, so a recomputation that changes nothing writes nothing. The row rules
themselves live in cycles.plan_bulk.
"""

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from accounts.typing import User
from cycles.models import Cycle
from cycles.plan_bulk import plan_values_write_many

Cell = tuple[int, int, date]  # product id, territory id, month
FOUR_PLACES = Decimal("0.0001")


def as_decimal(number) -> Decimal:
    return Decimal(str(number)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def plan_values_write(
    *, cycle: Cycle, measure: str, values: Mapping[Cell, Decimal | None], actor: User
) -> int:
    """Write figures of one measure (None clears one); returns how many changed."""
    rounded = {cell: None if raw is None else as_decimal(raw) for cell, raw in values.items()}
    return plan_values_write_many(
        cycle=cycle, measure=measure, values=rounded, actor=actor
    ).written
