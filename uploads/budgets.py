"""Finance's budget (budget_units, budget_revenue) through the upload mechanism.

One row per family, territory and month of the open cycle's horizon. Like
master data, rows are checked one by one (a budget is a few thousand rows);
each row that would change a figure is kept as an UploadChange with the
figures before and after. The write goes through reconciliation's budget
service, so the permission (plan.budget.edit), the stage rules and the audit
are the ones the budget screen and import use.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from cycles.models import Cycle
from cycles.selectors import current_cycle
from reconciliation.selectors import budget_figures
from reconciliation.services import budget_rows_write
from sop_planner.errors import Conflict
from sop_planner.numbers import Convention
from supply.plan_import import number
from supply.selectors import families_by_code
from territories.models import Territory
from uploads.masterdata import validate_rows
from uploads.models import UploadBatch, UploadChange
from uploads.outcomes import FileRefused, Rejection

FOUR_PLACES = Decimal("0.0001")
MEASURES = {"units": "budget_units", "revenue": "budget_revenue"}


def budget_cycle() -> Cycle:
    cycle = current_cycle()
    if cycle is None:
        raise FileRefused("There is no open cycle: a budget is uploaded into the open cycle.")
    return cycle


def validate(batch: UploadBatch, chunks, decimal_comma: bool, save_chunk) -> None:
    rules = _Rules(budget_cycle(), decimal_comma)
    kept = validate_rows(
        batch, chunks, lambda row, record: rules.check(batch, row, record), save_chunk
    )
    batch.periods = sorted({change.after["month"] for change in kept})
    batch.save()


class _Rules:
    """What a budget row is checked against, read once per file."""

    def __init__(self, cycle: Cycle, decimal_comma: bool) -> None:
        self.cycle = cycle
        self.convention = Convention.DECIMAL_COMMA if decimal_comma else Convention.DECIMAL_POINT
        self.families = families_by_code()
        self.territories = {
            key.lower(): pk
            for code, name, pk in Territory.objects.values_list("code", "name", "pk")
            for key in (code, name)
        }
        self.horizon = cycle.horizon()
        self.current = budget_figures(cycle)
        self.seen: dict[tuple[int, int, date], int] = {}

    def check(self, batch, row: int, record: dict) -> tuple[list[Rejection], UploadChange | None]:
        problems: list[tuple[str, str]] = []
        family = self._lookup(record, "family", self.families, "unknown product family", problems)
        territory = self._lookup(
            record, "territory", self.territories, "unknown territory", problems
        )
        month = self._month(record.get("month", ""), problems)
        figures = {field: self._figure(record, field, problems) for field in MEASURES}
        key = (family, territory, month)
        if not problems and key in self.seen:
            problems.append(
                ("month", f"duplicate of row {self.seen[key]} (same family, territory and month)")
            )
        if problems:
            return [Rejection(row, c, record.get(c, ""), reason) for c, reason in problems], None
        self.seen[key] = row
        return [], self._change(batch, row, record, key, figures)

    @staticmethod
    def _lookup(record: dict, column: str, choices: dict, reason: str, problems) -> int | None:
        text = record.get(column, "")
        if not text:
            problems.append((column, f"the {column} is missing"))
            return None
        if text.lower() not in choices:
            problems.append((column, reason))
            return None
        return choices[text.lower()]

    def _month(self, text: str, problems) -> date | None:
        found = re.fullmatch(r"(\d{4})[-/.](\d{1,2})(?:[-/.]0?1)?", text)
        if not found or not 1 <= int(found.group(2)) <= 12:
            problems.append(("month", "not a month: write it as YYYY-MM"))
            return None
        month = date(int(found.group(1)), int(found.group(2)), 1)
        if month not in self.horizon:
            first, last = self.horizon[0], self.horizon[-1]
            problems.append(
                ("month", f"outside the horizon of {self.cycle} ({first:%Y-%m} to {last:%Y-%m})")
            )
            return None
        return month

    def _figure(self, record: dict, column: str, problems) -> Decimal | None:
        text = record.get(column, "").strip()
        if not text:
            problems.append((column, f"the {column} figure is missing"))
            return None
        try:
            value = number(text, self.convention)
        except ValueError as error:
            problems.append((column, str(error).removeprefix("is ")))
            return None
        return value.quantize(FOUR_PLACES)

    def _change(self, batch, row: int, record: dict, key, figures) -> UploadChange | None:
        stored = self.current.get(key)
        before = _figures_text(stored) if stored else None
        after = {field: str(value) for field, value in figures.items()}
        if before == after:
            return None
        family, territory, month = key
        label = f"{record['family']} / {record['territory']} / {month:%Y-%m}"
        return UploadChange(
            batch=batch,
            row_number=row,
            key=label[:100],
            before=before,
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
    year, month = after["month"].split("-")
    return after["family"], after["territory"], date(int(year), int(month), 1)


def _stored(cycle: Cycle, change: UploadChange) -> dict[str, str] | None:
    stored = budget_figures(cycle).get(_cell(change.after))
    return _figures_text(stored) if stored else None


def _figures_only(values: dict | None) -> dict[str, str] | None:
    return {field: values[field] for field in MEASURES} if values else None


def apply(batch: UploadBatch) -> int:
    """Write the budget through reconciliation's service; refuse if a figure moved since."""
    changes = list(batch.changes.all())
    if not changes:
        return 0
    cycle = Cycle.objects.get(pk=changes[0].after["cycle"])
    for change in changes:
        if _stored(cycle, change) != change.before:
            raise Conflict(
                f"The budget for {change.key} was changed by someone else since the preview; "
                "upload again."
            )
    rows = [
        (*_cell(c.after), Decimal(c.after["units"]), Decimal(c.after["revenue"])) for c in changes
    ]
    budget_rows_write(
        actor=batch.committed_by,
        cycle_id=cycle.pk,
        rows=rows,
        file_name=f"upload #{batch.pk} {batch.file_name}",
    )
    return len(changes)


def _figures_before(change: UploadChange) -> tuple[Decimal | None, ...]:
    if change.before is None:
        return tuple(None for _ in MEASURES)
    return tuple(Decimal(change.before[field]) for field in MEASURES)


def undo(batch: UploadBatch) -> None:
    """Put back the figures the batch replaced; a cell that had no budget has none again."""
    changes = list(batch.changes.all())
    if not changes:
        return
    cycle = Cycle.objects.get(pk=changes[0].after["cycle"])
    for change in changes:
        if _stored(cycle, change) != _figures_only(change.after):
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
