"""The one neutraliser every CSV and XLSX file goes through: Excel runs no formula from a cell."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from sop_planner.spreadsheet import csv_line, csv_text, neutralise, xlsx_row

DDE = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (DDE, "'" + DDE),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (-3.25, "-3.25"),
        (Decimal("-12.5000"), "-12.5000"),
        (-4, "-4"),
        ("-4", "-4"),
        ("-1.5e3", "-1.5e3"),
        ("plain", "plain"),
        (None, ""),
    ],
)
def test_formula_text_gets_an_apostrophe_and_numbers_stay_numbers(cell, written):
    assert neutralise(cell) == written


def test_a_text_holding_a_semicolon_is_quoted_so_excel_does_not_split_it():
    assert csv_line(["x;y", "plain", -3]) == '"x;y",plain,-3\r\n'


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("x;=1+2", "x;'=1+2"),
        ("x; =1+2", "x;' =1+2"),
        ('x;"=1+2', "x;'\"=1+2"),
        ("a;+1;@SUM(A1);-2+3", "a;'+1;'@SUM(A1);'-2+3"),
        ("=a;=b", "'=a;'=b"),
        ("x;\t1", "x;'\t1"),
        ("1;5", "1;5"),
    ],
)
def test_a_formula_after_a_semicolon_gets_an_apostrophe_too(cell, written):
    """Excel set to `;` cuts a cell at each `;`, quoted or not: the piece must not run."""
    assert neutralise(cell) == written


def excel_cells(line: str, separator: str) -> list[str]:
    """The cells Excel makes of a CSV line with `separator` as its list separator."""
    import csv
    import io

    return next(csv.reader(io.StringIO(line), delimiter=separator))


@pytest.mark.parametrize("separator", [",", ";"])
def test_no_cell_excel_makes_of_a_written_line_starts_a_formula(separator):
    cells = ["x;=1+2", '=HYPERLINK("http://evil";"click")', "a;b", "x;=cmd|' /C calc'!A0;y", -3]
    for piece in excel_cells(csv_line(cells), separator):
        assert not piece.lstrip(' "').startswith(("=", "+", "@", "\t", "\r")), piece
        assert not (piece.startswith("-") and not piece.lstrip("-").isdigit()), piece


def test_headers_go_through_the_same_neutraliser():
    assert csv_text(["=evil", "b"], [[1, 2]]) == "'=evil,b\r\n1,2\r\n"


def test_quotes_and_commas_are_quoted_as_csv_does():
    assert csv_line(['a "b"', "1,5"]) == '"a ""b""","1,5"\r\n'


@pytest.mark.parametrize("write_only", [True, False])
def test_an_xlsx_cell_holding_a_formula_is_stored_as_text_and_numbers_as_numbers(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s")
    sheet.append(xlsx_row(sheet, [DDE, -3.25, "plain"]))
    out = BytesIO()
    book.save(out)
    cells = next(load_workbook(BytesIO(out.getvalue()))["s"].iter_rows())
    assert [(c.value, c.data_type) for c in cells] == [(DDE, "s"), (-3.25, "n"), ("plain", "s")]
