"""Row checks shared by the upload kinds that bring plan figures (budget, supply inputs).

A row names its cell by codes and a month of the open cycle's horizon and gives
figures of 0 or more; each check appends (column, reason) to the row's problems.
The month and the figures are read by the app's one month reader and one number
reader, in the file's convention.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cycles import measures
from cycles.calendar import NotAMonth, read_month
from cycles.models import Cycle
from cycles.selectors import current_cycle
from sop_planner.numbers import Convention, read_plan_figure
from uploads.masterdata import validate_rows
from uploads.models import UploadBatch, UploadChange
from uploads.outcomes import FileRefused, Rejection

FOUR_PLACES = Decimal("0.0001")
Problems = list[tuple[str, str]]


def plan_cycle(measure_codes, *, what: str) -> Cycle:
    """The open cycle, when its stage lets these measures be entered; else the file is refused."""
    cycle = current_cycle()
    if cycle is None:
        raise FileRefused(f"There is no open cycle: {what} is uploaded into the open cycle.")
    for code in measure_codes:
        refusal = measures.edit_refusal(measures.measure(code), cycle.stage_enum)
        if refusal:
            raise FileRefused(f"{refusal} Nothing was uploaded.")
    return cycle


def validate(batch: UploadBatch, chunks, save_chunk, check) -> None:
    """Check every row with `check(batch, row, record)`; the batch's periods are the months
    its kept changes touch."""
    kept = validate_rows(batch, chunks, lambda row, record: check(batch, row, record), save_chunk)
    batch.periods = sorted({change.after["month"] for change in kept})
    batch.save()


def rejections(
    row: int, record: dict, problems: Problems, *, key: tuple, seen: dict, same: str
) -> list[Rejection]:
    """The row's rejections, a repeat of an earlier row's cell included; a row without
    any is remembered under `key`, so a later repeat of it is refused."""
    if not problems and key in seen:
        problems.append(("month", f"duplicate of row {seen[key]} (same {same})"))
    if problems:
        return [Rejection(row, column, record.get(column, ""), why) for column, why in problems]
    seen[key] = row
    return []


def batch_changes(
    batch: UploadBatch, *, written: bool = False
) -> tuple[Cycle | None, list[UploadChange]]:
    """A batch's kept rows (with `written`, only those it changes), and the cycle they were
    checked against (None: no row)."""
    rows = batch.changes.filter(unchanged=False) if written else batch.changes.all()
    changes = list(rows)
    cycle = Cycle.objects.get(pk=changes[0].after["cycle"]) if changes else None
    return cycle, changes


def moved_row(change: UploadChange, now: dict | None) -> str:
    """'row 3 (bev / T1 / 2027-01): units 100 when you previewed, now 120'."""
    if now is None:
        what = "deleted since you previewed"
    elif change.before is None:
        figures = ", ".join(f"{name} {_plain(figure)}" for name, figure in now.items())
        what = f"absent when you previewed, now {figures}"
    else:
        field = next(name for name in now if now[name] != change.before.get(name))
        then, later = _plain(change.before[field]), _plain(now[field])
        what = f"{field} {then} when you previewed, now {later}"
    return f"row {change.row_number} ({change.key}): {what}"


def _plain(text: str) -> str:
    """A stored figure as people write it: 100, not 100.0000."""
    return f"{Decimal(text).normalize():f}"


def convention(decimal_comma: bool) -> Convention:
    return Convention.DECIMAL_COMMA if decimal_comma else Convention.DECIMAL_POINT


def lookup(record: dict, column: str, choices: dict, reason: str, problems: Problems):
    """The id a code (or name) stands for, compared without case."""
    text = record.get(column, "")
    if not text:
        problems.append((column, f"the {column} is missing"))
        return None
    if text.lower() not in choices:
        problems.append((column, reason))
        return None
    return choices[text.lower()]


def horizon_month(cycle: Cycle, text: str, problems: Problems) -> date | None:
    try:
        month = read_month(text)
    except NotAMonth as error:
        problems.append(("month", str(error)))
        return None
    horizon = cycle.horizon()
    if month not in horizon:
        first, last = horizon[0], horizon[-1]
        problems.append(
            ("month", f"outside the horizon of {cycle} ({first:%Y-%m} to {last:%Y-%m})")
        )
        return None
    return month


def figure(record: dict, column: str, written: Convention, problems: Problems) -> Decimal | None:
    text = record.get(column, "").strip()
    if not text:
        problems.append((column, f"the {column} figure is missing"))
        return None
    try:
        value = read_plan_figure(text, written)
    except ValueError as error:
        problems.append((column, str(error).removeprefix("is ")))
        return None
    if value != value.quantize(FOUR_PLACES):  # refused, never rounded away
        problems.append((column, "more than 4 decimals"))
        return None
    return value.quantize(FOUR_PLACES)


def month_text(month: date) -> str:
    return f"{month:%Y-%m}"


def month_of(text: str) -> date:
    """A month stored in a change as YYYY-MM, back as a date."""
    return read_month(text)
