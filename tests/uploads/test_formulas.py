"""An Excel formula is read as the value Excel saved for it, or refused by cell: never as blank."""

import io
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from accounts.roles import Role
from cycles.stages import Stage
from forecasting.models import SalesActual
from tests.fixtures.uploads import LAST, committed, refusal
from tests.supply.plan_data import open_cycle, values
from tests.uploads.page_imports import page_import

pytestmark = pytest.mark.django_db
REMEDY = "open and save the file in Excel, or paste values"


def workbook(rows: list[list], *, saved: dict[str, str] | None = None) -> bytes:
    """An .xlsx as a script writes it (formulas without values), or with `saved` values cached."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if not saved:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                for formula, value in saved.items():
                    data = data.replace(
                        f"<f>{formula}</f><v />".encode(),
                        f"<f>{formula}</f><v>{value}</v>".encode(),
                    )
            target.writestr(item, data)
    return out.getvalue()


@pytest.fixture
def analyst(user_with_role):
    return user_with_role(Role.SALES_OPS_ANALYST)


def sales_row(company, units, revenue) -> list:
    return [LAST, company.products[0].sku, company.territories[0].code, units, revenue]


HEADER = ["period", "product", "territory", "units", "revenue"]


def test_a_revenue_formula_without_a_saved_value_is_refused_by_cell_not_priced(
    company, analyst, upload
):
    content = workbook([HEADER, sales_row(company, 20, "=120*20")])
    batch = upload(analyst, content, name="sales.xlsx")
    assert f"cell E2 is a formula without a saved value (=120*20): {REMEDY}" in refusal(batch)
    assert not SalesActual.objects.exists()


def test_a_units_formula_without_a_saved_value_is_named_not_called_missing(
    company, analyst, upload
):
    content = workbook([HEADER, sales_row(company, "=10+10", "")])
    batch = upload(analyst, content, name="sales.xlsx")
    assert "cell D2 is a formula without a saved value (=10+10)" in refusal(batch)


def test_a_formula_with_a_saved_value_is_read_as_that_value(company, analyst, upload):
    content = workbook([HEADER, sales_row(company, 20, "=120*20")], saved={"120*20": "2400"})
    batch = upload(analyst, content, name="sales.xlsx")
    committed(actor=analyst, batch_id=batch.pk)
    assert SalesActual.objects.values_list("units", "revenue").get() == (
        Decimal(20),
        Decimal(2400),
    )


def test_the_budget_import_refuses_a_formula_without_a_saved_value(company, users_by_role, client):
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.RECONCILIATION)
    family, territory = company.families[0].code, company.territories[0].code
    content = workbook(
        [
            ["family", "territory", "month", "units", "revenue"],
            [family, territory, "2027-01", 5, "=1+1"],
        ]
    )
    address = f"/reconciliation/{cycle.pk}/budget/import/"
    page, batch = page_import(client, users_by_role[Role.FINANCE], address, content, "b.xlsx")
    assert re.search(f"cell E2 is a formula without a saved value .*{REMEDY}", refusal(batch))
    assert re.search(
        f"cell E2 is a formula without a saved value .*{REMEDY}", page.content.decode()
    )
    assert values(cycle, "budget_revenue") == {}
