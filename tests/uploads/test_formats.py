"""The exports analysts really bring read the same: BOM, Windows-1252, `;` and decimal commas, Excel."""

import io
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from accounts.roles import Role
from forecasting.models import SalesActual
from tests.fixtures.uploads import LAST, LAST_MONTH, actuals_table, committed
from uploads.selectors import actuals_export_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(user_with_role):
    return user_with_role(Role.SALES_OPS_ANALYST)


def _committed_units(user, upload, content: bytes, **options) -> list[Decimal]:
    batch = upload(user, content, **options)
    assert batch.rejected_count == 0, list(batch.rejections.values_list("reason", flat=True))
    committed(actor=user, batch_id=batch.pk)
    return list(SalesActual.objects.order_by("product__sku").values_list("units", flat=True))


def test_utf8_with_bom_and_spaced_capitalised_headers(company, analyst, upload):
    sku, code = company.products[0].sku, company.territories[0].code
    content = (
        "\ufeff Period ,PRODUCT,Territory, Units \n".encode() + f"{LAST},{sku},{code},7\n".encode()
    )
    assert _committed_units(analyst, upload, content) == [Decimal("7")]


def test_windows_1252_semicolons_and_decimal_commas(company, analyst, upload):
    sku, code = company.products[0].sku, company.territories[0].code
    content = f"period;product;territory;units;revenue\n{LAST};{sku};{code};1 234,5;12,50\n"
    assert _committed_units(analyst, upload, content.encode("cp1252")) == [Decimal("1234.5")]
    assert SalesActual.objects.get().revenue == Decimal("12.50")


def test_excel_workbook_with_month_dates_on_a_chosen_sheet(company, analyst, upload):
    workbook = Workbook()
    workbook.active.title = "Notes"
    sheet = workbook.create_sheet("Sales")
    sheet.append(["Period", "Product", "Territory", "Units"])
    sheet.append(
        [
            datetime(LAST_MONTH.year, LAST_MONTH.month, 1),
            company.products[0].sku,
            company.territories[0].code,
            12.0,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    units = _committed_units(analyst, upload, buffer.getvalue(), name="sales.xlsx", sheet="Sales")
    assert units == [Decimal("12")]


rows = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(0, 3),
        st.integers(1, 24),
        st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False),
        st.one_of(st.none(), st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False)),
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda row: row[:3],
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows)
def test_a_valid_file_round_trips_upload_export_reupload_changes_nothing(
    company, analyst, upload, rows
):
    SalesActual.objects.all().delete()
    from cycles.calendar import add_months

    lines = ["period,product,territory,units,revenue"]
    for product, territory, back, units, revenue in rows:
        period = f"{add_months(LAST_MONTH, 1 - back):%Y-%m}"
        sku, code = company.products[product].sku, company.territories[territory].code
        lines.append(f"{period},{sku},{code},{units},{'' if revenue is None else revenue}")
    batch = upload(analyst, "\n".join(lines).encode())
    assert (batch.new_count, batch.rejected_count) == (len(rows), 0)
    committed(actor=analyst, batch_id=batch.pk)
    stored = actuals_table()
    again = upload(analyst, actuals_export_csv().encode(), name="export.csv")
    assert (again.new_count, again.changed_count, again.unchanged_count) == (0, 0, len(rows))
    committed(actor=analyst, batch_id=again.pk)
    assert actuals_table() == stored
