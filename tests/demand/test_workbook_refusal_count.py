"""A re-imported workbook with many bad cells names the first 50 and says how many in all."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from demand.excel import export_workbook, read_workbook
from demand.scope import Scope
from sop_planner.errors import DomainError

pytestmark = pytest.mark.django_db


def _every_figure_typed_as(data: bytes, text: str) -> tuple[bytes, int]:
    book = load_workbook(BytesIO(data))
    sheet, changed = book["consensus"], 0
    for row in sheet.iter_rows(min_row=2):
        if row[3].value:  # a SKU row; subtotal and total rows hold formulas
            for cell in row[4:16]:
                cell.value, changed = text, changed + 1
    out = BytesIO()
    book.save(out)
    return out.getvalue(), changed


def test_a_workbook_with_hundreds_of_bad_cells_says_how_many_it_does_not_list(
    demand_cycle, company
):
    data, bad = _every_figure_typed_as(export_workbook(demand_cycle, Scope.from_filters({})), "x")
    assert bad > 50
    with pytest.raises(DomainError) as refused:
        read_workbook(demand_cycle, data)
    assert f"fix these cells (the first 50 of {bad:,}):" in str(refused.value)
    assert len(refused.value.items) == 50
