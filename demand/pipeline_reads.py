"""Reads of the CRM pipeline for demand planning: the grid's Pipeline rows and the deals
behind a cell.

The pipeline is computed on read from the deals as last synced, not stored as a plan
measure: it changes with every CRM sync, belongs to no plan version and nobody enters it.
What a released cycle saw is frozen at release (demand.pipeline_freeze) and read back
from there: a later sync does not change what the released plan was compared with.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from accounts.permissions import ensure_allowed, is_territory_scoped, planned_territory_ids
from crm.models import CrmStage, Deal
from cycles.measures import MeasureCode
from cycles.models import Cycle
from cycles.selectors import plan_revenue, plan_values_live, plan_values_live_of
from demand import pipeline
from demand.models import ReleasedBooked, ReleasedPipeline, ReleasedPipelineCell
from demand.scope import Scope
from forecasting.models import SalesActual
from territories.selectors import active_territories

DEALS_ACTION = "pipeline.deals.view"
GRID_MEASURES = {
    "pipeline": ("units", "revenue"),
    "pipeline_learned": ("learned_units", "learned_revenue"),
}
WON_EVERYWHERE = 10**6  # a won deal reached every open stage


def open_stages() -> list[pipeline.Stage]:
    rows = CrmStage.objects.filter(is_won=False, is_lost=False)
    return [pipeline.Stage(s.pk, s.name, s.position, s.likelihood) for s in rows]


def learned_likelihoods() -> dict[int, pipeline.StageLikelihood]:
    """Each open stage's likelihood learned from the company's closed deals."""
    stages = open_stages()
    first = min((stage.position for stage in stages), default=0)
    open_positions = {stage.id: stage.position for stage in stages}
    closed = []
    deals = Deal.objects.filter(status__in=[Deal.Status.WON, Deal.Status.LOST])
    for won, stage_id in deals.filter(deleted_upstream=False).values_list("status", "stage_id"):
        if won == Deal.Status.WON:
            closed.append(pipeline.ClosedDeal(True, WON_EVERYWHERE))
        else:  # lost from an open stage, or (in the CRM's "lost" stage) known only to start
            closed.append(pipeline.ClosedDeal(False, open_positions.get(stage_id, first)))
    return pipeline.stage_likelihoods(stages, closed)


@dataclass(frozen=True)
class StageRow:
    name: str
    likelihood: pipeline.StageLikelihood


def stage_rows() -> list[StageRow]:
    """Each open CRM stage in pipeline order with its stated and learned likelihood."""
    learned = learned_likelihoods()
    stages = sorted(open_stages(), key=lambda stage: stage.position)
    return [StageRow(stage.name, learned[stage.id]) for stage in stages]


def _month(day: date | None) -> date | None:
    return day.replace(day=1) if day else None


def open_deals(months: list[date], territory_ids: set[int] | None = None) -> dict[int, Deal]:
    """The open deals closing in these months, in active territories (all, or these)."""
    deals = Deal.objects.filter(
        status=Deal.Status.OPEN,
        deleted_upstream=False,
        territory__is_active=True,
        expected_close__gte=months[0],
        expected_close__lt=_after(months[-1]),
    )
    if territory_ids is not None:
        deals = deals.filter(territory_id__in=territory_ids)
    deals = deals.select_related("stage", "territory").prefetch_related("lines__product")
    return {deal.pk: deal for deal in deals}


def _after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def as_input(deal: Deal) -> pipeline.OpenDeal:
    lines = tuple(
        pipeline.Line(
            line.product_id,
            line.product.family_id if line.product else None,
            line.quantity,
            line.quantity * line.unit_price,
        )
        for line in deal.lines.all()
    )
    return pipeline.OpenDeal(
        id=deal.pk,
        stage_id=deal.stage_id,
        likelihood=deal.win_likelihood,
        territory_id=deal.territory_id,
        family_id=deal.family_id,
        close_month=_month(deal.expected_close),
        value_company=deal.value_company,
        lines=lines,
    )


def live_pipeline(cycle: Cycle, months: list[date] | None = None) -> pipeline.Pipeline:
    """The weighted pipeline over the cycle's horizon (or these of its months) from the deals
    as last synced, by the CRM's and the learned likelihoods."""
    deals = open_deals(months or cycle.horizon())
    return pipeline.weigh([as_input(d) for d in deals.values()], learned_likelihoods())


def cycle_pipeline(cycle: Cycle, months: list[date] | None = None) -> pipeline.Pipeline:
    """The cycle's weighted pipeline: as frozen at release for a released cycle (empty when
    it was released before the CRM was connected), else from the deals as last synced
    (either: those closing in `months` where given; the coverage reads only the first three)."""
    if not cycle.is_released:
        return live_pipeline(cycle, months)
    frozen = frozen_of(cycle)
    return pipeline.Pipeline(cells=_frozen_cells(frozen, months) if frozen else {})


def frozen_of(cycle: Cycle) -> ReleasedPipeline | None:
    """The cycle's frozen pipeline, read once per cycle object (Django keeps the reverse
    one-to-one on it): a page asks for it from several places."""
    try:
        return cycle.released_pipeline
    except ReleasedPipeline.DoesNotExist:
        return None


def _frozen_cells(
    frozen: ReleasedPipeline, months: list[date] | None = None
) -> dict[pipeline.CellKey, pipeline.Weighted]:
    cells = frozen.cells.all() if months is None else frozen.cells.filter(month__in=months)
    return {
        pipeline.CellKey(c.family_id, c.product_id, c.territory_id, c.month): pipeline.Weighted(
            c.units, c.revenue, c.learned_units, c.learned_revenue
        )
        for c in cells
    }


@dataclass(frozen=True)
class CellFilter:
    """Which pipeline cells a grid row or a cell covers."""

    scope: Scope
    region_of: dict[int, int]
    months: frozenset[date]
    products_only: bool  # SKU rows: deals without lines (family only) have no SKU to land on

    def covers(self, key: pipeline.CellKey) -> bool:
        s = self.scope
        return (
            key.month in self.months
            and (not self.products_only or key.product_id is not None)
            and (not s.family or key.family_id == s.family)
            and (not s.product or key.product_id == s.product)
            and (not s.territory or key.territory_id == s.territory)
            and (not s.region or self.region_of.get(key.territory_id) == s.region)
        )


def region_of() -> dict[int, int]:
    return dict(active_territories().values_list("pk", "region_id"))


def add_to_grid(query, rows: dict, total: dict) -> None:
    """Put the Pipeline (weighted) and Pipeline (learned) rows' figures into the grid's rows
    (keyed by query.id_fields) and the scope's total."""
    regions = region_of()
    cells = cycle_pipeline(query.cycle).cells
    sku = query.product_level == "sku"
    wanted = CellFilter(query.scope, regions, frozenset(query.months()), sku)
    amounts = {code: fields[1 if query.revenue else 0] for code, fields in GRID_MEASURES.items()}
    for key, weighted in cells.items():
        if not wanted.covers(key):
            continue
        label = f"{key.month:%Y-%m}"
        row = rows.get(_row_key(query.id_fields, key, regions))
        for code, amount in amounts.items():
            figure = float(getattr(weighted, amount))
            for values in (row["values"] if row else None, total["values"]):
                if values is not None:
                    month_values = values.setdefault(code, {})
                    month_values[label] = month_values.get(label, 0.0) + figure


def _row_key(id_fields: list[str], key: pipeline.CellKey, regions: dict[int, int]) -> tuple:
    parts = {
        "product__family_id": key.family_id,
        "product_id": key.product_id,
        "territory__region_id": regions.get(key.territory_id),
        "territory_id": key.territory_id,
    }
    return tuple(parts[name] for name in id_fields)


@dataclass(frozen=True)
class DealBehind:
    id: int
    name: str
    organization: str
    owner: str
    stage: str
    likelihood: Decimal
    learned_likelihood: Decimal
    expected_close: date
    value: Decimal
    currency: str
    value_company: Decimal
    territory: str
    weighted_units: Decimal
    weighted_revenue: Decimal


@dataclass(frozen=True)
class DealsBehind:
    deals: list[DealBehind]
    hidden: int  # deals in this cell in territories the user does not plan
    scope_words: str
    note: str = ""  # what the list is, when it is not what the figure was made of


def deals_behind(*, cycle: Cycle, user, scope: Scope, month: date) -> DealsBehind:
    """The open deals behind one grid cell, biggest weighted revenue first. A planner sees
    the deals of the territories they plan; the others are counted, not shown."""
    ensure_allowed(user, DEALS_ACTION, territory_id=scope.territory)
    month = month.replace(day=1)
    wanted = CellFilter(scope, region_of(), frozenset([month]), bool(scope.product))
    learned = learned_likelihoods()
    mine = planned_territory_ids(user) if is_territory_scoped(user, DEALS_ACTION) else None
    shown, hidden = [], 0
    for deal in open_deals([month]).values():
        cells = [c for c in _placed(deal) if wanted.covers(c[0])]
        if not cells:
            continue
        if mine is not None and deal.territory_id not in mine:
            hidden += 1
            continue
        shown.append(_behind(deal, cells, learned))
    shown.sort(key=lambda d: (-d.weighted_revenue, d.name))
    return DealsBehind(shown, hidden, f"{scope.describe()}, {month:%b %Y}", _released_note(cycle))


def _released_note(cycle: Cycle) -> str:
    """A released cycle's figure is its frozen pipeline; the deals are listed as they are now."""
    if not cycle.is_released:
        return ""
    frozen = frozen_of(cycle)
    if frozen is None:
        return "This plan was released before the CRM was connected; these are today's deals."
    return (
        f"The figure is the pipeline frozen at the plan's release ({frozen.frozen_at:%Y-%m-%d}); "
        "these are the deals as last synced, which may have moved since."
    )


def _placed(deal: Deal) -> list:
    entry = as_input(deal)
    placed = pipeline.weigh([entry], {})
    return pipeline.deal_cells(entry) if not placed.not_placed else []


def _behind(deal: Deal, cells: list, learned: dict) -> DealBehind:
    share = deal.win_likelihood / pipeline.HUNDRED
    return DealBehind(
        id=deal.pk,
        name=deal.name,
        organization=deal.organization,
        owner=deal.owner_name,
        stage=deal.stage.name,
        likelihood=deal.win_likelihood,
        learned_likelihood=pipeline.learned_for_deal(as_input(deal), learned.get(deal.stage_id)),
        expected_close=deal.expected_close,
        value=deal.value,
        currency=deal.currency,
        value_company=deal.value_company or Decimal(0),
        territory=deal.territory.name if deal.territory else "",
        weighted_units=sum((units for _k, units, _r in cells), Decimal(0)) * share,
        weighted_revenue=sum((revenue for _k, _u, revenue in cells), Decimal(0)) * share,
    )


COVERAGE_KPI = "pipeline_coverage"
# The KPI targets' reader, threshold_of(code) -> percent: registered by the kpis app,
# which sits above demand and reads it.
_threshold_readers: list[Callable[[str], float]] = []


def register_threshold_reader(reader: Callable[[str], float]) -> None:
    _threshold_readers[:] = [reader]


def coverage_threshold() -> Decimal:
    """The company's coverage threshold as a fraction (0.8 for 80%): the threshold of the
    pipeline coverage KPI, set with the other KPI targets."""
    return Decimal(str(_threshold_readers[0](COVERAGE_KPI))) / 100


@dataclass(frozen=True)
class TerritoryCoverage:
    territory: str
    months: list[tuple[date, pipeline.Coverage]]


def coverage_by_territory(
    cycle: Cycle, *, months: int = 3, threshold: Decimal | None = None
) -> list[TerritoryCoverage]:
    """Per active territory and the cycle's first months, in revenue: (weighted pipeline +
    booked, see booked_revenue) / consensus revenue (cycles.selectors.plan_revenue).
    Flagged below `threshold` (a fraction), by default the company's setting."""
    if threshold is None:
        threshold = coverage_threshold()
    horizon = cycle.horizon()[:months]
    cells = pipeline.merge(
        cycle_pipeline(cycle, horizon).cells,
        lambda key: (key.territory_id, key.month) if key.month in horizon else None,
    )
    consensus = _consensus_revenue(cycle, horizon)
    booked_of = cycle_booked(cycle, horizon)
    out = []
    for territory in active_territories():
        figures = []
        for month in horizon:
            key = (territory.pk, month)
            booked = booked_of.get(key, Decimal(0))
            weighted = cells[key].revenue if key in cells else Decimal(0)
            figures.append(
                (
                    month,
                    pipeline.coverage(
                        pipeline=weighted,
                        booked=booked or Decimal(0),
                        consensus=consensus.get(key, Decimal(0)),
                        threshold=threshold,
                    ),
                )
            )
        out.append(TerritoryCoverage(territory.name, figures))
    return out


def booked_revenue(horizon: list[date]) -> dict[tuple[int, date], Decimal]:
    """(territory, month) -> revenue booked: the month's actuals once it has any, else the
    value of the deals won in it (never both: a won deal ships into the actuals)."""
    actuals, won = _actual_revenue(horizon), _won_revenue(horizon)
    return {**won, **actuals}


def cycle_booked(cycle: Cycle, horizon: list[date]) -> dict[tuple[int, date], Decimal]:
    """Booked revenue as frozen at release for a released cycle, else as it stands today."""
    if not cycle.is_released:
        return booked_revenue(horizon)
    rows = ReleasedBooked.objects.filter(frozen__cycle=cycle, month__in=horizon)
    return {(r.territory_id, r.month): r.revenue for r in rows}


def has_pipeline(cycle: Cycle) -> bool:
    """Whether the cycle has a pipeline to show: an open cycle always (today's deals), a
    released one only if its pipeline was frozen at release."""
    return not cycle.is_released or frozen_of(cycle) is not None


def coverage_context(cycle: Cycle) -> dict:
    """What templates/demand/_pipeline_coverage.html shows: the demand page and the pre-read.
    A released cycle shows the coverage frozen at its release; nothing when it has none."""
    frozen = frozen_of(cycle) if cycle.is_released else None
    if cycle.is_released and frozen is None:
        return {}
    threshold = coverage_threshold()
    return {
        "coverage": coverage_by_territory(cycle, threshold=threshold),
        "coverage_threshold": threshold * 100,
        "coverage_frozen_at": frozen.frozen_at if frozen else None,
    }


def company_coverage(
    cycle: Cycle, *, months: int = 3, threshold: Decimal | None = None
) -> pipeline.Coverage:
    """The company total of coverage_by_territory: every active territory's weighted pipeline
    plus booked over their consensus, for the cycle's first months (flag by `threshold`, by
    default the company's setting)."""
    if threshold is None:
        threshold = coverage_threshold()
    rows = coverage_by_territory(cycle, months=months, threshold=threshold)
    figures = [c for row in rows for _m, c in row.months]
    return pipeline.coverage(
        pipeline=sum((c.pipeline for c in figures), Decimal(0)),
        booked=sum((c.booked for c in figures), Decimal(0)),
        consensus=sum((c.consensus for c in figures), Decimal(0)),
        threshold=threshold,
    )


def company_coverages(cycles: list[Cycle], *, months: int = 3) -> dict[int, pipeline.Coverage]:
    """company_coverage of each cycle that has_pipeline, keyed by cycle id: the released
    cycles' frozen pipelines read together in a few queries whatever their number (the KPI
    dashboard's trend), an open cycle's live pipeline by company_coverage."""
    frozen = set(
        ReleasedPipeline.objects.filter(cycle__in=cycles).values_list("cycle_id", flat=True)
    )
    released = [c for c in cycles if c.is_released and c.pk in frozen]
    threshold = coverage_threshold()
    out = {
        c.pk: company_coverage(c, months=months, threshold=threshold)
        for c in cycles
        if not c.is_released
    }
    if not released:
        return out
    horizons = {c.pk: c.horizon()[:months] for c in released}
    territories = {t.pk for t in active_territories()}
    weighted, booked, planned = (
        _sums_by_cycle(rows, horizons, territories) for rows in _frozen_company_reads(horizons)
    )
    for pk in horizons:
        out[pk] = pipeline.coverage(
            pipeline=weighted.get(pk, Decimal(0)),
            booked=booked.get(pk, Decimal(0)),
            consensus=planned.get(pk, Decimal(0)),
            threshold=threshold,
        )
    return out


def _frozen_company_reads(horizons: dict[int, list[date]]) -> tuple:
    """(cycle id, territory id, month, revenue) rows of these cycles' months: their frozen
    weighted pipeline, their frozen booked revenue and their consensus revenue."""
    months = Q()
    for pk, horizon in horizons.items():
        months |= Q(cycle_id=pk, month__in=horizon)
    frozen = {"frozen__cycle_id__in": list(horizons)}
    return (
        ReleasedPipelineCell.objects.filter(**frozen)
        .values_list("frozen__cycle_id", "territory_id", "month")
        .annotate(total=Sum("revenue")),
        ReleasedBooked.objects.filter(**frozen).values_list(
            "frozen__cycle_id", "territory_id", "month", "revenue"
        ),
        plan_values_live_of(months, MeasureCode.CONSENSUS)
        .values_list("cycle_id", "territory_id", "month")
        .annotate(total=Sum(plan_revenue())),
    )


def _sums_by_cycle(rows, horizons: dict[int, list[date]], territories: set[int]) -> dict:
    """cycle id -> the sum over the active territories and the cycle's months."""
    sums: dict[int, Decimal] = {}
    for cycle_id, territory_id, month, total in rows:
        if territory_id in territories and month in horizons[cycle_id]:
            sums[cycle_id] = sums.get(cycle_id, Decimal(0)) + Decimal(str(total or 0))
    return sums


def _consensus_revenue(cycle: Cycle, horizon: list[date]) -> dict:
    rows = (
        plan_values_live(cycle, MeasureCode.CONSENSUS)
        .filter(month__in=horizon)
        .values("territory_id", "month")
        .annotate(total=Sum(plan_revenue(cycle)))
    )
    return {(r["territory_id"], r["month"]): Decimal(str(r["total"] or 0)) for r in rows}


def _actual_revenue(horizon: list[date]) -> dict:
    rows = (
        SalesActual.objects.filter(period__in=horizon)
        .values("territory_id", "period")
        .annotate(total=Sum("revenue"))
    )
    return {(r["territory_id"], r["period"]): Decimal(str(r["total"] or 0)) for r in rows}


def _won_revenue(horizon: list[date]) -> dict:
    totals: dict = {}
    deals = Deal.objects.filter(
        status=Deal.Status.WON,
        deleted_upstream=False,
        closed_on__gte=horizon[0],
        closed_on__lt=_after(horizon[-1]),
        value_company__isnull=False,
    ).values_list("territory_id", "closed_on", "value_company")
    for territory_id, closed_on, value in deals:
        key = (territory_id, closed_on.replace(day=1))
        totals[key] = totals.get(key, Decimal(0)) + value
    return totals
