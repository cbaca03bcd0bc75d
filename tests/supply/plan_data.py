"""Plan figures written straight into the plan store, and cycles put in a stage, for tests.

Consensus is written by the demand app in production; here a fixture writes it,
so supply and reconciliation are tested on their own.
"""

from datetime import date
from decimal import Decimal

from cycles import services
from cycles.models import Cycle, PlanValue
from cycles.stages import Stage

MONTH = date(2026, 11, 1)


def open_cycle(manager, stage: Stage, month: date = MONTH) -> Cycle:
    """A cycle (November 2026), placed directly in `stage` (the workflow is cycles' test)."""
    cycle = services.cycle_open(actor=manager, month=month)
    Cycle.objects.filter(pk=cycle.pk).update(stage=stage.value)
    cycle.refresh_from_db()
    return cycle


def put(cycle: Cycle, measure: str, product, territory, month: date, value) -> None:
    PlanValue.objects.update_or_create(
        cycle=cycle,
        measure=measure,
        product_id=getattr(product, "pk", product),
        territory_id=getattr(territory, "pk", territory),
        month=month,
        valid_to_seq=None,
        defaults={"value": Decimal(str(value)), "valid_from_seq": cycle.version_seq},
    )


def put_consensus(cycle: Cycle, product, territory, units_by_month) -> None:
    for month, units in zip(cycle.horizon(), units_by_month, strict=False):
        put(cycle, "consensus", product, territory, month, units)


def family_capacity(cycle: Cycle, family, capacity_by_month) -> None:
    """Capacity on the family's anchor cell (first product, first territory)."""
    family_input(cycle, family, "capacity", capacity_by_month)


def family_input(cycle: Cycle, family, measure: str, figures_by_month) -> None:
    """A supply input on the family's anchor cell, month by month from the first."""
    from supply.selectors import family_anchors

    anchor = family_anchors()[family.pk]
    for month, units in zip(cycle.horizon(), figures_by_month, strict=False):
        put(cycle, measure, anchor.product_id, anchor.territory_id, month, units)


def squeezed_family(cycle: Cycle, company):
    """Demand 100 a month, target and opening stock 150, capacity 120 cut to 60 in months 5-7."""
    family = company.families[0]
    put_consensus(cycle, company.products[0], company.territories[0], [100] * 12)
    family_capacity(cycle, family, [120] * 4 + [60] * 3 + [120] * 5)
    family_input(cycle, family, "inventory_target", [150] * 12)
    family_input(cycle, family, "opening_inventory", [150])
    return family


def values(cycle: Cycle, measure: str) -> dict:
    rows = PlanValue.objects.filter(cycle=cycle, measure=measure, valid_to_seq=None)
    return {(r.product_id, r.territory_id, r.month): r.value for r in rows}
