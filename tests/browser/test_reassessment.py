"""A planner opens Reassessment from the menu: accuracy chart, FVA waterfall, ranking."""

from datetime import date

from accounts.roles import Role
from reassessment.services import scores_recompute
from tests.browser.menu import menu_go
from tests.browser.waiting import wait_until
from tests.factories import mark_released
from tests.fixtures.reassessment import PlanBook

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def test_fva_waterfall_and_ranking_render(login, users_by_role, company):
    book = PlanBook(company)
    planner = users_by_role[Role.DEMAND_PLANNER]
    t0 = company.territories[0]
    keys = [(p, t0, FEB) for p in company.products[:2]]
    cycle = book.unreleased_cycle(
        JAN,
        baseline={k: 100 for k in keys},
        consensus={keys[0]: 120, keys[1]: 100},
        override={keys[0]: 120},
    )
    book.actuals({keys[0]: 120, keys[1]: 100})
    book.override(cycle, planner, "promo-intel", {keys[0]: (100, 120)})
    mark_released(cycle)  # a released cycle takes no override afterwards
    scores_recompute()

    page = login(planner)
    menu_go(page, "Reassessment")
    wait_until(page, "window.Chart && Chart.getChart('accuracy-chart') !== undefined")
    page.click("text=Forecast value added")
    wait_until(page, "window.Chart && Chart.getChart('fva-chart') !== undefined")
    assert "Overrides: " in page.inner_text("#waterfall")
    assert "too few to judge" in page.inner_text("#people")
