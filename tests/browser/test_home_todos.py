"""Each role's home page lists its own to-dos with links that lead to where the work is done."""

from datetime import date

import pytest

from accounts.roles import Role
from cycles.stages import Stage
from tests.fixtures.browser import shoot
from tests.supply.plan_data import open_cycle

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_role_finds_its_own_to_dos_and_follows_them(
    login, users_by_role, user_with_role, company
):
    cycle = open_cycle(
        users_by_role[Role.SALES_OPS_MANAGER], Stage.DEMAND_PLANNING, date(2026, 12, 1)
    )
    cycle.stage_due = {**cycle.stage_due, "demand_planning": "2026-12-09"}
    cycle.save()
    planner = user_with_role(Role.DEMAND_PLANNER, territories=company.territories[:2])

    page = login(planner)
    todo = page.locator("#todos li").first
    names = f"{company.territories[0].name}, {company.territories[1].name}"
    assert todo.inner_text().startswith(f"Submit {names} by Wed 9 Dec")
    shoot(page, "home-planner")
    todo.locator("a").click()
    page.wait_for_url(f"**/demand/{cycle.pk}/")

    page = login(users_by_role[Role.FINANCE])
    page.click("#todos >> text=Enter the budget for Dec 2026-Nov 2027")
    page.wait_for_url(f"**/reconciliation/{cycle.pk}/")

    page = login(users_by_role[Role.EXECUTIVE])
    todos = page.inner_text("#todos")
    assert "Approve the 2026-12 plan" in todos and "once the cycle reaches Sign off" in todos
    page.click("#todos >> text=Approve the 2026-12 plan")
    page.wait_for_url(f"**/cycles/{cycle.pk}/sign-off/")

    page = login(users_by_role[Role.SALES_OPS_MANAGER])
    assert "Move S&OP 2026-12 on from Demand planning" in page.inner_text("#todos")
