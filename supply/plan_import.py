"""Read a CSV or XLSX file of plan figures and validate it as a whole. Plain Python.

Used for the supply inputs (family, month, measure, value) and the budget
(family, territory, month, units, revenue). Every refusal names the file, the
row, the column and the value; nothing is written unless every row is good.
(The uploads app's pipeline is made for actuals and master data and branches on
its kinds, so plan figures have this small reader of their own.)
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sop_planner.numbers import PLAN_FIGURE, Convention, read_number
from sop_planner.workbooks import FormulaWithoutValue, SavedValues

MAX_ERRORS_SHOWN = 20


class ImportRefused(ValueError):
    """The file cannot be imported; the message lists what to fix."""


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], object]  # raises ValueError with the reason


def read_rows(file_name: str, content: bytes) -> tuple[list[dict[str, str]], Convention]:
    """Rows as {header: text}, headers lower-cased and trimmed, and how the file writes numbers.

    A `;` file writes `1.234,5`, a `,` file and a workbook `1,234.5`: decided once for
    the file, as the Uploads page does, so the same file reads the same on both pages.
    """
    if file_name.lower().endswith(".xlsx"):
        table, separator = _xlsx_table(file_name, content), ","
    else:
        table, separator = _csv_table(file_name, content)
    if not table:
        raise ImportRefused(f"{file_name} is empty.")
    header = [str(cell or "").strip().lower() for cell in table[0]]
    rows = [dict(zip(header, row, strict=False)) for row in table[1:] if any(row)]
    return rows, Convention.for_separator(separator)


def _csv_table(file_name: str, content: bytes) -> tuple[list[list[str]], str]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(f"{file_name} is not UTF-8 text: save it as CSV UTF-8.") from None
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=separator, strict=True))
    except csv.Error as error:
        raise ImportRefused(f"{file_name} is not valid CSV: {error}.") from None
    return [[cell.strip() for cell in row] for row in rows], separator


def _xlsx_table(file_name: str, content: bytes) -> list[list[str]]:
    try:
        book = SavedValues(io.BytesIO(content))
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise ImportRefused(f"{file_name} is not a readable .xlsx workbook.") from None
    try:
        return [[_cell(value) for value in row] for row in book.rows()]
    except FormulaWithoutValue as error:
        raise ImportRefused(f"{file_name} was not imported, nothing changed: {error}.") from None
    finally:
        book.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    return str(value).strip()


def number(text: str, convention: Convention = Convention.DECIMAL_POINT) -> Decimal:
    """A plan figure written in `convention`; `validate` passes the file's convention."""
    value = read_number(text, convention)  # NotANumber is a ValueError naming the convention
    if value < 0:
        raise ValueError("must be 0 or more")
    if PLAN_FIGURE.too_large(value):
        raise ValueError(f"is too large (plan figures are below {PLAN_FIGURE.bound})")
    return value


def month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text[:7]}-01")
    except ValueError:
        raise ValueError("is not a month (YYYY-MM)") from None


def month_in(months: list[date], horizon_name: str) -> Callable[[str], date]:
    allowed = set(months)

    def parse(text: str) -> date:
        value = month(text)
        if value not in allowed:
            raise ValueError(f"is outside the horizon of {horizon_name}")
        return value

    return parse


def one_of(choices: dict[str, object], what: str) -> Callable[[str], object]:
    def parse(text: str):
        if text.lower() not in choices:
            raise ValueError(f"is not a known {what}")
        return choices[text.lower()]

    return parse


def validate(
    file_name: str,
    rows: list[dict[str, str]],
    columns: list[Column],
    convention: Convention = Convention.DECIMAL_POINT,
) -> list[dict]:
    """Parse every row; refuse the whole file with the first errors when any row is bad.

    Columns read with `number` read the file's convention, not a guess per cell.
    """
    if not rows:
        raise ImportRefused(f"{file_name} has a header but no rows.")
    missing = [c.name for c in columns if c.name not in rows[0]]
    if missing:
        raise ImportRefused(f"{file_name} lacks the column(s): {', '.join(missing)}.")
    parsed, errors = [], []
    for number_, row in enumerate(rows, start=2):
        values = {}
        for column in columns:
            text = (row.get(column.name) or "").strip()
            try:
                values[column.name] = (
                    number(text, convention) if column.parse is number else column.parse(text)
                )
            except ValueError as error:
                errors.append(f"row {number_}, column {column.name}: {text!r} {error}")
        parsed.append(values)
    if errors:
        shown = "; ".join(errors[:MAX_ERRORS_SHOWN])
        more = (
            f" (and {len(errors) - MAX_ERRORS_SHOWN} more)"
            if len(errors) > MAX_ERRORS_SHOWN
            else ""
        )
        raise ImportRefused(f"{file_name} was not imported, nothing changed: {shown}{more}.")
    return parsed


def parse_file(
    file_name: str, content: bytes, columns: list[Column], key: tuple[str, ...]
) -> list[dict]:
    """Read, validate every row, and refuse a row that repeats an earlier one's key."""
    rows, convention = read_rows(file_name, content)
    rows = validate(file_name, rows, columns, convention)
    seen = set()
    for number_, row in enumerate(rows, start=2):
        cell = tuple(row[name] for name in key)
        if cell in seen:
            raise ImportRefused(
                f"{file_name} was not imported, nothing changed: row {number_} repeats an "
                f"earlier row ({', '.join(key)})."
            )
        seen.add(cell)
    return rows
