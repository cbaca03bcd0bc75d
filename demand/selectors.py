"""Reads of demand planning: the plan grid at any level, aggregated in the database.

A grid row is a level (family or SKU by company, region or territory); its
figures per measure and month are SUM ... GROUP BY queries over the plan store
and the sales history, so the company view never loads leaf cells into Python.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Max, Q, Sum

from accounts.permissions import can, is_territory_scoped, planned_territory_ids
from cycles import gates, measures
from cycles.calendar import add_months
from cycles.measures import MeasureCode
from cycles.models import Cycle, PlanValue
from cycles.selectors import plan_values_as_of
from cycles.stages import Stage
from demand import grid_marks, grid_totals, pipeline_reads
from demand.models import DemandEvent, Override, PlanRollup, ReasonCode
from demand.scope import Scope
from forecasting.models import SalesActual
from territories.selectors import active_territories

PRODUCT_LEVELS = {
    "family": ("product__family_id", "product__family__name"),
    "sku": ("product__family_id", "product__family__name", "product_id", "product__sku"),
}
TERRITORY_LEVELS = {
    "company": (),
    "region": ("territory__region_id", "territory__region__name"),
    "territory": (
        "territory__region_id",
        "territory__region__name",
        "territory_id",
        "territory__name",
    ),
}
PLAN_MEASURES = (
    MeasureCode.BASELINE,
    MeasureCode.BASELINE_LOW,
    MeasureCode.BASELINE_HIGH,
    MeasureCode.EVENTS,
    MeasureCode.OVERRIDE,
    MeasureCode.CONSENSUS,
)
DEFAULT_MEASURES = (
    MeasureCode.BASELINE,
    MeasureCode.EVENTS,
    MeasureCode.OVERRIDE,
    MeasureCode.CONSENSUS,
)
ALWAYS_READ = (MeasureCode.CONSENSUS, MeasureCode.OVERRIDE)
OVERRIDE = measures.measure(MeasureCode.OVERRIDE)  # what a grid edit writes: its stages and action
KEY_NAMES = {
    "product__family_id": "family",
    "product_id": "product",
    "territory__region_id": "region",
    "territory_id": "territory",
}


@dataclass
class GridQuery:
    cycle: Cycle
    scope: Scope = field(default_factory=Scope)
    product_level: str = "family"
    territory_level: str = "region"
    first_month: date | None = None
    last_month: date | None = None
    revenue: bool = False
    measures: tuple[str, ...] = DEFAULT_MEASURES  # consensus is always read (keys, versions)
    limit: int = 500
    offset: int = 0

    @property
    def group_fields(self) -> tuple[str, ...]:
        return PRODUCT_LEVELS[self.product_level] + TERRITORY_LEVELS[self.territory_level]

    @property
    def id_fields(self) -> list[str]:
        return [name for name in self.group_fields if name in KEY_NAMES]

    def months(self) -> list[date]:
        first = self.first_month or self.cycle.month
        last = self.last_month or add_months(self.cycle.month, 11)
        return [m for m in self.cycle.horizon() if first <= m <= last]

    def plan_measures(self) -> list[str]:
        """The measures read: those asked for, and always consensus and override (marks)."""
        return [m for m in PLAN_MEASURES if m in self.measures or m in ALWAYS_READ]

    def actual_months(self) -> list[date]:
        return [add_months(self.cycle.month, offset) for offset in range(-12, 0)]


def scope_filter(scope: Scope) -> Q:
    q = Q()
    for name, lookup in (
        ("family", "product__family_id"),
        ("product", "product_id"),
        ("region", "territory__region_id"),
        ("territory", "territory_id"),
    ):
        if getattr(scope, name):
            q &= Q(**{lookup: getattr(scope, name)})
    return q


def _amount(query: GridQuery, field_name: str):
    return F(field_name) * F("product__unit_price") if query.revenue else F(field_name)


def grid(query: GridQuery, user) -> dict:
    """One page of grid rows with their figures per measure and month, and the row count.

    Family-level views read the rollup (family x territory x month sums); SKU
    views sum the leaf figures of their page only.
    """
    if query.product_level == "family" and query.scope.product:
        query = replace(query, product_level="sku")  # a product filter shows that SKU's rows
    if query.product_level == "family":
        count, rows = _from_rollup(query)
    else:
        count, rows = _from_leaves(query)
    _add_previous(query, _page_filter(query, rows), rows)
    _add_rights(query, user, rows)
    grid_marks.add_notes(query, scope_filter(query.scope) & _page_filter(query, rows), rows)
    months = [f"{m:%Y-%m}" for m in query.months()]
    columns = grid_totals.total_columns(months)
    total = {"values": grid_totals.sum_values(_scope_rows(query)), "history_total": 0.0}
    if set(query.measures) & set(pipeline_reads.GRID_MEASURES):
        pipeline_reads.add_to_grid(query, rows, total)
    for row in rows.values():
        _add_totals(row, columns)
    _add_totals(total, columns)
    return {
        "count": count,
        "months": months,
        "actual_months": [f"{m:%Y-%m}" for m in query.actual_months()],
        "total_columns": [{"key": c["key"], "label": c["label"]} for c in columns],
        "rows": list(rows.values()),
        "total": total,
    }


def _add_totals(row: dict, columns: list[dict]) -> None:
    row["totals"] = grid_totals.row_totals(row["values"], columns)
    row["history_total"] = grid_totals.history_total(row["values"])


def _scope_rows(query: GridQuery):
    """The figures of every row of the scope (not only this page), summed per product."""
    whole = replace(query, territory_level="company", offset=0, limit=10**9)
    if whole.product_level == "family":
        _count, rows = _from_rollup(whole)
    else:
        _count, rows = _from_leaves(whole)
    return [{k: v for k, v in row["values"].items() if k != "last_year"} for row in rows.values()]


ROLLUP_NAMES = {"family_id": "product__family_id", "family__name": "product__family__name"}


def _from_rollup(query: GridQuery) -> tuple[int, dict]:
    fields = [name.removeprefix("product__") for name in query.group_fields]
    scope = query.scope
    figures = PlanRollup.objects.filter(cycle=query.cycle, territory__is_active=True).filter(
        Q(measure="actuals") | Q(month__in=query.months(), measure__in=query.plan_measures())
    )
    for name, lookup in (("family", "family_id"), ("region", "territory__region_id")):
        if getattr(scope, name):
            figures = figures.filter(**{lookup: getattr(scope, name)})
    if scope.territory:
        figures = figures.filter(territory_id=scope.territory)
    figures = figures.values(*fields, "measure", "month").annotate(
        total=Sum("revenue" if query.revenue else "units"), stamp=Sum("stamp")
    )
    named = [{ROLLUP_NAMES.get(k, k): v for k, v in figure.items()} for figure in figures]
    return _pivot(query, named)


def _pivot(query: GridQuery, figures: list[dict]) -> tuple[int, dict]:
    """Rows of this page, from figures already summed per group, measure and month."""
    groups = {_key(query, f): f for f in figures if f["measure"] == MeasureCode.CONSENSUS}
    order = sorted(groups.values(), key=lambda f: tuple(str(f[n]) for n in _order(query)))
    page = order[query.offset : query.offset + query.limit]
    rows = {_key(query, f): _row(query, f) for f in page}
    ids, labels = query.id_fields, dict[date, str]()
    for figure in figures:
        row = rows.get(tuple(figure[name] for name in ids))
        if row is None:
            continue
        month, measure, total = figure["month"], figure["measure"], float(figure["total"] or 0)
        label = labels.get(month) or labels.setdefault(month, f"{month:%Y-%m}")
        values = row["values"]
        if measure == "actuals":
            values.setdefault("actuals", {})[label] = total
            later = add_months(month, 12)
            ahead = labels.get(later) or labels.setdefault(later, f"{later:%Y-%m}")
            values.setdefault("last_year", {})[ahead] = total
            continue
        values.setdefault(measure, {})[label] = total
        if measure == MeasureCode.CONSENSUS:
            row["versions"][label] = figure["stamp"]
        elif measure == MeasureCode.OVERRIDE and figure["stamp"]:
            row["overridden"][label] = True
    return len(groups), rows


def _from_leaves(query: GridQuery) -> tuple[int, dict]:
    """SKU rows: the page's keys first, then its figures grouped by ids only (no name joins)."""
    plan = (
        PlanValue.objects.live()
        .filter(cycle=query.cycle, territory__is_active=True)
        .filter(scope_filter(query.scope))
    )
    keys = list(
        plan.filter(measure=MeasureCode.CONSENSUS)
        .values(*query.group_fields)
        .distinct()
        .order_by(*_order(query))
    )
    page = keys[query.offset : query.offset + query.limit]
    if not page:
        return len(keys), {}
    leaf = _LeafKeys(query, page)
    figures = (
        PlanValue.objects.live()
        .filter(
            cycle=query.cycle,
            measure__in=query.plan_measures(),
            month__in=query.months(),
            product_id__in=leaf.products,
            territory_id__in=leaf.territories,
        )
        .values(*leaf.fields, "measure", "month")
        .annotate(total=Sum(_amount(query, "value")), stamp=Sum("row_version"))
        .values_list(*leaf.fields, "measure", "month", "total", "stamp")
    )
    sales = (
        SalesActual.objects.filter(
            period__gte=query.actual_months()[0],
            period__lte=query.actual_months()[-1],
            product_id__in=leaf.products,
            territory_id__in=leaf.territories,
        )
        .values(*leaf.fields, "period")
        .annotate(total=Sum("revenue" if query.revenue else "units"))
        .values_list(*leaf.fields, "period", "total")
    )
    rows = {_key(query, row): _row(query, row) for row in page}
    leaf.fill(rows, figures, sales)
    return len(keys), rows


class _LeafKeys:
    """Group leaf figures by SKU and the territory level; families and regions come from the page."""

    def __init__(self, query: GridQuery, page: list[dict]) -> None:
        self.level = query.territory_level
        self.products = {row["product_id"] for row in page}
        self.family_of = {row["product_id"]: row["product__family_id"] for row in page}
        self.region_of = {row.get("territory_id"): row.get("territory__region_id") for row in page}
        self.fields = ["product_id"] + {
            "company": [],
            "region": ["territory__region_id"],
            "territory": ["territory_id"],
        }[self.level]
        territories = active_territories()
        if self.level == "territory":
            territories = territories.filter(pk__in={row["territory_id"] for row in page})
        elif self.level == "region":
            territories = territories.filter(
                region_id__in={r["territory__region_id"] for r in page}
            )
        self.territories = list(territories.values_list("pk", flat=True))
        self.labels: dict[date, str] = {}

    def key(self, product_id: int, place: int | None) -> tuple:
        family = self.family_of[product_id]
        if self.level == "territory":
            return (family, product_id, self.region_of[place], place)
        return (family, product_id, place) if self.level == "region" else (family, product_id)

    def label(self, month: date) -> str:
        return self.labels.get(month) or self.labels.setdefault(month, f"{month:%Y-%m}")

    def fill(self, rows: dict, figures, sales) -> None:
        place = len(self.fields) > 1
        for figure in figures:
            row = rows.get(self.key(figure[0], figure[1] if place else None))
            if row is None:
                continue
            measure, month, total, stamp = figure[-4:]
            label = self.label(month)
            row["values"].setdefault(measure, {})[label] = float(total or 0)
            if measure == MeasureCode.CONSENSUS:
                row["versions"][label] = stamp
            elif measure == MeasureCode.OVERRIDE and stamp:
                row["overridden"][label] = True
        for sale in sales:
            row = rows.get(self.key(sale[0], sale[1] if place else None))
            if row is not None:
                month, total = sale[-2:]
                row["values"].setdefault("actuals", {})[self.label(month)] = float(total or 0)
                ahead = self.label(add_months(month, 12))
                row["values"].setdefault("last_year", {})[ahead] = float(total or 0)


def _order(query: GridQuery) -> list[str]:
    return [name for name in query.group_fields if name not in KEY_NAMES] + query.id_fields


def _key(query: GridQuery, row: dict) -> tuple:
    return tuple(row[name] for name in query.id_fields)


def _row(query: GridQuery, row: dict) -> dict:
    product = row.get("product__sku") or row["product__family__name"]
    place = row.get("territory__name") or row.get("territory__region__name") or "Company"
    filters = {**query.scope.as_filters()}
    filters.update({KEY_NAMES[name]: row[name] for name in query.id_fields})
    return {
        "id": "-".join(str(v) for v in _key(query, row)),
        "product": product,
        "family": row["product__family__name"],
        "place": place,
        "filters": filters,
        "values": {},
        "versions": {},
        "overridden": {},
        "changed": {},
        "notes": {},
        "editable": False,
        "submitted": False,
    }


def _page_filter(query: GridQuery, rows: dict) -> Q:
    """Rows of this page only (a superset on two axes; the grouping keeps them apart)."""
    q = Q()
    for index, name in enumerate(query.id_fields):
        q &= Q(**{f"{name}__in": {key[index] for key in rows}})
    return q if rows else Q(pk__in=[])


def _put(rows: dict, key: tuple, measure: str, month: date, value) -> None:
    row = rows.get(key)
    if row is not None:
        row["values"].setdefault(measure, {})[f"{month:%Y-%m}"] = float(value or 0)


def _actuals(query: GridQuery, page_filter: Q) -> list[dict]:
    months = query.actual_months()
    sales = (
        SalesActual.objects.filter(period__gte=months[0], period__lte=months[-1])
        .filter(scope_filter(query.scope), page_filter, territory__is_active=True)
        .values(*query.group_fields, "period")
        .annotate(total=Sum("revenue" if query.revenue else "units"))
    )
    return [{**sale, "measure": "actuals", "month": sale["period"], "stamp": 0} for sale in sales]


def previous_released(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.filter(status=Cycle.Status.RELEASED, month__lt=cycle.month)
        .order_by("-month")
        .first()
    )


def _add_previous(query: GridQuery, page_filter: Q, rows: dict) -> None:
    previous = previous_released(query.cycle)
    if previous is None:
        return
    figures = (
        plan_values_as_of(previous, previous.version_seq)
        .filter(measure=MeasureCode.CONSENSUS, month__in=query.months(), territory__is_active=True)
        .filter(scope_filter(query.scope), page_filter)
        .values(*query.id_fields, "month")
        .annotate(total=Sum(_amount(query, "value")))
    )
    for figure in figures:
        _put(rows, _key(query, figure), "previous", figure["month"], figure["total"])
    for row in rows.values():
        now, before = (
            row["values"].get(MeasureCode.CONSENSUS, {}),
            row["values"].get("previous", {}),
        )
        row["values"]["difference"] = {m: now.get(m, 0) - before.get(m, 0) for m in before}
        row["changed"] = grid_marks.changed_months(row["values"]["difference"])


def _add_rights(query: GridQuery, user, rows: dict) -> None:
    """A row is editable when the user may edit every territory under it and none is submitted."""
    cycle = query.cycle
    if cycle.is_released or measures.edit_refusal(OVERRIDE, cycle.stage_enum):
        return
    action = OVERRIDE.edit_action(cycle.stage_enum)
    submitted = _submitted_territories(cycle)
    territories = list(active_territories().values_list("pk", "region_id"))
    for row in rows.values():
        filters = row["filters"]
        under = [
            pk
            for pk, region in territories
            if filters.get("territory", pk) == pk and filters.get("region", region) == region
        ]
        row["submitted"] = bool(under) and all(pk in submitted for pk in under)
        row["editable"] = bool(under) and all(
            pk not in submitted and can(user, action, territory_id=pk)  # type: ignore[arg-type]  # not None: edit_refusal passed
            for pk in under
        )


def _submitted_territories(cycle: Cycle) -> set[int]:
    return set(
        gates.current_submissions(cycle, Stage.DEMAND_PLANNING).values_list(
            "territory_id", flat=True
        )
    )


def events_with_removal(cycle: Cycle, user) -> list[tuple]:
    """The cycle's events, each with whether event_delete would accept this user's removal:
    demand open to them now, every territory of the event theirs, none of them submitted."""
    events = cycle_events(cycle)
    if not can(user, "plan.demand.edit", cycle):
        return [(event, False) for event in events]
    submitted = _submitted_territories(cycle)
    return [(event, _may_change(user, event, submitted)) for event in events]


def _may_change(user, event, submitted: set[int]) -> bool:
    territories = {t.pk for t in event.territories.all()}
    return (
        bool(territories)
        and not territories & submitted
        and all(can(user, "plan.demand.edit", territory_id=pk) for pk in territories)
    )


def has_baseline(cycle: Cycle) -> bool:
    """Has a forecast been loaded into this cycle (its plan has rows)?"""
    return PlanValue.objects.filter(cycle=cycle, measure=MeasureCode.BASELINE).exists()


def edit_lock(cycle: Cycle, user) -> str | None:
    """Why this user can edit no demand figure of this cycle now, in their words; None if some.

    The same rules as the writes: the release lock, the override measure's stages,
    the edit permission per territory, and the submitted territories.
    """
    if cycle.is_released:
        return f"Released on {cycle.released_at:%Y-%m-%d}: this plan is locked."
    refusal = measures.edit_refusal(OVERRIDE, cycle.stage_enum)
    if refusal:
        return refusal
    action = OVERRIDE.edit_action(cycle.stage_enum)
    mine = [
        pk
        for pk in active_territories().values_list("pk", flat=True)
        if can(user, action, territory_id=pk)  # type: ignore[arg-type]  # not None: edit_refusal passed
    ]
    if not mine:
        return "Your role does not edit demand: the plan is read-only for you."
    submitted = _submitted_territories(cycle)
    if all(pk in submitted for pk in mine):
        return "Your territories are submitted: the plan is read-only unless the owner reopens it."
    return None


def own_territories(user) -> list[int] | None:
    """The territories a planner edits (their export's scope); None for company-wide roles."""
    if not is_territory_scoped(user, "plan.demand.edit"):
        return None
    return list(planned_territory_ids(user))


def overrides_of(cycle: Cycle, scope: Scope, limit: int = 20) -> list[Override]:
    """The latest overrides that changed a cell under this level: who, why, how much.

    An undone override is not listed: the list is back to what it was before it.
    """
    cells = Q()
    for name, lookup in (
        ("family", "cells__product__family_id"),
        ("product", "cells__product_id"),
        ("region", "cells__territory__region_id"),
        ("territory", "cells__territory_id"),
    ):
        if getattr(scope, name):
            cells &= Q(**{lookup: getattr(scope, name)})
    rows = Override.objects.filter(cycle=cycle, undone_at=None).filter(cells).distinct()
    return list(rows.select_related("actor", "reason").order_by("-created_at", "-id")[:limit])


def reason_codes():
    return ReasonCode.objects.filter(is_active=True)


def default_reason_code(user) -> str:
    """The reason this planner gave most in the last released cycle they overrode in.

    Carried forward as the preselected reason of their override and import forms;
    empty when they have no override in a released cycle (they choose, as before).
    """
    mine = Override.objects.filter(
        actor=user, cycle__status=Cycle.Status.RELEASED, reason__is_active=True
    )
    latest = mine.order_by("-cycle__month").values_list("cycle_id", flat=True).first()
    if latest is None:
        return ""
    counts = (
        mine.filter(cycle_id=latest)
        .values("reason__code")
        .annotate(uses=Count("id"), last=Max("created_at"))
        .order_by("-uses", "-last")
    )
    return counts[0]["reason__code"]


def submissions(cycle: Cycle) -> dict[int, str]:
    """territory id -> who submitted its demand plan, in the current stay."""
    return {
        s.territory_id: gates.display_name(s.submitted_by)
        for s in gates.current_submissions(cycle, Stage.DEMAND_PLANNING)
    }


def total(values: dict) -> Decimal:
    return sum((Decimal(str(v)) for v in values.values()), Decimal(0))


def cycle_events(cycle: Cycle) -> list:
    """The cycle's promotions, launches and phase-outs, each with `where` it applies in words.

    An event saved for every active territory reads "All territories", not twelve names.
    """
    everywhere = set(active_territories().values_list("pk", flat=True))
    events = list(
        DemandEvent.objects.filter(cycle=cycle)
        .select_related("family", "product", "like_product", "created_by")
        .prefetch_related("territories")
    )
    for event in events:
        places = sorted(event.territories.all(), key=lambda place: place.name)
        covered = {place.pk for place in places}
        event.where = (  # type: ignore[attr-defined]  # shown by the template only
            "All territories"
            if everywhere and covered >= everywhere
            else ", ".join(place.name for place in places) or "No territory"
        )
    return events
