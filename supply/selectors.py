"""Reads of supply planning: consensus and supply inputs per family x month, summed in the database.

Family-level figures (capacity, inventory, targets, production) are stored in the
plan-value store on an *anchor cell*: the family's first product in the first
territory. Figures entered per SKU are summed up to the family the same way, so
entering capacity per SKU works too. Weeks (target cover, maximum cover) are not
additive: the family takes the largest figure entered.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Min, Q, Sum

from cycles.measures import MeasureCode
from cycles.models import Cycle, PlanValue, as_of_condition
from cycles.selectors import plan_values_as_of
from products.models import Product, ProductFamily
from supply.projection import SupplyInput, SupplyPlan, project
from territories.models import Territory

INPUT_MEASURES = (
    MeasureCode.CAPACITY,
    MeasureCode.OPENING_INVENTORY,
    MeasureCode.INVENTORY_TARGET,
    MeasureCode.TARGET_WEEKS,
    MeasureCode.MIN_PRODUCTION,
    MeasureCode.MAX_COVER,
)
WEEKS_MEASURES = {MeasureCode.TARGET_WEEKS, MeasureCode.MAX_COVER}
COMPUTED_MEASURES = (MeasureCode.PRODUCTION, MeasureCode.PROJECTED_INVENTORY, MeasureCode.SHORTAGE)


@dataclass(frozen=True)
class Anchor:
    product_id: int
    territory_id: int


def anchor_territory_id() -> int | None:
    return Territory.objects.order_by("pk").values_list("pk", flat=True).first()


def family_anchors() -> dict[int, Anchor]:
    """family id -> the cell its family-level figures are stored on."""
    territory_id = anchor_territory_id()
    firsts = Product.objects.values("family_id").annotate(first=Min("pk"))
    # None only before the first territory exists (left as it was: not a typing change)
    return {row["family_id"]: Anchor(row["first"], territory_id) for row in firsts}  # type: ignore[arg-type]


def current_values(cycle: Cycle):
    """The cycle's figures as they stand, within its horizon."""
    horizon = cycle.horizon()
    return plan_values_as_of(cycle, cycle.version_seq).filter(
        month__gte=horizon[0], month__lte=horizon[-1]
    )


def measure_by_family_month(cycle: Cycle, measures) -> dict[tuple[int, str, date], float]:
    """(family id, measure, month) -> figure, aggregated in the database."""
    rows = (
        current_values(cycle)
        .filter(measure__in=list(measures))
        .values("product__family_id", "measure", "month")
        .annotate(total=Sum("value"), largest=Max("value"))
    )
    return {
        (row["product__family_id"], row["measure"], row["month"]): float(
            row["largest"] if row["measure"] in WEEKS_MEASURES else row["total"]
        )
        for row in rows
    }


def measure_by_cycle_family_month(
    cycles: list[Cycle], measures
) -> dict[int, dict[tuple[int, str, date], float]]:
    """cycle id -> measure_by_family_month(cycle, measures), for many cycles in one query."""
    if not cycles:
        return {}
    in_force = Q()
    for cycle in cycles:
        horizon = cycle.horizon()
        in_force |= Q(
            cycle_id=cycle.pk, month__gte=horizon[0], month__lte=horizon[-1]
        ) & as_of_condition(cycle.version_seq)
    rows = (
        PlanValue.objects.filter(in_force, measure__in=list(measures))
        .values("cycle_id", "product__family_id", "measure", "month")
        .annotate(total=Sum("value"), largest=Max("value"))
    )
    by_cycle: dict[int, dict[tuple[int, str, date], float]] = {c.pk: {} for c in cycles}
    for row in rows:
        figure = row["largest"] if row["measure"] in WEEKS_MEASURES else row["total"]
        key = (row["product__family_id"], row["measure"], row["month"])
        by_cycle[row["cycle_id"]][key] = float(figure)
    return by_cycle


def supply_reads_by_cycle(cycles: list[Cycle]) -> dict[int, tuple[dict, dict[int, SupplyInput]]]:
    """cycle id -> (stored_by_family_month, supply_inputs_all) of each cycle, in one query."""
    input_measures = (MeasureCode.CONSENSUS, *INPUT_MEASURES)
    values = measure_by_cycle_family_month(cycles, {*input_measures, *COMPUTED_MEASURES})
    reads: dict[int, tuple[dict, dict[int, SupplyInput]]] = {}
    for cycle in cycles:
        figures = values[cycle.pk]
        stored = defaultdict(
            float, {k: v for k, v in figures.items() if k[1] in COMPUTED_MEASURES}
        )
        inputs = {k: v for k, v in figures.items() if k[1] in input_measures}
        months = cycle.horizon()
        families = sorted({key[0] for key in inputs})
        reads[cycle.pk] = (stored, {f: supply_input(inputs, f, months) for f in families})
    return reads


def _series(values: dict, family_id: int, measure: str, months: list[date], default=0.0):
    return [values.get((family_id, measure, month), default) for month in months]


def supply_input(values: dict, family_id: int, months: list[date]) -> SupplyInput:
    """The projection's input for one family from the aggregated figures."""
    max_cover = [v for v in _series(values, family_id, MeasureCode.MAX_COVER, months, None) if v]
    return SupplyInput(
        demand=_series(values, family_id, MeasureCode.CONSENSUS, months),
        capacity=_series(values, family_id, MeasureCode.CAPACITY, months),
        opening_inventory=values.get((family_id, MeasureCode.OPENING_INVENTORY, months[0]), 0.0),
        target_weeks=_series(values, family_id, MeasureCode.TARGET_WEEKS, months),
        target_units=_series(values, family_id, MeasureCode.INVENTORY_TARGET, months, None),
        min_production=_series(values, family_id, MeasureCode.MIN_PRODUCTION, months),
        max_cover_weeks=max(max_cover) if max_cover else None,
    )


def supply_inputs_all(cycle: Cycle) -> dict[int, SupplyInput]:
    """family id -> projection input, for every family with demand or supply figures."""
    months = cycle.horizon()
    values = measure_by_family_month(cycle, (MeasureCode.CONSENSUS, *INPUT_MEASURES))
    families = sorted({key[0] for key in values})
    return {family: supply_input(values, family, months) for family in families}


def family_projection(cycle: Cycle, family: ProductFamily) -> tuple[SupplyInput, SupplyPlan]:
    """The family's constrained plan from the figures as they stand (not yet stored)."""
    months = cycle.horizon()
    values = measure_by_family_month(cycle, (MeasureCode.CONSENSUS, *INPUT_MEASURES))
    plan_input = supply_input(values, family.pk, months)
    return plan_input, project(plan_input)


def input_cells(cycle: Cycle, family: ProductFamily) -> dict[tuple[str, date], tuple]:
    """(measure, month) -> (value, row version) on the family's anchor cell, for the grid."""
    anchor = family_anchors().get(family.pk)
    if anchor is None:
        return {}
    rows = current_values(cycle).filter(
        measure__in=INPUT_MEASURES, product_id=anchor.product_id, territory_id=anchor.territory_id
    )
    return {(row.measure, row.month): (row.value, row.row_version) for row in rows}


def family_summaries(cycle: Cycle) -> list[dict]:
    """Per family: demand, production, shortage over the horizon and the months flagged."""
    names = dict(ProductFamily.objects.values_list("pk", "name"))
    summaries = []
    for family_id, plan_input in supply_inputs_all(cycle).items():
        plan = project(plan_input)
        summaries.append(
            {
                "family_id": family_id,
                "family": names.get(family_id, "?"),
                "demand": sum(plan_input.demand),
                MeasureCode.CAPACITY: sum(plan_input.capacity),
                MeasureCode.PRODUCTION: sum(plan.production),
                MeasureCode.SHORTAGE: sum(plan.shortage),
                "flagged_months": sum(1 for flags in plan.flags if flags),
            }
        )
    return sorted(summaries, key=lambda row: row["family"])


def stored_by_family_month(cycle: Cycle) -> dict:
    """The stored (submitted) supply plan: (family, measure, month) -> figure."""
    grouped = measure_by_family_month(cycle, COMPUTED_MEASURES)
    return defaultdict(float, grouped)


def families_by_code() -> dict[str, int]:
    """Lower-cased family code and name -> id: files may name a family either way."""
    families = ProductFamily.objects.values_list("code", "name", "pk")
    return {key.lower(): pk for code, name, pk in families for key in (code, name)}


def supply_input_figures(cycle: Cycle) -> dict[tuple[int, str, date], object]:
    """(family id, measure, month) -> the input figure stored on the family's anchor cell.

    The cells an import or the input grid writes; what an upload compares against.
    """
    anchors = family_anchors()
    family_of = {(a.product_id, a.territory_id): family for family, a in anchors.items()}
    rows = current_values(cycle).filter(
        measure__in=INPUT_MEASURES,
        product_id__in=[a.product_id for a in anchors.values()],
        territory_id=anchor_territory_id(),
    )
    return {
        (family_of[(product, territory)], measure, month): value
        for product, territory, measure, month, value in rows.values_list(
            "product_id", "territory_id", "measure", "month", "value"
        )
        if (product, territory) in family_of
    }
