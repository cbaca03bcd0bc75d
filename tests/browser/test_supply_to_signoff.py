"""From supply plan to sign-off, in the browser: the supply planner submits, Finance decides
the gap, the owner compares two scenarios and promotes one, an executive approves."""

import pytest

from accounts.roles import Role
from cycles.models import Cycle
from cycles.stages import Stage
from reconciliation.models import GapDecision, Scenario
from supply.selectors import family_anchors
from tests.browser.menu import menu_go
from tests.fixtures.cycles import load_budget
from tests.supply.plan_data import family_capacity, open_cycle, put, put_consensus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cycle(company, users_by_role):
    """Supply planning, with family 0 short of capacity in January."""
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)
    put_consensus(cycle, company.products[0], company.territories[0], [100] * 12)
    put_consensus(cycle, company.products[1], company.territories[1], [50] * 12)
    family_capacity(cycle, company.families[0], [100, 100, 80] + [100] * 9)
    family_capacity(cycle, company.families[1], [60] * 12)
    load_budget(cycle, company.territories[0], company.products[0])  # Finance's budget
    return cycle


def add_change(page, scenario: str, kind: str, percent: str) -> None:
    page.click(f"details:has(form.scenario-change[data-name='{scenario}']) summary")
    form = page.locator(f"form.scenario-change[data-name='{scenario}']")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=percent]").fill(percent)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".message-success")


def test_supply_planner_to_executive_approval(login, users_by_role, company, cycle):
    manager, finance = users_by_role[Role.SALES_OPS_MANAGER], users_by_role[Role.FINANCE]

    page = login(users_by_role[Role.SUPPLY_PLANNER])
    page.on("dialog", lambda dialog: dialog.accept())  # advance and approve ask first
    menu_go(page, "Supply")
    page.click(f"#families >> text={company.families[0].name}")
    assert "shortage of 20 units" in page.inner_text("#months")
    menu_go(page, "Supply")
    page.click("#compute")
    page.wait_for_selector(".message-success")
    page.click("#submit-supply")
    page.wait_for_selector(".message-success")
    page.goto("/supply/")
    assert "Submitted by" in page.inner_text("#supply-submitted")

    page = login(manager)
    page.goto("/cycles/")
    page.click("#advance")
    assert page.inner_text("#cycle-stage") == "Reconciliation"

    page = login(finance)
    menu_go(page, "Reconciliation")
    gap = page.locator("tr.gap").first
    assert "Shortage of 20 units" in gap.get_attribute("title")
    gap.locator("button.decide-one").click()  # the decision form opens under this gap
    form = page.locator("tr.decide-row #decide-panel")
    form.locator("select[name=decision]").select_option("adjust_supply")
    form.locator("input[name=rationale]").fill("Plant can add a Saturday shift")
    form.locator("input[name=expected_impact]").fill("+20 units in January")
    form.locator("#decide-submit").click()
    page.wait_for_selector(".message-success")
    assert "Adjust supply" in page.inner_text("#gaps")

    page = login(manager)
    page.goto(f"/reconciliation/{cycle.pk}/scenarios/")
    for name in ("Saturday shift", "Price up"):
        page.fill("#new-scenario input[name=name]", name)
        page.click("#new-scenario button[type=submit]")
        page.wait_for_selector(".message-success")
    add_change(page, "Saturday shift", "capacity", "25")
    add_change(page, "Price up", "price", "4")
    page.check("input[aria-label='Compare Saturday shift']")
    page.check("input[aria-label='Compare Price up']")
    page.click("#compare")
    table = page.inner_text("#comparison")
    assert "Base plan" in table and "Saturday shift" in table and "Price up" in table
    page.click("details:has(form.promote[data-name='Saturday shift']) summary")
    promote = page.locator("form.promote[data-name='Saturday shift']")
    promote.locator("input[name=reason]").fill("Agreed with the plant manager")
    promote.locator("button[type=submit]").click()
    page.wait_for_selector(".message-success")
    assert Scenario.objects.get(name="Saturday shift").promoted_at is not None
    page.goto("/cycles/")
    page.click("#advance")
    assert page.inner_text("#cycle-stage") == "Sign off"

    page = login(users_by_role[Role.EXECUTIVE])
    page.goto(f"/cycles/{cycle.pk}/sign-off/")
    assert "Revenue" in page.inner_text("#kpis")
    assert page.locator("#preread-chart").count() == 1
    page.fill("#decide textarea[name=comment]", "Go")
    page.click("#approve")
    page.wait_for_selector(".message-success")
    assert Cycle.objects.get(pk=cycle.pk).is_released
    assert GapDecision.objects.count() == 1


def test_supply_inputs_show_whole_figures_under_one_line_month_headers(
    login, users_by_role, company, cycle
):
    anchor = family_anchors()[company.families[0].pk]
    put(cycle, "capacity", anchor.product_id, anchor.territory_id, cycle.horizon()[0], 22284.5)
    page = login(users_by_role[Role.SUPPLY_PLANNER])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/supply/{cycle.pk}/family/{company.families[0].pk}/")
    box = page.locator(f"input[name='capacity__{cycle.horizon()[0]:%Y-%m}']")
    assert box.input_value().startswith("22284.5")
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth")  # no digit hidden
    headers = page.locator("#supply-input-grid thead th")
    lines = "e => { const r = document.createRange(); r.selectNodeContents(e); "
    lines += "return r.getClientRects().length; }"
    for i in range(1, headers.count()):  # "2026-11" on one line, not "2026-" over "11"
        assert headers.nth(i).evaluate(lines) == 1
