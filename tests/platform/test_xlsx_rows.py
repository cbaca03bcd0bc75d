"""Rows written straight into a sheet's XML read back in Excel's model exactly as given."""

from io import BytesIO

from openpyxl import Workbook, load_workbook

from sop_planner.xlsx_rows import xlsx_with_rows


def _book_with_header() -> bytes:
    book = Workbook(write_only=True)
    book.create_sheet("First").append(["a"])
    book.create_sheet("Plan").append(["Measure", "SKU", "Value"])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_rows_land_after_the_header_as_texts_and_numbers():
    rows = [["Consensus", " lead <&> ", 1.5], ["=1+2", None, 7], ["x\x01y", "-4", -3.25]]
    content = xlsx_with_rows(_book_with_header(), sheet=2, rows=iter(rows))
    sheet = load_workbook(BytesIO(content))["Plan"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Measure", "SKU", "Value"],
        ["Consensus", " lead <&> ", 1.5],
        ["=1+2", None, 7],
        ["xy", "-4", -3.25],
    ]
    formula_like = sheet["A3"]
    assert formula_like.data_type == "s"  # stored as text: Excel shows it, never runs it
    assert load_workbook(BytesIO(content))["First"]["A1"].value == "a"
