"""A new cycle opens with last month's supply inputs and budget proposed; their owners confirm.

Screenshots of the pages at 1440 and 1024 px go to $SOP_SCREENSHOTS when it is set.
"""

import pytest

from accounts.roles import Role
from cycles.models import Cycle
from cycles.stages import Stage
from supply.selectors import family_anchors
from tests.fixtures.browser import shoot
from tests.fixtures.carryforward import released  # noqa: F401  (fixture)
from tests.supply.plan_data import values

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_cycle_shows_last_months_inputs_proposed_and_their_owners_confirm(
    login,
    users_by_role,
    company,
    released,  # noqa: F811
):
    page = login(users_by_role[Role.SALES_OPS_MANAGER])
    page.goto("/cycles/")
    page.click("#open-cycle button[type=submit]")
    page.wait_for_selector("#cycle-title")
    december = Cycle.objects.get(month="2026-12-01")
    family = company.families[0]

    page = login(users_by_role[Role.FINANCE])
    shoot(page, "home-finance")
    page.click("#todos >> text=Confirm the budget proposed from S&OP 2026-11")
    assert "Proposed from S&OP 2026-11" in page.inner_text("#carry-budget")
    shoot(page, "carried-forward")
    page.click(f"#carry-budget >> text={family.name}")
    cell = page.locator("#budget input.proposed").first
    assert cell.get_attribute("placeholder") == "500"
    shoot(page, "budget-proposed")
    page.click("#confirm-proposal")
    page.wait_for_selector(".message-success")
    assert page.locator("#budget input.proposed").count() == 0
    assert set(values(december, "budget_units").values()) == {500}

    Cycle.objects.filter(pk=december.pk).update(stage=Stage.SUPPLY_PLANNING.value)
    page = login(users_by_role[Role.SUPPLY_PLANNER])
    page.click("#todos >> text=Confirm the supply inputs proposed from S&OP 2026-11")
    page.click(f"#carry-supply >> text={family.name}")
    assert "Proposed from S&OP 2026-11" in page.inner_text("#carry-banner")
    shoot(page, "supply-proposed")
    page.fill("input[name=capacity__2026-12]", "70")  # the planner edits one figure
    page.click("#supply-inputs button[type=submit]")
    page.wait_for_selector(".message-success")
    page.click("#confirm-proposal")
    page.wait_for_selector(".message-success")
    assert page.input_value("input[name=capacity__2026-12]") == "70"
    assert page.input_value("input[name=capacity__2027-11]") == "100"
    anchor = family_anchors()[family.pk]
    capacity = values(december, "capacity")
    assert capacity[(anchor.product_id, anchor.territory_id, december.month)] == 70
    assert len(capacity) == 12
