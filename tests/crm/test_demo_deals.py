"""The demo CRM: deals sized on each territory's sales, a few left to map, loaded once."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from crm import selectors
from crm.demo_deals import DEALS, UNPLACED, demo_deals_load
from crm.models import Deal
from cycles.calendar import add_months, month_start
from forecasting.models import SalesActual

pytestmark = pytest.mark.django_db

TODAY = date(2027, 1, 10)


@pytest.fixture
def sales(company):
    """The first territory sells ten times what the second does; the others sell nothing."""
    month = add_months(month_start(TODAY), -1)
    rows = [
        SalesActual(product=p, territory=t, period=month, units=units, revenue=units * 10)
        for t, units in (
            (company.territories[0], Decimal(1200)),
            (company.territories[1], Decimal(120)),
        )
        for p in company.products[:2]
    ]
    SalesActual.objects.bulk_create(rows)


def test_the_demo_deals_follow_the_territories_sales_and_leave_a_few_to_map(
    sales, company, users_by_role
):
    admin = users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR]
    assert demo_deals_load(today=TODAY, admin=admin) == DEALS
    placed = Deal.objects.filter(territory__isnull=False)
    assert placed.count() == DEALS - UNPLACED
    big = placed.filter(territory=company.territories[0]).count()
    small = placed.filter(territory=company.territories[1]).count()
    assert big > 5 * small > 0
    assert set(placed.values_list("territory", flat=True)) <= {
        company.territories[0].pk,
        company.territories[1].pk,
    }
    closes = set(Deal.objects.values_list("expected_close__month", flat=True))
    assert closes <= {1, 2, 3, 4, 5, 6}
    for deal in placed.prefetch_related("lines")[:20]:
        assert deal.value == sum(line.quantity * line.unit_price for line in deal.lines.all())
    assert selectors.unmapped_deals().count() == UNPLACED
    assert demo_deals_load(today=TODAY, admin=admin) == 0
    assert Deal.objects.count() == DEALS


def test_the_demo_deals_weighted_cover_most_of_next_month_and_less_further_out(
    sales, company, users_by_role
):
    demo_deals_load(today=TODAY, admin=users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR])
    year = {
        t.pk: sum(a.units * a.product.unit_price for a in SalesActual.objects.filter(territory=t))
        for t in company.territories[:2]
    }
    monthly = {territory: sold / 12 for territory, sold in year.items()}  # a year's average

    def covered(territory, ahead: int) -> Decimal:
        month = add_months(month_start(TODAY), ahead)
        deals = Deal.objects.filter(
            territory=territory, expected_close__year=month.year, expected_close__month=month.month
        ).select_related("stage")
        weighted = sum(d.value_company * d.stage.likelihood / 100 for d in deals)
        return weighted / monthly[territory.pk]

    big = company.territories[0]
    assert Decimal("0.5") < covered(big, 0) < Decimal("1.3")
    assert covered(big, 5) < covered(big, 1) < covered(big, 0)
