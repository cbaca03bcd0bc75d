"""Finance's budget (budget_units, budget_revenue) through the upload mechanism.

One row per family, territory and month of the open cycle's horizon. Like
master data, rows are checked one by one (a budget is a few thousand rows);
each row that would change a figure is kept as an UploadChange with the
figures before and after. The write goes through reconciliation's budget
service, so the permission (plan.budget.edit), the stage rules and the audit
are the ones the budget screen and import use.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cycles.measures import MeasureCode
from cycles.models import Cycle
from reconciliation.selectors import budget_figures
from reconciliation.services import budget_rows_write
from sop_planner.errors import Conflict
from supply.selectors import families_by_code
from territories.models import Territory
from uploads import plan_rows
from uploads.masterdata import stale_preview
from uploads.models import UploadBatch, UploadChange
from uploads.outcomes import Rejection

FOUR_PLACES = plan_rows.FOUR_PLACES
MEASURES = {"units": MeasureCode.BUDGET_UNITS, "revenue": MeasureCode.BUDGET_REVENUE}


def budget_cycle() -> Cycle:
    """The open cycle, while its stage takes a budget (every stage before sign-off)."""
    return plan_rows.plan_cycle(MEASURES.values(), what="a budget")


def validate(batch: UploadBatch, chunks, decimal_comma: bool, save_chunk) -> None:
    plan_rows.validate(batch, chunks, save_chunk, _Rules(budget_cycle(), decimal_comma).check)


class _Rules:
    """What a budget row is checked against, read once per file."""

    def __init__(self, cycle: Cycle, decimal_comma: bool) -> None:
        self.cycle = cycle
        self.convention = plan_rows.convention(decimal_comma)
        self.families = families_by_code()
        self.territories = {
            key.lower(): pk
            for code, name, pk in Territory.objects.values_list("code", "name", "pk")
            for key in (code, name)
        }
        self.current = budget_figures(cycle)
        self.seen: dict[tuple[int, int, date], int] = {}

    def check(self, batch, row: int, record: dict) -> tuple[list[Rejection], UploadChange | None]:
        problems: plan_rows.Problems = []
        family = plan_rows.lookup(
            record, "family", self.families, "unknown product family", problems
        )
        territory = plan_rows.lookup(
            record, "territory", self.territories, "unknown territory", problems
        )
        month = plan_rows.horizon_month(self.cycle, record.get("month", ""), problems)
        figures = {
            field: plan_rows.figure(record, field, self.convention, problems) for field in MEASURES
        }
        key = (family, territory, month)
        refused = plan_rows.rejections(
            row, record, problems, key=key, seen=self.seen, same="family, territory and month"
        )
        return (refused, None) if refused else ([], self._change(batch, row, record, key, figures))

    def _change(self, batch, row: int, record: dict, key, figures) -> UploadChange:
        stored = self.current.get(key)
        before = _figures_text(stored) if stored else None
        after = {field: str(value) for field, value in figures.items()}
        family, territory, month = key
        label = f"{record['family']} / {record['territory']} / {month:%Y-%m}"
        return UploadChange(
            batch=batch,
            row_number=row,
            key=label,
            before=before,
            unchanged=before == after,
            after={
                **after,
                "cycle": self.cycle.pk,
                "family": family,
                "territory": territory,
                "month": f"{month:%Y-%m}",
            },
        )


def _figures_text(stored: dict[str, Decimal]) -> dict[str, str]:
    return {
        field: str(Decimal(stored.get(measure, 0)).quantize(FOUR_PLACES))
        for field, measure in MEASURES.items()
    }


def _cell(after: dict) -> tuple[int, int, date]:
    return after["family"], after["territory"], plan_rows.month_of(after["month"])


def _stored(figures: dict, change: UploadChange) -> dict[str, str] | None:
    """The cell's budget as stored now, from `figures` (budget_figures, read once per write:
    once per row made a 1,000-row commit hold the database for seconds)."""
    stored = figures.get(_cell(change.after))
    return _figures_text(stored) if stored else None


def _figures_only(values: dict | None) -> dict[str, str] | None:
    return {field: values[field] for field in MEASURES} if values else None


def apply(batch: UploadBatch) -> int:
    """Write the budget through reconciliation's service, once every row of the preview (the
    unchanged ones too) still holds the figures the preview compared against."""
    cycle, changes = plan_rows.batch_changes(batch)
    if cycle is None:
        return 0
    stored = budget_figures(cycle)
    moved = []
    for change in changes:
        now = stored.get(_cell(change.after))
        now = _figures_text(now) if now else None
        if now != change.before:
            moved.append(plan_rows.moved_row(change, now))
    if moved:
        raise Conflict(stale_preview(batch, moved))
    written = [c for c in changes if not c.unchanged]
    if not written:
        return 0
    rows = [
        (*_cell(c.after), Decimal(c.after["units"]), Decimal(c.after["revenue"])) for c in written
    ]
    budget_rows_write(
        actor=batch.committed_by,
        cycle_id=cycle.pk,
        rows=rows,
        file_name=f"upload #{batch.pk} {batch.file_name}",
    )
    return len(written)


def _figures_before(change: UploadChange) -> tuple[Decimal | None, ...]:
    if change.before is None:
        return tuple(None for _ in MEASURES)
    return tuple(Decimal(change.before[field]) for field in MEASURES)


def undo(batch: UploadBatch) -> None:
    """Put back the figures the batch replaced; a cell that had no budget has none again."""
    cycle, changes = plan_rows.batch_changes(batch, written=True)
    if cycle is None:
        return
    stored = budget_figures(cycle)
    for change in changes:
        if _stored(stored, change) != _figures_only(change.after):
            raise Conflict(
                f"The budget for {change.key} was changed since this upload; "
                "it cannot be reverted."
            )
    rows = [(*_cell(c.after), *_figures_before(c)) for c in changes]
    budget_rows_write(
        actor=batch.reverted_by,
        cycle_id=cycle.pk,
        rows=rows,
        file_name=f"revert of upload #{batch.pk} {batch.file_name}",
    )
