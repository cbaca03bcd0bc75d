"""Every upload kind and import reads a figure as its file means it, or refuses it by name."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from cycles.stages import Stage
from forecasting.models import SalesActual
from tests.fixtures.uploads import LAST, committed
from tests.supply.plan_data import open_cycle, values
from tests.uploads.page_imports import commit_on_page, page_import

pytestmark = pytest.mark.django_db
POINT = "decimal point, comma for thousands"


@pytest.fixture
def analyst(user_with_role):
    return user_with_role(Role.SALES_OPS_ANALYST)


def actuals(company, units: str, *, sep: str, revenue: str = "") -> bytes:
    sku, code = company.products[0].sku, company.territories[0].code
    header = sep.join(["period", "product", "territory", "units", "revenue"])
    line = sep.join([LAST, sku, code, units, revenue])
    return f"{header}\n{line}\n".encode()


def test_units_1_234_in_a_semicolon_file_are_one_thousand_two_hundred_thirty_four(
    company, analyst, upload
):
    batch = upload(analyst, actuals(company, "1.234", sep=";", revenue="2.400,50"))
    assert batch.rejected_count == 0
    committed(actor=analyst, batch_id=batch.pk)
    assert SalesActual.objects.values_list("units", "revenue").get() == (
        Decimal(1234),
        Decimal("2400.50"),
    )


@pytest.mark.parametrize(
    ("units", "revenue", "column", "value"),
    [('"1,5"', "", "units", "1,5"), ("5", '"2400,50"', "revenue", "2400,50")],
)
def test_a_decimal_comma_in_a_comma_file_is_refused_naming_row_column_value_and_convention(
    company, analyst, upload, units, revenue, column, value
):
    batch = upload(analyst, actuals(company, units, sep=",", revenue=revenue))
    assert list(batch.rejections.values_list("row_number", "column", "value", "reason")) == [
        (2, column, value, f"not a number written with a {POINT}")
    ]


def test_a_price_32_30_in_a_comma_file_is_refused_not_read_as_3230(
    company, user_with_role, upload
):
    specialist, sku = user_with_role(Role.SALES_PLANNING_SPECIALIST), company.products[0].sku
    content = f'sku,unit_price\n{sku},"32,30"\n'.encode()
    batch = upload(specialist, content, name="prices.csv", kind="prices")
    assert list(batch.rejections.values_list("row_number", "column", "value", "reason")) == [
        (
            2,
            "unit_price",
            "32,30",
            f"not a price (a number, 0 or more, at most 2 decimals, with a {POINT})",
        )
    ]
    assert batch.changed_count == 0


@pytest.fixture
def cycle(users_by_role, company):
    return open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.RECONCILIATION)


def finance_imports(cycle, client, users_by_role, content: str) -> None:
    """Finance imports a budget file through reconciliation's "Import budget", then commits."""
    address = f"/reconciliation/{cycle.pk}/budget/import/"
    _page, batch = page_import(client, users_by_role[Role.FINANCE], address, content.encode())
    commit_on_page(client, batch)


def test_the_reconciliation_budget_import_reads_16_543_as_sixteen_thousand(
    cycle, company, users_by_role, client
):
    family, territory = company.families[0].code, company.territories[0].code
    content = (
        f'family,territory,month,units,revenue\n{family},{territory},2027-01,"1,250","16,543"\n'
    )
    finance_imports(cycle, client, users_by_role, content)
    assert list(values(cycle, "budget_units").values()) == [Decimal(1250)]
    assert list(values(cycle, "budget_revenue").values()) == [Decimal(16543)]


def test_the_budget_import_of_a_semicolon_file_reads_european_figures(
    cycle, company, users_by_role, client
):
    family, territory = company.families[0].code, company.territories[0].code
    content = (
        f"family;territory;month;units;revenue\n{family};{territory};2027-01;1.250;16.543,5\n"
    )
    finance_imports(cycle, client, users_by_role, content)
    assert list(values(cycle, "budget_units").values()) == [Decimal(1250)]
    assert list(values(cycle, "budget_revenue").values()) == [Decimal("16543.5")]


def test_the_supply_inputs_import_refuses_a_decimal_comma_in_a_comma_file_by_cell(
    company, users_by_role, client
):
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)
    family = company.families[0].code
    content = f'family,month,measure,value\n{family},2027-01,capacity,"10,5"\n'
    address = f"/supply/{cycle.pk}/import/"
    _page, batch = page_import(
        client, users_by_role[Role.SUPPLY_PLANNER], address, content.encode()
    )
    assert list(batch.rejections.values_list("row_number", "column", "value", "reason")) == [
        (2, "value", "10,5", f"not a number written with a {POINT}")
    ]
    commit_on_page(client, batch)
    assert values(cycle, "capacity") == {}
