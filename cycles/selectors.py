"""Reads of the cycles app: cycles, versions and the comparison of two versions."""

import csv
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from cycles.guides import DEFAULT_GUIDES
from cycles.measures import MEASURES, Aggregation, over_horizon
from cycles.models import Cycle, PlanValue, PlanVersion, StageGuide
from cycles.stages import Stage

WORKING = "now"  # the pseudo-version: the values as they stand


def current_cycle() -> Cycle | None:
    """The newest open cycle, if any."""
    return Cycle.objects.filter(status=Cycle.Status.OPEN).select_related("owner").first()


def past_cycles(limit: int = 24) -> QuerySet[Cycle]:
    return Cycle.objects.filter(status=Cycle.Status.RELEASED).select_related("owner")[:limit]


def cycle_versions(cycle: Cycle) -> QuerySet[PlanVersion]:
    return cycle.versions.select_related("created_by").order_by("seq")


def version_seq(cycle: Cycle, version: str | int) -> int:
    """A version's sequence; WORKING is the sequence edits are written in now."""
    if str(version) == WORKING:
        return cycle.version_seq
    return int(version)


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


def _key(row: PlanValue) -> tuple:
    return (row.measure, row.product_id, row.territory_id, row.month)


def plan_versions_compare(*, cycle: Cycle, seq_a: int, seq_b: int) -> list[ValueChange]:
    """What changed between two versions, line by line, and by whom.

    Only rows that started or ended between the two sequences can differ, so
    the query reads the changes, never the whole plan.
    """
    low, high = sorted((seq_a, seq_b))
    rows = PlanValue.objects.filter(cycle=cycle).select_related(
        "product", "territory", "changed_by"
    )
    before = rows.filter(valid_from_seq__lte=low, valid_to_seq__gt=low, valid_to_seq__lte=high)
    after = rows.filter(valid_from_seq__gt=low, valid_from_seq__lte=high).filter(
        Q(valid_to_seq__isnull=True) | Q(valid_to_seq__gt=high)
    )
    old = {_key(row): row for row in before}
    new = {_key(row): row for row in after}
    changes = [_change(old.get(key), new.get(key)) for key in old.keys() | new.keys()]
    changes = [c for c in changes if c.before != c.after]
    return sorted(changes, key=lambda c: (c.measure, c.sku, c.territory, c.month))


def _change(old: PlanValue | None, new: PlanValue | None) -> ValueChange:
    row = new or old
    who = new.changed_by if new is not None else None
    return ValueChange(
        measure=row.measure,
        sku=row.product.sku,
        territory=row.territory.name,
        month=row.month,
        before=old.value if old else None,
        after=new.value if new else None,
        changed_by=(who.get_full_name() or who.get_username()) if who else "",
        changed_at=new.changed_at if new is not None else None,
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


class _Echo:
    """A file that hands back what is written: csv.writer then returns each line."""

    def write(self, value: str) -> str:
        return value


def plan_csv_lines(cycle: Cycle, seq: int):
    """A version of the plan as CSV, one line at a time (streams a million rows)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(["measure", "sku", "territory", "month", "value", "changed_by"])
    rows = (
        plan_values_as_of(cycle, seq)
        .order_by("measure", "product__sku", "territory__code", "month")
        .values_list(
            "measure", "product__sku", "territory__code", "month", "value", "changed_by__username"
        )
    )
    for measure, sku, territory, month, value, who in rows.iterator(chunk_size=5000):
        yield writer.writerow([measure, sku, territory, f"{month:%Y-%m}", value, who or ""])
