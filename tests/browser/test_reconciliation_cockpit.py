"""Reconciliation at 1440 x 900 and 1024 x 768: twelve gaps decided in one action, one gap
decided in place, Finance spreads an annual budget, scenario compare by family and month.

Screenshots go to $SOP_SCREENSHOTS when it is set.
"""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from accounts.roles import Role
from audit.models import AuditEvent
from cycles.calendar import add_months
from cycles.models import PlanValue
from cycles.stages import Stage
from reconciliation import services
from reconciliation.models import GapDecision
from supply.selectors import family_anchors
from tests.browser.waiting import wait_until
from tests.supply.plan_data import family_capacity, open_cycle, put, put_consensus

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = [(1440, 900), (1024, 768)]
SHOTS = os.environ.get("SOP_SCREENSHOTS")


def snapshot(page, name: str) -> None:
    if SHOTS:
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)


@pytest.fixture
def cycle(company, users_by_role):
    """Reconciliation: family 0 short by 20 units in every month (12 shortage gaps), family 1
    below its revenue budget in three months (3 revenue gaps)."""
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.RECONCILIATION)
    f0, f1 = company.families
    put_consensus(cycle, company.products[0], company.territories[0], [60] * 12)
    put_consensus(cycle, company.products[2], company.territories[3], [40] * 12)
    put_consensus(cycle, company.products[1], company.territories[1], [50] * 12)
    family_capacity(cycle, f0, [80] * 12)
    family_capacity(cycle, f1, [80] * 12)
    price = company.products[1].unit_price
    for month in cycle.horizon()[:3]:
        put(
            cycle, "budget_revenue", company.products[1], company.territories[1], month, price * 80
        )
    return cycle


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}")
def test_twelve_gaps_decided_in_one_action(size, page, login, users_by_role, cycle, company):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page = login(users_by_role[Role.FINANCE])
    page.goto(f"/reconciliation/{cycle.pk}/")
    assert page.locator("#gaps tbody tr.gap").count() == 15
    page.select_option("#gap-kind", "Shortage")
    wait_until(page, "() => document.querySelectorAll('#gaps tr.gap:not([hidden])').length === 12")
    assert page.inner_text("#gap-totals-label") == "Total of 12 gap(s) shown of 15"
    assert page.inner_text("#gap-total-units") == "240"
    page.click("#gaps th[data-sort=month]")
    page.click("#gaps th[data-sort=month]")  # newest month first
    assert page.locator("#gaps tr.gap:not([hidden]) td:nth-child(4)").first.inner_text() == (
        f"{cycle.horizon()[-1]:%Y-%m}"
    )
    page.check("#gap-all")
    assert page.inner_text("#decide-submit") == "Decide 12 gaps"
    page.select_option("#decide-panel select[name=decision]", "adjust_supply")
    page.fill("#decide-panel input[name=rationale]", "A Saturday shift all year")
    page.fill("#decide-panel input[name=expected_impact]", "+20 units a month")
    snapshot(page, "gap-list")
    page.click("#decide-submit")
    page.wait_for_selector(".message-success")
    assert "Decision recorded for 12 gap(s): Adjust supply." in page.inner_text("main")
    decided = GapDecision.objects.filter(cycle=cycle)
    assert decided.count() == 12
    assert set(decided.values_list("decision", "rationale")) == {
        ("adjust_supply", "A Saturday shift all year")
    }
    assert AuditEvent.objects.filter(action="gap.decide").count() == 12
    assert page.locator("#gaps tr.gap[data-status=Undecided]").count() == 3


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}")
def test_one_gap_is_decided_in_place(size, page, login, users_by_role, cycle):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page = login(users_by_role[Role.SALES_OPS_MANAGER])
    page.goto(f"/reconciliation/{cycle.pk}/")
    row = page.locator("#gaps tr.gap[data-kind='Revenue below budget']").first
    key = row.get_attribute("data-key")
    row.locator("button.decide-one").click()
    # the one form opens on the next row of the table, under the gap it decides
    assert page.locator(f"#gaps tr.gap[data-key='{key}'] + tr.decide-row #decide-panel").count()
    assert page.locator("#decide-panel").count() == 1
    assert "below budget" in page.inner_text("#decide-what")
    page.fill("#decide-panel input[name=rationale]", "Price rise in spring")
    page.fill("#decide-panel input[name=expected_impact]", "Budget met by April")
    snapshot(page, "gap-in-place")
    page.click("#decide-submit")
    page.wait_for_selector(".message-success")
    assert list(GapDecision.objects.values_list("gap_key", flat=True)) == [key]


@pytest.fixture
def sold_last_year(cycle, company):
    """Family 0 sold in territories 0 and 2 last year; December three times a usual month."""
    from forecasting.models import SalesActual

    for month in cycle.horizon():
        boost = 3 if month.month == 12 else 1
        for territory in (company.territories[0], company.territories[2]):
            SalesActual.objects.create(
                product=company.products[0],
                territory=territory,
                period=add_months(month, -12),
                units=10 * boost,
                revenue=Decimal(100 * boost),
            )
    return cycle


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}")
def test_finance_spreads_an_annual_budget_edits_it_and_saves(
    size, page, login, users_by_role, sold_last_year, company
):
    cycle, family = sold_last_year, company.families[0]
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page = login(users_by_role[Role.FINANCE])
    page.goto(f"/reconciliation/{cycle.pk}/budget/{family.pk}/")
    page.click("#annual summary")
    page.fill("input[name=annual_units__all]", "2,800")
    page.fill("input[name=annual_revenue__all]", "280000")
    page.check("input[name=profile][value=actuals]")
    page.click("#spread")
    page.wait_for_selector(".message-info")
    t0, t2 = company.territories[0].pk, company.territories[2].pk
    december = page.locator(f"input[name=budget_units__{t0}__2026-12]")
    assert december.input_value() == "300"  # 2,800 over 14 month-shares x 2 territories, x 3
    assert page.locator(f"input[name=budget_units__{t2}__2027-01]").input_value() == "100"
    # the plan figure sits in the cell, under the budget
    assert page.locator(f"td:has(input[name=budget_units__{t0}__2027-01]) small.plan").count()
    year = page.locator(f"tr:has(input[name=budget_units__{t0}__2026-12]) .year-budget")
    assert year.inner_text() == "1,400"
    december.fill("350")  # Finance's edit before saving
    assert year.inner_text() == "1,450"
    snapshot(page, "budget-spread")
    page.click("#save-budget")
    page.wait_for_selector(".message")
    assert page.locator(".message-success").count(), page.inner_text("main")[:300]
    anchor = family_anchors()[family.pk].product_id
    saved = PlanValue.objects.filter(
        cycle=cycle, measure="budget_units", product_id=anchor, valid_to_seq=None
    )
    assert saved.aggregate(total=Sum("value"))["total"] == Decimal(2850)
    revenue = PlanValue.objects.filter(
        cycle=cycle, measure="budget_revenue", product_id=anchor, valid_to_seq=None
    )
    assert revenue.aggregate(total=Sum("value"))["total"] == Decimal(280000)
    assert page.locator(f"input[name=budget_units__{t0}__2026-12]").input_value() == "350"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}")
def test_scenario_compare_shows_family_and_month_tables_and_the_chart(
    size, page, login, users_by_role, cycle, company
):
    manager = users_by_role[Role.SALES_OPS_MANAGER]
    f0 = company.families[0]
    more = services.scenario_create(actor=manager, cycle_id=cycle.pk, name="More capacity")
    services.scenario_change_add(
        actor=manager,
        scenario_id=more.pk,
        kind="capacity",
        family_id=f0.pk,
        month_from=cycle.horizon()[0],
        month_to=cycle.horizon()[5],
        percent=25,
    )
    less = services.scenario_create(actor=manager, cycle_id=cycle.pk, name="Softer demand")
    services.scenario_change_add(
        actor=manager,
        scenario_id=less.pk,
        kind="demand",
        family_id=None,
        month_from=cycle.horizon()[0],
        month_to=cycle.horizon()[-1],
        percent=-10,
    )
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page = login(manager)
    page.goto(f"/reconciliation/{cycle.pk}/scenarios/")
    page.check("input[aria-label='Compare More capacity']")
    page.check("input[aria-label='Compare Softer demand']")
    page.click("#compare")
    page.wait_for_selector("#change-by-family")
    family_row = page.locator(f"#change-by-family tbody tr:has(td:text-is('{f0.name}'))")
    # base 960 shipped; +25% capacity for six months ships all 100 a month: +120 (+12.5%)
    assert family_row.locator("td").nth(1).inner_text() == "960"
    assert family_row.locator("td").nth(2).inner_text() == "+120"
    assert family_row.locator("td").nth(3).inner_text() == "+12.5%"
    # -10% demand: 90 a month, 80 can be made: still 960 shipped for family 0
    assert family_row.locator("td").nth(4).inner_text() == "0"
    month_rows = page.locator("#change-by-month tbody tr")
    assert month_rows.count() == 12
    assert month_rows.first.locator("td").nth(2).inner_text() == "+20"
    assert month_rows.last.locator("td").nth(2).inner_text() == "0"
    wait_until(page, "() => !!Chart.getChart(document.getElementById('scenario-chart'))")
    chart = page.evaluate(
        "() => { const c = Chart.getChart(document.getElementById('scenario-chart'));"
        " return c.data.datasets.map(d => [d.label, d.data.length]); }"
    )
    assert chart == [["More capacity", 12], ["Softer demand", 12]]
    snapshot(page, "scenario-compare")
