"""Bulk writes of figures into the plan-value store, versioned like plan_value_set.

For the services that write many figures at once (the computed supply plan, a
promoted scenario): the caller checks permission, holds the cycle lock and
writes the audit record. Unchanged figures are left alone, so a recomputation
that changes nothing writes nothing.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cycles.models import Cycle, PlanValue

Cell = tuple[int, int, date]  # product id, territory id, month
FOUR_PLACES = Decimal("0.0001")


def as_decimal(number) -> Decimal:
    return Decimal(str(number)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def plan_values_write(*, cycle: Cycle, measure: str, values: dict[Cell, Decimal], actor) -> int:
    """Write figures of one measure; returns how many changed."""
    current = {
        (row.product_id, row.territory_id, row.month): row
        for row in PlanValue.objects.filter(cycle=cycle, measure=measure, valid_to_seq=None)
    }
    seq, in_place, closed, created = cycle.version_seq, [], [], []
    for cell, raw in values.items():
        number, row = as_decimal(raw), current.get(cell)
        if row is not None and row.value == number:
            continue
        if row is not None and row.valid_from_seq == seq:
            row.value, row.changed_by, row.row_version = number, actor, row.row_version + 1
            in_place.append(row)
            continue
        if row is not None:
            row.valid_to_seq = seq
            closed.append(row)
        created.append(_new_row(cycle, measure, cell, number, row, actor))
    PlanValue.objects.bulk_update(in_place, ["value", "changed_by", "row_version"])
    PlanValue.objects.bulk_update(closed, ["valid_to_seq"])
    PlanValue.objects.bulk_create(created)
    return len(in_place) + len(created)


def _new_row(cycle, measure, cell: Cell, number: Decimal, previous, actor) -> PlanValue:
    product_id, territory_id, month = cell
    return PlanValue(
        cycle=cycle,
        measure=measure,
        product_id=product_id,
        territory_id=territory_id,
        month=month,
        value=number,
        valid_from_seq=cycle.version_seq,
        row_version=(previous.row_version + 1) if previous else 1,
        changed_by=actor,
    )
