"""Reads of the cycles app: cycles, versions and the comparison of two versions."""

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from cycles import version_compare
from cycles.guides import DEFAULT_GUIDES
from cycles.measures import MEASURES, Aggregation, MeasureCode, over_horizon
from cycles.models import Cycle, PlanValue, PlanVersion, StageGuide
from cycles.stages import Stage
from sop_planner.errors import DomainError

WORKING = "now"  # the pseudo-version: the values as they stand


def current_cycle() -> Cycle | None:
    """The newest open cycle, if any."""
    return Cycle.objects.filter(status=Cycle.Status.OPEN).select_related("owner").first()


def past_cycles(limit: int = 24) -> QuerySet[Cycle]:
    return Cycle.objects.filter(status=Cycle.Status.RELEASED).select_related("owner")[:limit]


def cycle_versions(cycle: Cycle) -> QuerySet[PlanVersion]:
    return cycle.versions.select_related("created_by").order_by("seq")


def baseline_in_plan(cycle: Cycle) -> bool:
    """Whether a forecast run has been loaded into the cycle's plan as its baseline."""
    return PlanValue.objects.filter(cycle=cycle, measure=MeasureCode.BASELINE).exists()


class UnknownVersion(DomainError):
    """The cycle has no such version; the message names it."""


def version_seq(cycle: Cycle, version: str | int) -> int:
    """A version's sequence; WORKING is the sequence edits are written in now.

    Anything else must be the sequence of one of the cycle's versions: a number
    past them would read the plan as it stands and pass it off as a version.
    """
    if str(version) == WORKING:
        return cycle.version_seq
    text = str(version).strip()
    if text.isdigit() and cycle.versions.filter(seq=int(text)).exists():
        return int(text)
    raise UnknownVersion(f"{cycle} has no version {text or '(none given)'}.")


def plan_values_live(cycle: Cycle, *measures: str) -> QuerySet[PlanValue]:
    """The working plan's current figures of a cycle, of these measures (every measure when
    none is named): the door other apps read plan figures through."""
    return plan_values_live_of(Q(cycle=cycle), *measures)


def plan_values_live_of(cycles: Q, *measures: str) -> QuerySet[PlanValue]:
    """plan_values_live of several cycles at once: `cycles` is a condition on the figures
    (e.g. `Q(cycle_id=1, month__in=...) | Q(cycle_id=2, ...)`)."""
    rows = PlanValue.objects.live().filter(cycles)
    return rows.filter(measure__in=measures) if measures else rows


MONEY: DecimalField = DecimalField(max_digits=30, decimal_places=6)


def plan_revenue(cycle: Cycle | None = None) -> ExpressionWrapper:
    """A plan figure's revenue, for an annotation over plan figures (`Sum(plan_revenue(c))`):
    its units at the planned price of the same cell where reconciliation promoted a price
    change, else at the product's list price. Every consensus revenue uses this one rule.
    Without a cycle, each figure is priced in its own cycle (figures of several cycles)."""
    return ExpressionWrapper(F("value") * _revenue_price(cycle), MONEY)


def _revenue_price(cycle: Cycle | None) -> Coalesce:
    own_cycle = Q(cycle=cycle) if cycle else Q(cycle_id=OuterRef("cycle_id"))
    planned = Subquery(
        plan_values_live_of(own_cycle, MeasureCode.PRICE)
        .filter(
            product_id=OuterRef("product_id"),
            territory_id=OuterRef("territory_id"),
            month=OuterRef("month"),
        )
        .values("value")[:1]
    )
    return Coalesce(planned, F("product__unit_price"))


def plan_values_as_of(cycle: Cycle, seq: int) -> QuerySet[PlanValue]:
    """The plan as it stood at a version: one range condition, nothing copied."""
    return PlanValue.objects.as_of(seq).filter(cycle=cycle)


@dataclass(frozen=True)
class ValueChange:
    measure: str
    sku: str
    territory: str
    month: date
    before: Decimal | None
    after: Decimal | None
    changed_by: str
    changed_at: datetime | None

    @property
    def delta(self) -> Decimal:
        return (self.after or Decimal(0)) - (self.before or Decimal(0))

    @property
    def measure_label(self) -> str:
        known = MEASURES.get(self.measure)
        return known.label if known else self.measure


CENT = Decimal("0.01")


@dataclass(frozen=True)
class MeasureChanges:
    measure: str
    label: str
    count: int
    delta: Decimal


def compare_default(cycle: Cycle, versions: list[PlanVersion]) -> tuple[str, str]:
    """The comparison a page opens with: the last step that changed the plan.

    That is the version before the plan's latest change against the first
    version that holds it (or the plan as it stands), so a released cycle does
    not open on two identical versions, nor on the whole plan since #1.
    """
    if not versions:
        return WORKING, WORKING
    # two plain maxima, each read off its index, not a scan of the whole plan
    ends = PlanValue.objects.filter(cycle=cycle).aggregate(
        started=Max("valid_from_seq"), ended=Max("valid_to_seq")
    )
    last = max(ends["started"] or 0, ends["ended"] or 0)
    seqs = [v.seq for v in versions]
    last = last or seqs[0]
    after = next((str(seq) for seq in seqs if seq >= last), WORKING)
    before = max((seq for seq in seqs if seq < last), default=seqs[0])
    return str(before), after


def plan_versions_compare(
    *,
    cycle: Cycle,
    seq_a: int,
    seq_b: int,
    measure: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[ValueChange]:
    """What changed between two versions, line by line, and by whom: one page of it
    (`limit` figures from `offset`, all when None), compared in the database."""
    low, high = sorted((seq_a, seq_b))
    rows = version_compare.change_rows(
        cycle_id=cycle.pk,
        low=low,
        high=high,
        measure=measure,
        limit=limit,
        offset=offset,
    )
    names = _user_names({row[6] for row in rows if row[6] is not None})
    return [
        ValueChange(*row[:6], changed_by=names.get(row[6], ""), changed_at=row[7])  # type: ignore[misc]  # row[:6]: the six leading fields
        for row in rows
    ]


def plan_versions_summary(*, cycle: Cycle, seq_a: int, seq_b: int) -> list[MeasureChanges]:
    """Per measure: how many figures changed between two versions and by how much in all."""
    low, high = sorted((seq_a, seq_b))
    totals = version_compare.measure_totals(cycle_id=cycle.pk, low=low, high=high)
    return [
        MeasureChanges(code, _label(code), count, (total or Decimal(0)).quantize(CENT))
        for code, count, total in totals
    ]


class VersionChanges:
    """The changes between two versions as a sequence a paginator slices: a slice is one
    page of rows, its length one aggregate query (asked for only when a count is wanted);
    the whole list is never built."""

    def __init__(self, *, cycle: Cycle, seq_a: int, seq_b: int) -> None:
        self.cycle, self.seq_a, self.seq_b = cycle, seq_a, seq_b

    def __len__(self) -> int:
        summary = plan_versions_summary(cycle=self.cycle, seq_a=self.seq_a, seq_b=self.seq_b)
        return sum(row.count for row in summary)

    def __getitem__(self, window: slice) -> list[ValueChange]:
        start = window.start or 0
        return plan_versions_compare(
            cycle=self.cycle,
            seq_a=self.seq_a,
            seq_b=self.seq_b,
            limit=None if window.stop is None else window.stop - start,
            offset=start,
        )


def _label(code: str) -> str:
    known = MEASURES.get(code)
    return known.label if known else code


def _user_names(ids: set[int]) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


def plan_totals(cycle: Cycle) -> list[dict]:
    """Per measure: one figure for the plan as it stands, counted the way the measure adds up
    (flows totalled, stocks at their last month, ratios averaged); summed per month in the
    database. A released plan never changes: its totals are summed once and kept."""
    if not cycle.is_released:
        return _plan_totals(cycle)
    key = f"cycles:plan-totals:{cycle.pk}:{cycle.version_seq}"
    return cache.get_or_set(key, lambda: _plan_totals(cycle), timeout=3600)  # type: ignore[return-value]  # never None: it computes on a miss


def _plan_totals(cycle: Cycle) -> list[dict]:
    countable = [c for c, m in MEASURES.items() if m.aggregation is not Aggregation.WEIGHTED]
    rows = (
        plan_values_as_of(cycle, cycle.version_seq)
        .filter(measure__in=countable)
        .values("measure", "month")
        .annotate(total=Sum("value"), figures=Count("id"))
    )
    monthly: dict[str, dict] = defaultdict(dict)
    for row in rows:
        monthly[row["measure"]][row["month"]] = (float(row["total"]), row["figures"])
    summary = []
    for code in (code for code in MEASURES if code in monthly):
        m = MEASURES[code]
        figure = over_horizon(m, monthly[code])
        summary.append(
            {
                "measure": code,
                "label": m.label,
                "aggregation": m.aggregation.value,
                **asdict(figure),
            }
        )
    return summary


@dataclass(frozen=True)
class Guide:
    stage: Stage
    text: str
    checklist: list[str]
    edited: bool


def stage_guide(stage: Stage) -> Guide:
    """The saved guide of a stage, or the default one."""
    saved = StageGuide.objects.filter(stage=stage.value).first()
    if saved:
        return Guide(stage, saved.text, list(saved.checklist), edited=True)
    text, checklist = DEFAULT_GUIDES[stage]
    return Guide(stage, text, list(checklist), edited=False)
