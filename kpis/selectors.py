"""Reads of the KPI dashboard: the company's chosen KPIs, their figures per cycle and trends.

Plan totals are summed in the database (one grouped query for every cycle of
the trend); kpis.compute turns them into percentages. A released cycle never
changes, so its figures are cached under its release time.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import F, FloatField, Max, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from audit.models import AuditEvent
from cycles.measures import MeasureCode
from cycles.models import Cycle, PlanValue, PlanVersion
from cycles.stages import MoveKind
from kpis import compute
from kpis.catalogue import KPIS, Choice, Kpi, Status, default_choices, status_of
from kpis.models import KpiSetting
from reassessment.selectors import accuracy_trend, coverage_notes, fva_trend
from supply.projection import SupplyInput, target_inventory
from supply.selectors import supply_reads_by_cycle

TREND_CYCLES = 12
# A released cycle's figures are kept a day, not forever: the cache is shared Redis in
# production and outlives restarts, and quota attainment reads actuals loaded later.
FIGURES_TIMEOUT = 86400
# KPI -> (lag, field) of the reassessment app's company-level trends
ACCURACY_SOURCES = {
    "wape_lag1": (1, "wape"),
    "wape_lag3": (3, "wape"),
    "bias_lag1": (1, "bias_pct"),
    "bias_lag3": (3, "bias_pct"),
}
PLAN_MEASURES = (MeasureCode.CONSENSUS, MeasureCode.BUDGET_UNITS, MeasureCode.BUDGET_REVENUE)
MOVE_ACTIONS = [f"cycle.{kind.value}" for kind in MoveKind]  # each records the stage left


def kpi_choices() -> list[Choice]:
    """Every KPI as the company chose it (catalogue defaults where nothing is stored), in order."""
    stored = {row.code: row for row in KpiSetting.objects.filter(code__in=KPIS)}
    choices = [
        Choice(c.code, stored[c.code].visible, stored[c.code].position, stored[c.code].threshold)
        if c.code in stored
        else c
        for c in default_choices()
    ]
    return sorted(choices, key=lambda c: (c.position, c.code))


def threshold_of(code: str) -> float:
    """The company's target threshold of one KPI (the catalogue's default where none is stored)."""
    stored = KpiSetting.objects.filter(code=code).values_list("threshold", flat=True).first()
    return KPIS[code].default_threshold if stored is None else stored


def trend_cycles(today: date) -> list[Cycle]:
    """The last twelve cycles up to this month, oldest first."""
    cycles = Cycle.objects.filter(month__lte=today).order_by("-month")[:TREND_CYCLES]
    return list(reversed(cycles))


def cycle_figures(cycles: list[Cycle], *, today: date) -> dict[int, dict[str, float | None]]:
    """cycle id -> KPI code -> figure, for the KPIs computed from the plan and the cycle dates."""
    figures = {c.pk: cache.get(_cache_key(c)) for c in cycles if c.is_released}
    missing = [c for c in cycles if figures.get(c.pk) is None]
    totals = _plan_totals([c.pk for c in missing])
    closed = _stage_closings([c.pk for c in missing])
    supply = supply_reads_by_cycle(missing)
    quotas = _quota_figures(missing)
    coverages = _pipeline_coverages(missing)
    for cycle in missing:
        figures[cycle.pk] = {
            **_budget_figures(totals.get(cycle.pk, {})),
            **_supply_figures(cycle, *supply[cycle.pk]),
            **_timeliness_figures(cycle, closed.get(cycle.pk, {}), today),
            **quotas[cycle.pk],
            "pipeline_coverage": coverages.get(cycle.pk),
        }
        if cycle.is_released:
            cache.set(_cache_key(cycle), figures[cycle.pk], FIGURES_TIMEOUT)
    return figures


def _cache_key(cycle: Cycle) -> str:
    return f"kpis:figures:{cycle.pk}:{cycle.released_at.isoformat() if cycle.released_at else ''}"


def _plan_totals(cycle_ids: list[int]) -> dict[int, dict[str, tuple[float, float]]]:
    """cycle -> measure -> (units, units x list price) of the current figures in the horizon."""
    rows = (
        PlanValue.objects.live()
        .filter(cycle_id__in=cycle_ids, measure__in=PLAN_MEASURES)
        .filter(month__gte=F("cycle__month"))
        .values("cycle_id", "measure")
        .annotate(
            units=Sum(Cast("value", FloatField())),
            revenue=Sum(Cast("value", FloatField()) * Cast("product__unit_price", FloatField())),
        )
    )
    totals: dict = defaultdict(dict)
    for row in rows:
        totals[row["cycle_id"]][row["measure"]] = (row["units"] or 0.0, row["revenue"] or 0.0)
    return totals


def _budget_figures(totals: dict[str, tuple[float, float]]) -> dict[str, float | None]:
    units, revenue = totals.get(MeasureCode.CONSENSUS, (0.0, 0.0))
    budget_units = totals.get(MeasureCode.BUDGET_UNITS, (0.0, 0.0))[0]
    budget_revenue = totals.get(MeasureCode.BUDGET_REVENUE, (0.0, 0.0))[0]
    return {
        "revenue_vs_budget": compute.vs_budget_pct(revenue, budget_revenue),
        "volume_vs_budget": compute.vs_budget_pct(units, budget_units),
    }


def _supply_figures(
    cycle: Cycle, stored: dict, inputs: dict[int, SupplyInput]
) -> dict[str, float | None]:
    """Shortage and inventory against target from the stored supply plan (none: no data);
    `stored` and `inputs` as supply.selectors.stored_by_family_month and supply_inputs_all."""
    if not stored:
        return {"shortage": None, "inventory_cover": None}
    months = {month: t for t, month in enumerate(cycle.horizon())}
    shortage = inventory = target = 0.0
    for family, plan_input in inputs.items():
        targets = target_inventory(plan_input)
        for month, t in months.items():
            shortage += stored[(family, MeasureCode.SHORTAGE, month)]
            inventory += stored[(family, MeasureCode.PROJECTED_INVENTORY, month)]
            target += targets[t]
    demand = sum(sum(p.demand) for p in inputs.values())
    return {
        "shortage": compute.shortage_pct(shortage, demand),
        "inventory_cover": compute.inventory_vs_target_pct(inventory, target),
    }


def _quota_figures(cycles: list[Cycle]) -> dict[int, dict[str, float | None]]:
    """Per cycle, attainment of the approved quotas in the month before it, and year to
    date (two queries for every cycle)."""
    from quotas.attainment import company_attainments

    closed = {c.pk: _month_before(c.month) for c in cycles}
    attainment = company_attainments(list(closed.values()))
    return {
        pk: {
            "quota_attainment_month": attainment[month][0],
            "quota_attainment_ytd": attainment[month][1],
        }
        for pk, month in closed.items()
    }


def _month_before(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def _pipeline_coverages(cycles: list[Cycle]) -> dict[int, float | None]:
    """Company pipeline coverage of each cycle's next three months, in %: a released cycle's
    as frozen at its release; none when it was released before the CRM was connected."""
    from demand.pipeline_reads import company_coverages

    return {
        pk: None if coverage.ratio is None else float(coverage.ratio * 100)
        for pk, coverage in company_coverages(cycles).items()
    }


def _stage_closings(cycle_ids: list[int]) -> dict[int, dict[str, date]]:
    """cycle -> stage -> the day it was last left, as the audit trail recorded the move.

    A cycle without recorded moves (the demo's generated history) falls back to its
    versions, one per stage exit. Versions alone no longer tell: a baseline load takes
    one mid-stage, and leaving data gathering before a baseline takes none.
    """
    moves = (
        AuditEvent.objects.filter(cycle_id__in=cycle_ids, action__in=MOVE_ACTIONS)
        .values("cycle_id", stage=KT("before__stage"))
        .annotate(left=Max("created_at"))
    )
    closed: dict = defaultdict(dict)
    for row in moves:
        closed[row["cycle_id"]][row["stage"]] = row["left"].date()
    versions = (
        PlanVersion.objects.filter(cycle_id__in=[c for c in cycle_ids if c not in closed])
        .values("cycle_id", "stage")
        .annotate(left=Max("created_at"))
    )
    for row in versions:
        closed[row["cycle_id"]][row["stage"]] = row["left"].date()
    return closed


def _timeliness_figures(cycle: Cycle, closed: dict[str, date], today: date) -> dict:
    due = {stage: date.fromisoformat(day) for stage, day in cycle.stage_due.items()}
    result = compute.timeliness(due, closed, today=today)
    return {"stages_on_time": result.on_time_pct, "days_late": result.days_late}


@dataclass(frozen=True)
class Point:
    label: str  # a cycle month or a scored month, YYYY-MM
    value: float | None
    in_progress: bool = False  # a cycle still open: the figure can still change
    note: str = ""  # e.g. a month scored on part of the territories' actuals

    @property
    def caption(self) -> str:
        return f"{self.label}, in progress" if self.in_progress else self.label


@dataclass
class Tile:
    kpi: Kpi
    threshold: float
    points: list[Point] = field(default_factory=list)

    @property
    def current(self) -> Point | None:
        """The latest point with a figure: the current cycle's, or the last one known."""
        known = [p for p in self.points if p.value is not None]
        return known[-1] if known else None

    @property
    def status(self) -> Status:
        current = self.current
        return status_of(self.kpi, current.value if current else None, self.threshold)

    @property
    def target_text(self) -> str:
        return self.kpi.direction.describe(self.threshold, self.kpi.unit)

    def point_statuses(self) -> list[tuple[Point, Status]]:
        return [(p, status_of(self.kpi, p.value, self.threshold)) for p in self.points]


def dashboard(*, today: date, include_hidden: bool = False) -> list[Tile]:
    """The chosen KPIs in the chosen order, each with its trend over the last twelve cycles."""
    choices = [c for c in kpi_choices() if c.visible or include_hidden]
    cycles = trend_cycles(today)
    figures = cycle_figures(cycles, today=today) if cycles else {}
    trends = _score_trends([c.code for c in choices if KPIS[c.code].needs_scores])
    # one look at the actuals for every scored month shown, not one per tile
    notes = coverage_notes(sorted({row["month"] for _, t in trends.values() for row in t}))
    tiles = []
    for choice in choices:
        kpi = KPIS[choice.code]
        tile = Tile(kpi, choice.threshold)
        tile.points = (
            _score_points(*trends[kpi.code], notes)
            if kpi.needs_scores
            else _cycle_points(kpi, cycles, figures)
        )
        tiles.append(tile)
    return tiles


def _cycle_points(kpi: Kpi, cycles: list[Cycle], figures: dict) -> list[Point]:
    return [
        Point(f"{c.month:%Y-%m}", figures[c.pk].get(kpi.code), in_progress=not c.is_released)
        for c in cycles
    ]


def _score_trends(codes: list[str]) -> dict[str, tuple[str, list[dict]]]:
    """Per KPI, accuracy, bias or value added of the last twelve scored months (see
    reassessment): the trend's field for the KPI, and the trend. One read per lag: the
    four accuracy and bias KPIs share two trends."""
    lags = {ACCURACY_SOURCES[code][0] for code in codes if code in ACCURACY_SOURCES}
    by_lag = {lag: accuracy_trend(lag=lag, months=TREND_CYCLES) for lag in lags}
    trends = {}
    for code in codes:
        if code == "override_fva":
            trends[code] = ("override_fva", fva_trend(lag=1, months=TREND_CYCLES))
        else:
            lag, name = ACCURACY_SOURCES[code]
            trends[code] = (name, by_lag[lag])
    return trends


def _score_points(name: str, trend: list[dict], notes: dict[date, str]) -> list[Point]:
    return [
        Point(f"{row['month']:%Y-%m}", row[name], note=notes.get(row["month"], ""))
        for row in trend
    ]


def tile_for(code: str, *, today: date) -> Tile | None:
    """One KPI's tile, shown or hidden (for its CSV)."""
    return next(
        (t for t in dashboard(today=today, include_hidden=True) if t.kpi.code == code), None
    )


def chart_series(tiles: list[Tile]) -> list[dict]:
    """What the charts draw: per KPI its labels, figures (None: a gap) and threshold."""
    return [
        {
            "code": tile.kpi.code,
            "label": tile.kpi.label,
            "direction": tile.kpi.direction.value,
            "threshold": tile.threshold,
            "labels": [p.caption for p in tile.points],
            "values": [None if p.value is None else round(p.value, 2) for p in tile.points],
        }
        for tile in tiles
    ]
