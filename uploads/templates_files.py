"""The downloadable templates: the columns of a kind of upload and one example row."""

import io

from openpyxl import Workbook

from sop_planner.spreadsheet import csv_text, xlsx_row
from uploads.columns import KindSpec


def template(
    spec: KindSpec, extension: str, example: tuple[str, ...] | None = None
) -> tuple[bytes | str, str]:
    """The kind's columns and one example row (`example`, else the kind's own)."""
    example = example or spec.example
    if extension == "csv":
        return csv_text(spec.columns, [example]), "text/csv; charset=utf-8"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.label[:31]
    sheet.append(xlsx_row(sheet, spec.columns))
    sheet.append(xlsx_row(sheet, example))
    for cell in sheet[2]:
        cell.data_type = "s"  # text, as typed: 2026-10 stays a month, not a date
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
