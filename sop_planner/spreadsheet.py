"""Every CSV and XLSX file the app writes passes its cells through here: Excel runs no formula.

A text starting with = + - @, a tab or a carriage return is a formula to Excel
(or a DDE command, `=cmd|' /C calc'!A0`). In CSV it gets a leading apostrophe;
in XLSX it is stored as text with Excel's quote prefix, so it reads as typed.
Excel where the list separator is `;` (most of Europe) splits a CSV line at every
`;`, quotes or not: `"x;=1+2"` becomes `"x` and `=1+2"`, and the second runs. So
inside a text, a `;` followed by what starts a formula gets an apostrophe after
it (`x;'=1+2`), and the piece Excel cuts there reads as text too; a text holding
`;` or `,` is quoted for Excel set to `,`. Numbers stay numbers (-3.25 is a
number, never text), and so does a text that is a plain number ("-4" from a
rejected row). Headers go through the same function as values.
"""

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TypeGuard

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)*|[.,]\d+)([eE][+-]?\d+)?")
CSV_QUOTED = (",", ";", '"', "\r", "\n")
AFTER_SEMICOLON = re.compile(
    r";(?=[\s\"]*[=+\-@]|[\t\r])"
)  # a `;` where Excel would cut a formula


def is_number(value: object) -> TypeGuard[int | float | Decimal]:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def is_formula(value: object) -> bool:
    """A text Excel would run: it starts like a formula and is not a plain number."""
    if value is None or is_number(value):
        return False
    text = str(value)
    return text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text)


def neutralise(value: object) -> str:
    """The cell as CSV text: empty for None, numbers as they are, formulas behind an apostrophe
    (at the start, and after a `;` where Excel set to `;` would start a new cell)."""
    if value is None:
        return ""
    text = str(value)
    if is_number(value):
        return text
    text = AFTER_SEMICOLON.sub(";'", text)
    return "'" + text if is_formula(text) else text


def csv_line(cells: Iterable[object]) -> str:
    """One CSV line (CRLF, like csv.writer), each cell neutralised and quoted where needed."""
    return ",".join(csv_field(cell) for cell in cells) + "\r\n"


def csv_field(cell: object) -> str:
    """One CSV cell, neutralised and quoted where needed."""
    return _csv_field(neutralise(cell))


def csv_text(header: Iterable[object], rows: Iterable[Iterable[object]]) -> str:
    return csv_line(header) + "".join(csv_line(row) for row in rows)


def _csv_field(text: str) -> str:
    if any(mark in text for mark in CSV_QUOTED):
        return '"' + text.replace('"', '""') + '"'
    return text


def xlsx_row(sheet, cells: Iterable[object]) -> list:
    """The cells for `sheet.append`: a formula-like text becomes a text cell, shown as typed."""
    return [_xlsx_text(sheet, cell) if is_formula(cell) else cell for cell in cells]


def _xlsx_text(sheet, value: object):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
