"""The executive pack as a workbook that opens ready to read.

Every sheet has a styled header row, frozen panes, column widths that fit, figures
with thousands separators and long text wrapped; "By month" carries a native chart of
plan vs budget vs last release. The plan's ~90,000 figures are written as XML text
(sop_planner.xlsx_rows): through openpyxl's cells they took seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

from cycles.models import Cycle
from reconciliation.pack import (
    HEADLINE_FIELDS,
    NO_COVERAGE,
    NO_PLAN,
    NO_QUOTA,
    coverage_rows,
    pack_data,
    plan_row_count,
    plan_rows,
    quota_rows,
)
from reconciliation.pack_words import FIGURE_WORDS, measure_words, month_words
from sop_planner.spreadsheet import is_formula

if TYPE_CHECKING:
    from openpyxl import Workbook

UNITS = "#,##0"
EXACT = "#,##0.00"
WHEN = "yyyy-mm-dd hh:mm"
FIGURE_FIELDS = tuple(FIGURE_WORDS)
Progress = Callable[[int, int], None]  # (plan rows written, plan rows in all)


@dataclass(frozen=True)
class Column:
    heading: str
    width: float
    kind: str = "text"  # text | wrap | units | exact | when


def pack_workbook(cycle: Cycle, data: dict | None = None, *, progress: Progress | None = None):
    """The pre-read and the plan's figures (as they stand, or as released) in one workbook."""
    from openpyxl import Workbook  # here: the pre-read page needs no openpyxl

    from sop_planner.xlsx_rows import xlsx_with_rows

    data = data if data is not None else pack_data(cycle)
    book = Workbook(write_only=True)
    _headline(book, data)
    _by_month(book, data)
    _gaps(book, data)
    _quota(book, data)
    _coverage(book, data)
    _signoffs(book, data)
    rows = plan_rows(cycle)
    first = next(rows, None)
    plan_columns = [Column("What", 44), Column("SKU", 16), Column("Territory", 14)]
    plan_columns += [Column("Month", 10), Column("Figure", 14, "exact")]
    _table(book, "Plan", plan_columns, [_plan_row(first)] if first else [])
    buffer = BytesIO()
    book.save(buffer)
    rest = _counted(map(_plan_row, rows), plan_row_count(cycle), progress)
    return xlsx_with_rows(buffer.getvalue(), sheet=len(book.worksheets), rows=rest, styled=True)


def _plan_row(row: list) -> list:
    code, *rest = row
    return [measure_words(code), *rest]


def _counted(rows: Iterable, total: int, progress: Progress | None) -> Iterator:
    for done, row in enumerate(rows, start=2):  # the first row went in with the header
        if progress and done % 5000 == 0:
            progress(done, total)
        yield row


def _headline(book: Workbook, data: dict) -> None:
    header = data["headline_header"]
    columns = [Column(header[0], 30), *(Column(title, 18, "units") for title in header[1:])]
    rows = [[r["label"], *(r[key] for key in HEADLINE_FIELDS)] for r in data["kpis"]]
    _table(book, "Headline", columns, rows or [[NO_PLAN]])


def _by_month(book: Workbook, data: dict) -> None:
    last = data["chart"]["last_name"] or "Last release"
    columns = [Column("Month", 11)]
    columns += [Column(FIGURE_WORDS[field], 16, "units") for field in FIGURE_FIELDS]
    columns += [Column(f"{last}: revenue", 18, "units"), Column(f"{last}: units", 16, "units")]
    chart = data["chart"]
    rows = [
        [month_words_of(label), *(getattr(fig, field) for field in FIGURE_FIELDS), lr, lv]
        for (label, fig), lr, lv in zip(
            data["by_month"], chart["last_revenue"], chart["last_volume"], strict=True
        )
    ]
    sheet = _table(book, "By month", columns, rows)
    if rows:
        _revenue_chart(sheet, len(rows), columns)


def month_words_of(label: str) -> str:
    """2027-01 -> Jan 2027."""
    return month_words(date.fromisoformat(f"{label}-01"))


def _revenue_chart(sheet, count: int, columns: list[Column]) -> None:
    """Plan revenue, budget revenue and the last release's revenue, month by month."""
    from openpyxl.chart import LineChart, Reference

    chart = LineChart()
    chart.title = "Revenue: plan vs budget vs last release"
    chart.height, chart.width = 9, 22
    headings = [column.heading for column in columns]
    wanted = [FIGURE_WORDS["revenue"], FIGURE_WORDS["budget_revenue"], headings[-2]]
    for heading in wanted:
        at = headings.index(heading) + 1
        ref = Reference(sheet, min_col=at, min_row=1, max_row=count + 1)
        chart.add_data(ref, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=count + 1))
    sheet.add_chart(chart, f"B{count + 4}")


def _gaps(book: Workbook, data: dict) -> None:
    columns = [
        Column("Gap", 50, "wrap"),
        Column("Decision", 28, "wrap"),
        Column("Owner", 20),
        Column("Reason", 60, "wrap"),
        Column("Expected impact", 40, "wrap"),
    ]
    rows = [
        [g["gap"], g["decision"], g["owner"], g["rationale"], g["impact"]]
        for g in data["gap_rows"]
    ]
    _table(book, "Gaps and decisions", columns, rows or [["No gap over the thresholds."]])


def _quota(book: Workbook, data: dict) -> None:
    columns = [Column("Territory", 24)]
    for what in ("units", "revenue"):
        columns += [Column(f"{who} {what}", 15, "units") for who in ("Quota", "Plan", "Budget")]
    columns += [Column("Plan vs quota %", 15, "exact"), Column("Decision", 40, "wrap")]
    _table(book, "Quota vs plan", columns, quota_rows(data) or [[NO_QUOTA]])


def _coverage(book: Workbook, data: dict) -> None:
    columns = [
        Column("Territory", 24),
        Column("Month", 11),
        Column("Weighted pipeline", 18, "units"),
        Column("Booked", 15, "units"),
        Column("Consensus", 15, "units"),
        Column("Coverage %", 13, "exact"),
        Column("Covered?", 16),
    ]
    rows = [[t, month_words(m), *figures] for t, m, *figures in coverage_rows(data)]
    _table(book, "Pipeline coverage", columns, rows or [[NO_COVERAGE]])


def _signoffs(book: Workbook, data: dict) -> None:
    columns = [
        Column("When", 17, "when"),
        Column("Who", 24),
        Column("Decision", 12),
        Column("Comment", 80, "wrap"),
    ]
    rows = [
        [s["when"].replace(tzinfo=None), s["who"], s["decision"], s["comment"]]
        for s in data["signoffs"]
    ]
    _table(book, "Sign-off", columns, rows or [[None, "No approval or rejection yet."]])


def _table(book: Workbook, title: str, columns: list[Column], rows: Iterable[list]):
    """A sheet with a styled, frozen header row and each column's width and format."""
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.freeze_panes = "B2"
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    styles = _styles()
    sheet.append([_cell(sheet, c.heading, styles["header"]) for c in columns])
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            kind = columns[index].kind if index < len(columns) else "text"
            cells.append(_cell(sheet, _rounded(value), styles[kind]))
        sheet.append(cells)
    return sheet


def _rounded(value):
    """Numbers to the cent: sums of floats carry noise like 1460632.939000001."""
    return round(value, 2) if isinstance(value, float) else value


def _cell(sheet, value, style: dict):
    from openpyxl.cell import WriteOnlyCell

    formula = is_formula(value)
    cell = WriteOnlyCell(sheet, value=str(value) if formula else value)
    if formula:  # shown as typed, never run
        cell.data_type = "s"
        cell.quotePrefix = True
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _styles() -> dict[str, dict]:
    from openpyxl.styles import Alignment, Font, PatternFill

    top = Alignment(vertical="top")
    return {
        "header": {
            "font": Font(bold=True, color="FFFFFF"),
            "fill": PatternFill("solid", fgColor="1F4E78"),
            "alignment": Alignment(wrap_text=True, vertical="center"),
        },
        "text": {"alignment": top},
        "wrap": {"alignment": Alignment(wrap_text=True, vertical="top")},
        "units": {"number_format": UNITS, "alignment": Alignment(horizontal="right")},
        "exact": {"number_format": EXACT, "alignment": Alignment(horizontal="right")},
        "when": {"number_format": WHEN, "alignment": top},
    }
