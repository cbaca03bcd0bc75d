"""The sales-history API pages through every actual once, in a stable order, with the same
few queries whatever the page: no row is sorted by joined names or fetched twice."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.roles import Role
from forecasting.models import SalesActual

pytestmark = pytest.mark.django_db


@pytest.fixture
def actuals(company):
    SalesActual.objects.bulk_create(
        SalesActual(product=product, territory=territory, period=date(2026, month, 1),
                    units=Decimal(month), revenue=Decimal(10 * month))
        for product in company.products for territory in company.territories
        for month in (1, 2, 3)
    )  # fmt: skip
    return SalesActual.objects.count()


def _key_order(company) -> list[tuple]:
    """(sku, territory code, YYYY-MM-DD) of every actual, in the API's order."""
    rows = SalesActual.objects.order_by("territory_id", "period", "product_id")
    return [(r.product.sku, r.territory.code, f"{r.period}") for r in rows]


def test_paging_through_the_actuals_returns_each_row_once_in_order(
    actuals, company, user_with_role
):
    api = APIClient()
    api.force_authenticate(user_with_role(Role.SALES_OPS_ANALYST))
    seen, url, queries = [], "/api/actuals/?limit=7", []
    while url:
        with CaptureQueriesContext(connection) as captured:
            page = api.get(url).json()
        queries.append(len(captured))
        seen += [(r["product"], r["territory"], r["period"]) for r in page["results"]]
        url = page["next"]
        assert url is None or ("after=" in url and "offset" not in url)
    assert len(seen) == actuals and seen == _key_order(company)
    assert len(set(queries[1:])) == 1  # after the first (roles read): the same few each page


def test_rows_added_while_paging_never_repeat_or_hide_a_row(actuals, company, user_with_role):
    """An upload lands between two pages: every row is still read exactly once, in order;
    the new rows ahead of the reader's key are read too, those behind it are not."""
    api = APIClient()
    api.force_authenticate(user_with_role(Role.SALES_OPS_ANALYST))
    first = api.get("/api/actuals/?limit=10").json()
    SalesActual.objects.bulk_create(
        SalesActual(product=product, territory=territory, period=date(2026, 4, 1),
                    units=Decimal(4), revenue=Decimal(40))
        for product in company.products for territory in company.territories
    )  # fmt: skip
    seen, url = (
        [(r["product"], r["territory"], r["period"]) for r in first["results"]],
        first["next"],
    )
    while url:
        page = api.get(url).json()
        seen += [(r["product"], r["territory"], r["period"]) for r in page["results"]]
        url = page["next"]
    everything = _key_order(company)
    behind = everything.index(seen[9])  # the first page's last row
    added_behind = [row for row in everything[:behind] if row[2] == "2026-04-01"]
    assert len(seen) == len(set(seen)) == len(everything) - len(added_behind)
    assert seen == [row for row in everything if row not in added_behind]


def test_a_key_the_list_did_not_give_is_refused_in_words(actuals, user_with_role):
    api = APIClient()
    api.force_authenticate(user_with_role(Role.SALES_OPS_ANALYST))
    answer = api.get("/api/actuals/?after=not-a-key")
    assert answer.status_code == 400 and "follow the `next` link" in answer.json()["after"]
    assert api.get("/api/actuals/?limit=abc").status_code == 400
    assert len(api.get("/api/actuals/?limit=5000").json()["results"]) == actuals  # < 1,000


def test_the_territories_reporting_each_month_are_those_with_an_actual_for_it(company):
    from forecasting.selectors import territories_reporting, territories_with_actuals

    first, second = company.territories[:2]
    jan, feb, mar = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
    for territory, month in ((first, jan), (first, feb), (second, feb)):
        SalesActual.objects.create(product=company.products[0], territory=territory,
                                   period=month, units=Decimal(1), revenue=Decimal(1))  # fmt: skip
    assert territories_reporting([jan, feb, mar]) == {
        jan: {first.pk}, feb: {first.pk, second.pk}, mar: set()
    }  # fmt: skip
    assert territories_with_actuals(feb) == {first.pk, second.pk}


def test_a_page_shows_each_actual_with_its_sku_territory_and_exact_figures(
    actuals, company, user_with_role
):
    api = APIClient()
    api.force_authenticate(user_with_role(Role.SALES_OPS_ANALYST))
    first = api.get("/api/actuals/?limit=1").json()["results"][0]
    row = SalesActual.objects.order_by("territory_id", "period", "product_id").first()
    assert first == {
        "product": row.product.sku,
        "territory": row.territory.code,
        "period": "2026-01-01",
        "units": "1.000",
        "revenue": "10.00",
    }
