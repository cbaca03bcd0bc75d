"""Attainment: actuals and CRM closed-won against the locked quotas, per rep and territory,
month and year to date, on the reassessment pages, as KPI tiles and as CSV."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from crm.models import CrmStage, Deal
from forecasting.models import SalesActual
from quotas.attainment import attainment_rows, company_attainment

pytestmark = pytest.mark.django_db
FEB, MAR = date(2027, 2, 1), date(2027, 3, 1)


@pytest.fixture
def sold(locked, company):
    """Territory 0 sells half its February quota (315 of 630); territory 1 its March quota."""
    t0, t1 = company.territories[0], company.territories[1]
    SalesActual.objects.create(
        product=company.products[0], territory=t0, period=FEB, units=31.5, revenue=315
    )
    SalesActual.objects.create(
        product=company.products[1], territory=t1, period=MAR, units=52.5, revenue=525
    )
    return locked


def _row(rows, level, name, month):
    return next(r for r in rows if (r.level, r.name, r.month) == (level, name, month))


def test_territories_and_reps_are_measured_month_and_year_to_date(sold, company):
    rows = attainment_rows()
    assert _row(rows, "territory", company.territories[0].name, "2027-02").attainment_pct == 50.0
    ann_feb = _row(rows, "rep", "Ann", "2027-02")  # still in territory 0 in February
    assert (ann_feb.quota_revenue, ann_feb.actual_revenue) == (630.0, 315.0)
    ann_mar = _row(rows, "rep", "Ann", "2027-03")  # half of territory 1 since 1 March
    assert (ann_mar.quota_revenue, ann_mar.actual_revenue, ann_mar.attainment_pct) == (
        262.5,
        262.5,
        100.0,
    )
    assert (ann_mar.ytd_quota_revenue, ann_mar.ytd_actual_revenue) == (892.5, 577.5)
    assert ann_mar.crm_won_revenue is None  # no CRM deals at all


def test_closed_won_crm_deals_count_against_the_quota(sold, company):
    stage = CrmStage.objects.create(
        source="fake", external_id="won", name="Won", likelihood=100, is_won=True
    )
    Deal.objects.create(
        source="fake",
        external_id="d1",
        name="Big order",
        owner_email="ann@example.com",
        stage=stage,
        status=Deal.Status.WON,
        likelihood=100,
        closed_on=date(2027, 3, 14),
        value=Decimal("400"),
        currency="EUR",
        value_company=Decimal("400"),
        territory=company.territories[1],
        updated_upstream=timezone.now(),
    )
    rows = attainment_rows()
    assert _row(rows, "rep", "Ann", "2027-03").crm_won_revenue == 400.0
    assert _row(rows, "territory", company.territories[1].name, "2027-03").crm_won_revenue == 400.0


def test_the_company_kpis_are_the_month_and_the_year_to_date(sold):
    month_pct, ytd_pct = company_attainment(MAR)
    # a month's quota is 630 (territory 0) + 525 (territory 1) = 1,155
    assert month_pct == pytest.approx(100 * 525 / 1155)
    assert ytd_pct == pytest.approx(100 * 840 / 2310)  # Feb + Mar: 840 of 2,310


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_every_role_sees_the_attainment_page_and_its_csv(client, users_by_role, sold, role):
    client.force_login(users_by_role[role])
    page = client.get(reverse("reassessment:attainment") + "?level=rep").content.decode()
    assert 'data-name="Ann" data-month="2027-03"' in page
    csv = client.get(reverse("reassessment:attainment") + "?format=csv").content.decode()
    assert csv.splitlines()[0].startswith("level,name,month,quota_revenue,actual_revenue")
    assert "rep,Ann,2027-02,630.0,315.0,50.0" in csv
