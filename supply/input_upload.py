"""The supply planner's inputs (capacity, inventory, targets...) through the upload mechanism.

One row per family, month and measure of the open cycle's horizon, checked one
by one like the budget; each row that would change a figure is kept as an
UploadChange with the figure before and after. The write goes through supply's
service, so the permission (plan.supply.edit), the stage rule (the inputs are
open in Supply planning only) and the audit are those of the supply page.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cycles.models import Cycle
from sop_planner.errors import Conflict
from supply.selectors import INPUT_MEASURES, families_by_code, supply_input_figures
from supply.services import supply_inputs_write
from uploads import plan_rows
from uploads.masterdata import stale_preview
from uploads.models import UploadBatch, UploadChange
from uploads.outcomes import Rejection

Key = tuple[int, str, date]  # family id, measure, month


def validate(batch: UploadBatch, chunks, decimal_comma: bool, save_chunk) -> None:
    cycle = plan_rows.plan_cycle(INPUT_MEASURES, what="supply inputs")
    plan_rows.validate(batch, chunks, save_chunk, _Rules(cycle, decimal_comma).check)


class _Rules:
    """What a supply input row is checked against, read once per file."""

    def __init__(self, cycle: Cycle, decimal_comma: bool) -> None:
        self.cycle = cycle
        self.convention = plan_rows.convention(decimal_comma)
        self.families = families_by_code()
        self.measures = {code: code for code in INPUT_MEASURES}
        self.current = supply_input_figures(cycle)
        self.seen: dict[Key, int] = {}

    def check(self, batch, row: int, record: dict) -> tuple[list[Rejection], UploadChange | None]:
        problems: plan_rows.Problems = []
        family = plan_rows.lookup(
            record, "family", self.families, "unknown product family", problems
        )
        month = plan_rows.horizon_month(self.cycle, record.get("month", ""), problems)
        measure = plan_rows.lookup(
            record,
            "measure",
            self.measures,
            f"not a supply input (one of {', '.join(INPUT_MEASURES)})",
            problems,
        )
        value = plan_rows.figure(record, "value", self.convention, problems)
        key = (family, measure, month)
        refused = plan_rows.rejections(
            row, record, problems, key=key, seen=self.seen, same="family, measure and month"
        )
        return (refused, None) if refused else ([], self._change(batch, row, record, key, value))

    def _change(self, batch, row: int, record: dict, key: Key, value: Decimal):
        stored = self.current.get(key)
        before = _text(stored)
        after = _text(value)
        family, measure, month = key
        label = f"{record['family']} / {measure} / {month:%Y-%m}"
        return UploadChange(
            batch=batch,
            row_number=row,
            key=label,
            before=None if before is None else {"value": before},
            unchanged=before == after,
            after={
                "value": after,
                "cycle": self.cycle.pk,
                "family": family,
                "measure": measure,
                "month": plan_rows.month_text(month),
            },
        )


def _text(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(plan_rows.FOUR_PLACES))


def _key(after: dict) -> Key:
    return after["family"], after["measure"], plan_rows.month_of(after["month"])


def _stored(figures: dict, change: UploadChange) -> str | None:
    """The cell's figure as stored now, from `figures` (read once per write, not per row)."""
    return _text(figures.get(_key(change.after)))


def _value(values: dict | None) -> Decimal | None:
    return None if values is None else Decimal(values["value"])


def apply(batch: UploadBatch) -> int:
    """Write the inputs through supply's service, once every row of the preview (the
    unchanged ones too) still holds the figure the preview compared against."""
    cycle, changes = plan_rows.batch_changes(batch)
    if cycle is None:
        return 0
    stored = supply_input_figures(cycle)
    moved = []
    for change in changes:
        now = _text(stored.get(_key(change.after)))
        if now != (change.before or {}).get("value"):
            moved.append(plan_rows.moved_row(change, None if now is None else {"value": now}))
    if moved:
        raise Conflict(stale_preview(batch, moved))
    written = [c for c in changes if not c.unchanged]
    if not written:
        return 0
    supply_inputs_write(
        actor=batch.committed_by,
        cycle_id=cycle.pk,
        rows=[(*_key(c.after), Decimal(c.after["value"])) for c in written],
        file_name=f"upload #{batch.pk} {batch.file_name}",
    )
    return len(written)


def undo(batch: UploadBatch) -> None:
    """Put back the figures the batch replaced; a cell that had no figure has none again."""
    cycle, changes = plan_rows.batch_changes(batch, written=True)
    if cycle is None:
        return
    stored = supply_input_figures(cycle)
    for change in changes:
        if _stored(stored, change) != change.after["value"]:
            raise Conflict(
                f"The supply input {change.key} was changed since this upload; "
                "it cannot be reverted."
            )
    rows = [(*_key(c.after), _value(c.before)) for c in changes]
    supply_inputs_write(
        actor=batch.reverted_by,
        cycle_id=cycle.pk,
        rows=rows,
        file_name=f"revert of upload #{batch.pk} {batch.file_name}",
    )
