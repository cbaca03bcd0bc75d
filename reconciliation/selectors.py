"""Reads of reconciliation: the plan as family x region x month aggregates, gaps, scenarios.

The heavy lifting (sums over product x territory cells) happens in the
database; plan_math turns the small aggregates into supply, revenue and gaps.
"""

import hashlib
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import DecimalField, ExpressionWrapper, F, Sum

from cycles.measures import MeasureCode
from cycles.models import Cycle
from cycles.selectors import plan_revenue
from demand.events import event_contribution
from demand.models import DemandEvent
from products.models import Product, ProductFamily
from reconciliation import gap_list, plan_math, scenario_compare
from reconciliation.models import GapDecision, PackBuild, Scenario, ScenarioChange
from supply.selectors import current_values, family_anchors, supply_inputs_all
from territories.models import Region, Territory

MONEY: DecimalField = DecimalField(max_digits=30, decimal_places=6)


def _month_index(cycle: Cycle) -> dict[date, int]:
    return {month: t for t, month in enumerate(cycle.horizon())}


def _empty_cell(months: int) -> dict[str, list[float]]:
    names = ("demand", "revenue", "cost", MeasureCode.BUDGET_UNITS, MeasureCode.BUDGET_REVENUE)
    return {name: [0.0] * months for name in names}


def region_cells(cycle: Cycle) -> dict[int, dict[int, plan_math.RegionCell]]:
    """family -> region -> consensus (units, revenue, cost) and budget, per month."""
    index = _month_index(cycle)
    cells: dict = defaultdict(lambda: defaultdict(lambda: _empty_cell(len(index))))
    group = ("product__family_id", "territory__region_id", "month")
    demand = (
        current_values(cycle)
        .filter(measure=MeasureCode.CONSENSUS)
        .values(*group)
        .annotate(
            units=Sum("value"),
            revenue=Sum(plan_revenue(cycle)),
            cost=Sum(ExpressionWrapper(F("value") * F("product__unit_cost"), MONEY)),
        )
    )
    for row in demand:
        cell, t = cells[row[group[0]]][row[group[1]]], index[row["month"]]
        cell["demand"][t], cell["revenue"][t] = float(row["units"]), float(row["revenue"])
        cell["cost"][t] = float(row["cost"])
    budget = (
        current_values(cycle)
        .filter(measure__in=(MeasureCode.BUDGET_UNITS, MeasureCode.BUDGET_REVENUE))
        .values("measure", *group)
        .annotate(total=Sum("value"))
    )
    for row in budget:
        cells[row[group[0]]][row[group[1]]][row["measure"]][index[row["month"]]] = float(
            row["total"]
        )
    return {
        family: {region: plan_math.RegionCell(**cell) for region, cell in regions.items()}
        for family, regions in cells.items()
    }


def budget_figures(cycle: Cycle) -> dict[tuple[int, int, date], dict[str, Decimal]]:
    """(family id, territory id, month) -> {"budget_units": .., "budget_revenue": ..} as stored."""
    families = {anchor.product_id: family for family, anchor in family_anchors().items()}
    rows = (
        current_values(cycle)
        .filter(
            measure__in=(MeasureCode.BUDGET_UNITS, MeasureCode.BUDGET_REVENUE),
            product_id__in=list(families),
        )
        .values_list("product_id", "territory_id", "month", "measure", "value")
    )
    figures: dict[tuple[int, int, date], dict[str, Decimal]] = {}
    for product_id, territory_id, month, measure, value in rows:
        figures.setdefault((families[product_id], territory_id, month), {})[measure] = value
    return figures


def months_without_budget(cycle: Cycle) -> list[date]:
    """The horizon's months with no budget figure at all (Finance has not loaded them)."""
    budgeted = set(
        current_values(cycle)
        .filter(measure__in=(MeasureCode.BUDGET_UNITS, MeasureCode.BUDGET_REVENUE))
        .values_list("month", flat=True)
        .distinct()
    )
    return [month for month in cycle.horizon() if month not in budgeted]


def base_plan(cycle: Cycle) -> dict[int, plan_math.FamilyData]:
    """The plan as it stands: supply inputs and region figures per family."""
    supply = supply_inputs_all(cycle)
    regions = region_cells(cycle)
    return {
        family: plan_math.FamilyData(supply_input, regions.get(family, {}))
        for family, supply_input in supply.items()
    }


def month_labels(cycle: Cycle) -> list[str]:
    return [f"{month:%Y-%m}" for month in cycle.horizon()]


def gaps(
    cycle: Cycle, figures: dict | None = None, family_names: dict[int, str] | None = None
) -> list[plan_math.Gap]:
    """The gaps over the configured thresholds, by family and month."""
    figures = figures if figures is not None else plan_math.evaluate(base_plan(cycle))
    if family_names is None:
        family_names = dict(ProductFamily.objects.values_list("pk", "name"))
    return plan_math.find_gaps(
        plan_math.roll_up(figures, lambda key: (key[0], key[2])),
        shortage_pct=settings.SOP_GAP_SHORTAGE_PCT,
        revenue_pct=settings.SOP_GAP_REVENUE_BELOW_BUDGET_PCT,
        names=family_names,
        month_labels=month_labels(cycle),
    )


def decisions(cycle: Cycle) -> dict[str, GapDecision]:
    rows = GapDecision.objects.filter(cycle=cycle).select_related("owner", "decided_by")
    return {row.gap_key: row for row in rows}


def undecided_gaps(cycle: Cycle) -> list[plan_math.Gap]:
    decided = set(GapDecision.objects.filter(cycle=cycle).values_list("gap_key", flat=True))
    return [gap for gap in gaps(cycle) if gap.key not in decided]


def reconciliation(cycle: Cycle, *, master_mark: str | None = None) -> dict:
    """Everything the reconciliation screen shows, from one evaluation of the plan;
    `master_mark`: master_data_mark() when the caller has read it already (a page showing
    two released plans reads it once)."""
    view = dict(_evaluated(cycle, master_mark))
    decided = decisions(cycle)
    rows = gap_list.gap_rows(
        view["gaps"],
        view["evaluated"],
        families=view["family_names"],
        regions=view["region_names"],
        month_labels=month_labels(cycle),
    )
    view["gap_rows"] = [(row, decided.get(row.gap.key)) for row in rows]
    view["gaps"] = [(gap, decided.get(gap.key)) for gap in view["gaps"]]
    return view


def _evaluated(cycle: Cycle, master_mark: str | None = None) -> dict:
    """The plan's totals, roll-ups and gaps, computed once per released plan.

    A released plan never changes, so its figures are kept in the cache under the
    cycle, its version and the master data they are priced, grouped and named with
    (a changed list price or a renamed family computes them anew). An open plan is
    evaluated each time.
    """
    if not cycle.is_released:
        return _evaluate(cycle)
    mark = master_mark or master_data_mark()
    key = f"reconciliation:figures:v2:{cycle.pk}:{cycle.version_seq}:{mark}"
    return cache.get_or_set(key, lambda: _evaluate(cycle), timeout=3600)  # type: ignore[return-value]  # never None: it computes on a miss


def _evaluate(cycle: Cycle) -> dict:
    figures = plan_math.evaluate(base_plan(cycle))
    family_names = dict(ProductFamily.objects.values_list("pk", "name"))
    region_names = dict(Region.objects.values_list("pk", "name"))
    labels = month_labels(cycle)
    return {
        "total": plan_math.total(figures, last_month=len(labels) - 1),
        "by_family": _named(plan_math.roll_up(figures, lambda k: k[0]), family_names),
        "by_region": _named(plan_math.roll_up(figures, lambda k: k[1]), region_names),
        "by_month": _named(plan_math.roll_up(figures, lambda k: k[2]), dict(enumerate(labels))),
        "gaps": gaps(cycle, figures, family_names),
        "evaluated": figures,  # per family x region x month, for comparisons over some months
        "family_names": family_names,  # kept with the figures: one read of each per page
        "region_names": region_names,
    }


def by_family(
    figures: dict[plan_math.Key, plan_math.Figures], names: dict[int, str] | None = None
) -> list:
    """Figures per family, named (`names`: family id -> name, read when not given), in
    family order."""
    if names is None:
        names = dict(ProductFamily.objects.values_list("pk", "name"))
    return _named(plan_math.roll_up(figures, lambda k: k[0]), names)


def master_data_mark() -> str:
    """A digest of what the figures take from master data and settings: prices, costs,
    groups, names, gap thresholds."""
    parts = (
        Product.objects.order_by("pk").values_list("pk", "family_id", "unit_price", "unit_cost"),
        Territory.objects.order_by("pk").values_list("pk", "region_id"),
        ProductFamily.objects.order_by("pk").values_list("pk", "name"),
        Region.objects.order_by("pk").values_list("pk", "name"),
    )
    thresholds = (settings.SOP_GAP_SHORTAGE_PCT, settings.SOP_GAP_REVENUE_BELOW_BUDGET_PCT)
    text = repr([thresholds, *(list(rows) for rows in parts)])
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _named(rolled: dict, names: dict) -> list[tuple[str, plan_math.Figures]]:
    return [(names.get(key, "(none)"), value) for key, value in sorted(rolled.items())]


def prices(cycle: Cycle, product_ids) -> dict[tuple[int, int, date], Decimal]:
    """(product, territory, month) -> the planned price, where one was entered."""
    rows = current_values(cycle).filter(measure=MeasureCode.PRICE, product_id__in=product_ids)
    return {
        (p, t, m): v
        for p, t, m, v in rows.values_list("product_id", "territory_id", "month", "value")
    }


def scenario_deltas(scenario: Scenario, cycle: Cycle) -> list[plan_math.Delta]:
    index = _month_index(cycle)
    deltas = []
    for change in scenario.changes.all():
        if change.kind == ScenarioChange.Kind.NO_PROMO:
            deltas += promotion_removed_deltas(cycle, change.event_id)
            continue
        months = frozenset(
            t for m, t in index.items() if change.month_from <= m <= change.month_to
        )
        deltas.append(
            plan_math.Delta(change.kind, change.family_id, months, 1 + float(change.percent) / 100)
        )
    return deltas


def promotion_removed_deltas(cycle: Cycle, event_id: int | None) -> list[plan_math.Delta]:
    """The consensus the event adds, taken away, as units/revenue/cost per family x region."""
    event = DemandEvent.objects.filter(pk=event_id, cycle=cycle).first()  # type: ignore[misc]  # pk=None finds none, as meant
    if event is None:
        return []
    contribution = event_contribution(cycle, event)
    products = Product.objects.filter(pk__in={p for p, _t, _m in contribution}).values_list(
        "pk", "family_id", "unit_price", "unit_cost"
    )
    product = {pk: (family, float(price), float(cost)) for pk, family, price, cost in products}
    planned = {
        key: float(value)
        for key, value in prices(cycle, {p for p, _t, _m in contribution}).items()
    }
    region = dict(Territory.objects.values_list("pk", "region_id"))
    index = _month_index(cycle)
    cells: dict = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0.0]))
    for (p, t, month), units in contribution.items():
        family, price, cost = product[p]
        price = planned.get((p, t, month), price)
        cell = cells[family][(region[t], index[month])]
        cell[0] -= float(units)
        cell[1] -= float(units) * price
        cell[2] -= float(units) * cost
    return [
        plan_math.Delta(
            "units",
            family,
            frozenset(t for _r, t in by_cell),
            1.0,
            tuple((r, t, *figures) for (r, t), figures in sorted(by_cell.items())),
        )
        for family, by_cell in cells.items()
    ]


def has_demand_plan(cycle: Cycle) -> bool:
    """Whether the cycle has consensus demand: without it scenarios have nothing to change."""
    return current_values(cycle).filter(measure=MeasureCode.CONSENSUS).exists()


def scenarios_compare(
    cycle: Cycle, scenario_ids: list[int]
) -> list[tuple[str, plan_math.Figures]]:
    """Base plan and each scenario side by side on the same KPIs (one read of the plan)."""
    base, months = base_plan(cycle), len(cycle.horizon())
    columns = [("Base plan", plan_math.kpis(base, months))]
    chosen = Scenario.objects.filter(cycle=cycle, pk__in=scenario_ids).prefetch_related("changes")
    for scenario in chosen:
        what_if = plan_math.apply_deltas(base, scenario_deltas(scenario, cycle))
        columns.append((scenario.name, plan_math.kpis(what_if, months)))
    return columns


def escalations(cycle: Cycle):
    """Gaps escalated to the executives: the pre-read asks them for an answer."""
    return GapDecision.objects.filter(
        cycle=cycle, decision=GapDecision.Decision.ESCALATE
    ).select_related("owner")


def family_plan(cycle: Cycle, family_id: int) -> dict[tuple[str, int, date], Decimal]:
    """The plan beside the family's budget: ("budget_units" | "budget_revenue", territory id,
    month) -> consensus units, and their revenue at the planned (else list) price."""
    rows = (
        current_values(cycle)
        .filter(measure=MeasureCode.CONSENSUS, product__family_id=family_id)
        .values("territory_id", "month")
        .annotate(
            units=Sum("value"),
            revenue=Sum(plan_revenue(cycle)),
        )
    )
    plan: dict[tuple[str, int, date], Decimal] = {}
    for row in rows:
        plan[(MeasureCode.BUDGET_UNITS, row["territory_id"], row["month"])] = row["units"]
        plan[(MeasureCode.BUDGET_REVENUE, row["territory_id"], row["month"])] = row["revenue"]
    return plan


def scenario_changes(cycle: Cycle, scenario_ids: list[int], measure: str) -> dict:
    """Each chosen scenario's change against the base plan by family and by month, for a
    measure of scenario_compare.MEASURES, with the chart's series (change by month) and
    the headline KPIs of scenarios_compare, from one evaluation of each plan."""
    base = base_plan(cycle)
    chosen = list(
        Scenario.objects.filter(cycle=cycle, pk__in=scenario_ids).prefetch_related("changes")
    )
    base_figures = plan_math.evaluate(base)
    what_ifs = [
        plan_math.evaluate(plan_math.apply_deltas(base, scenario_deltas(s, cycle))) for s in chosen
    ]
    labels = month_labels(cycle)
    common = dict(measure=measure)
    families = dict(ProductFamily.objects.values_list("pk", "name"))
    by_family = scenario_compare.compare_rows(
        base_figures, what_ifs, by=lambda k: k[0], names=families, **common
    )
    by_month = scenario_compare.compare_rows(
        base_figures, what_ifs, by=lambda k: k[2], names=dict(enumerate(labels)), **common
    )
    last = len(labels) - 1
    return {
        "names": [s.name for s in chosen],
        "columns": [("Base plan", plan_math.total(base_figures, last_month=last))]
        + [
            (s.name, plan_math.total(f, last_month=last))
            for s, f in zip(chosen, what_ifs, strict=True)
        ],
        "by_family": by_family,
        "by_month": by_month,
        "total": scenario_compare.total_row(by_family),
        "chart": {
            "labels": [row.name for row in by_month],
            "measure": scenario_compare.MEASURES[measure],
            "series": [
                {"name": s.name, "delta": [round(r.changes[i].delta, 2) for r in by_month]}
                for i, s in enumerate(chosen)
            ],
        },
    }


def latest_pack(cycle: Cycle) -> PackBuild | None:
    """The pack the sign-off page offers: the released plan's kept one, else the newest build."""
    return _kept_or_newest(PackBuild.objects.filter(cycle=cycle), cycle)


def latest_ready_pack(cycle: Cycle) -> PackBuild | None:
    """The newest pack whose files are ready (the kept one for a released plan)."""
    return _kept_or_newest(PackBuild.objects.filter(cycle=cycle, status="done"), cycle)


def _kept_or_newest(builds, cycle: Cycle) -> PackBuild | None:
    if cycle.is_released:
        kept = builds.filter(released=True, version_seq=cycle.version_seq, status="done").first()
        if kept:
            return kept
    return builds.first()
