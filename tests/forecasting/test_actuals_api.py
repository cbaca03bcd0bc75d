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


def test_paging_through_the_actuals_returns_each_row_once(actuals, user_with_role):
    api = APIClient()
    api.force_authenticate(user_with_role(Role.SALES_OPS_ANALYST))
    seen, url, queries = [], "/api/actuals/?limit=7", []
    while url:
        with CaptureQueriesContext(connection) as captured:
            page = api.get(url).json()
        queries.append(len(captured))
        seen += [(r["product"], r["territory"], r["period"]) for r in page["results"]]
        url = page["next"]
    assert page["count"] == actuals == len(seen) == len(set(seen))
    assert len(set(queries[1:])) == 1  # after the first (roles read): the same few each page


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
