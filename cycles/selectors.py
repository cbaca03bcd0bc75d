"""Reads of the cycles app: cycles, versions and the comparison of two versions."""

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Greatest

from cycles.guides import DEFAULT_GUIDES
from cycles.measures import MEASURES, Aggregation, over_horizon
from cycles.models import Cycle, PlanValue, PlanVersion, StageGuide
from cycles.stages import Stage
from sop_planner.errors import DomainError
from sop_planner.spreadsheet import csv_line

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
    return PlanValue.objects.filter(cycle=cycle, measure="baseline").exists()


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


def plan_values_as_of(cycle: Cycle, seq: int) -> QuerySet[PlanValue]:
    """The plan as it stood at a version: one range condition, nothing copied."""
    return PlanValue.objects.filter(cycle=cycle, valid_from_seq__lte=seq).filter(
        Q(valid_to_seq__isnull=True) | Q(valid_to_seq__gt=seq)
    )


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


def changes_by_measure(changes: list[ValueChange]) -> list[MeasureChanges]:
    """Per measure, in the order of the changes: how many figures changed and by how much in all."""
    labels: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    deltas: dict[str, Decimal] = defaultdict(Decimal)
    for change in changes:
        labels.setdefault(change.measure, change.measure_label)
        counts[change.measure] += 1
        deltas[change.measure] += change.delta
    return [
        # quantized: 1,051,278, not 1,051,278.00 from 1051277.9996
        MeasureChanges(code, label, counts[code], deltas[code].quantize(CENT))
        for code, label in labels.items()
    ]


def compare_default(cycle: Cycle, versions: list[PlanVersion]) -> tuple[str, str]:
    """The comparison a page opens with: the last step that changed the plan.

    That is the version before the plan's latest change against the first
    version that holds it (or the plan as it stands), so a released cycle does
    not open on two identical versions, nor on the whole plan since #1.
    """
    if not versions:
        return WORKING, WORKING
    last = PlanValue.objects.filter(cycle=cycle).aggregate(
        last=Max(Greatest("valid_from_seq", Coalesce("valid_to_seq", 0)))
    )["last"]
    seqs = [v.seq for v in versions]
    last = last or seqs[0]
    after = next((str(seq) for seq in seqs if seq >= last), WORKING)
    before = max((seq for seq in seqs if seq < last), default=seqs[0])
    return str(before), after


# One compared figure as a tuple: model instances for 80,000 rows cost seconds.
_COMPARED = (
    "measure",
    "product_id",
    "territory_id",
    "month",
    "value",
    "product__sku",
    "territory__name",
    "changed_by_id",
    "changed_at",
)


def plan_versions_compare(*, cycle: Cycle, seq_a: int, seq_b: int) -> list[ValueChange]:
    """What changed between two versions, line by line, and by whom.

    Only rows that started or ended between the two sequences can differ, so
    the query reads the changes, never the whole plan.
    """
    low, high = sorted((seq_a, seq_b))
    rows = PlanValue.objects.filter(cycle=cycle)
    before = rows.filter(valid_from_seq__lte=low, valid_to_seq__gt=low, valid_to_seq__lte=high)
    after = rows.filter(valid_from_seq__gt=low, valid_from_seq__lte=high).filter(
        Q(valid_to_seq__isnull=True) | Q(valid_to_seq__gt=high)
    )
    old = {row[:4]: row for row in before.values_list(*_COMPARED)}
    new = {row[:4]: row for row in after.values_list(*_COMPARED)}
    names = _user_names({row[7] for row in new.values() if row[7] is not None})
    changes = [_change(old.get(key), new.get(key), names) for key in old.keys() | new.keys()]
    changes = [c for c in changes if c.before != c.after]
    return sorted(changes, key=lambda c: (c.measure, c.sku, c.territory, c.month))


def _user_names(ids: set[int]) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


def _change(old: tuple | None, new: tuple | None, names: dict[int, str]) -> ValueChange:
    measure, _, _, month, _, sku, territory, _, _ = new or old
    return ValueChange(
        measure=measure,
        sku=sku,
        territory=territory,
        month=month,
        before=old[4] if old else None,
        after=new[4] if new else None,
        changed_by=names.get(new[7], "") if new else "",
        changed_at=new[8] if new else None,
    )


def plan_totals(cycle: Cycle) -> list[dict]:
    """Per measure: one figure for the plan as it stands, counted the way the measure adds up
    (flows totalled, stocks at their last month, ratios averaged); summed per month in the
    database."""
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


def plan_csv_lines(cycle: Cycle, seq: int):
    """A version of the plan as CSV, one line at a time (streams a million rows)."""
    yield csv_line(["measure", "sku", "territory", "month", "value", "changed_by"])
    rows = (
        plan_values_as_of(cycle, seq)
        .order_by("measure", "product__sku", "territory__code", "month")
        .values_list(
            "measure", "product__sku", "territory__code", "month", "value", "changed_by__username"
        )
    )
    for measure, sku, territory, month, value, who in rows.iterator(chunk_size=5000):
        yield csv_line([measure, sku, territory, f"{month:%Y-%m}", value, who or ""])
