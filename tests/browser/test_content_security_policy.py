"""Every screen works under the Content-Security-Policy: no script or style the browser refuses."""

import pytest

from accounts.roles import Role
from cycles.stages import Stage
from tests.browser.waiting import wait_until
from tests.supply.plan_data import family_capacity, open_cycle, put_consensus

pytestmark = pytest.mark.django_db(transaction=True)


def _watch_for_refusals(page) -> list[str]:
    refusals: list[str] = []

    def note(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            refusals.append(f"{page.url}: {message.text}")

    page.on("console", note)
    return refusals


def test_the_demand_grid_draws_and_filters_under_the_policy(demand_cycle, manager, login):
    page = login(manager)
    refusals = _watch_for_refusals(page)
    page.goto("/demand/")
    page.wait_for_selector("#demand-grid-app[data-loaded]")
    header = page.locator(".ag-header").first
    assert header.bounding_box()["height"] > 20  # the grid's theme (a nonce'd <style>) applied
    assert page.locator(".ag-row").count() > 0
    page.locator("#grid-filters").evaluate("form => form.requestSubmit()")
    assert page.url.endswith("/demand/")  # the filter form never navigates
    assert refusals == []


def test_supply_reconciliation_and_sign_off_pages_run_their_scripts(login, users_by_role, company):
    manager = users_by_role[Role.SALES_OPS_MANAGER]
    cycle = open_cycle(manager, Stage.RECONCILIATION)
    put_consensus(cycle, company.products[0], company.territories[0], [100] * 12)
    family_capacity(cycle, company.families[0], [80] * 12)
    page = login(manager)
    refusals = _watch_for_refusals(page)
    page.goto(f"/supply/{cycle.pk}/family/{company.families[0].pk}/")
    wait_until(page, "() => Chart.getChart('supply-chart') !== undefined")
    page.goto(f"/cycles/{cycle.pk}/sign-off/")
    page.goto(f"/reconciliation/{cycle.pk}/scenarios/")
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .information-container")
    page.goto("/admin/")
    assert refusals == []


def test_deleting_a_scenario_still_asks_first(login, users_by_role, company):
    from reconciliation.models import Scenario

    manager = users_by_role[Role.SALES_OPS_MANAGER]
    cycle = open_cycle(manager, Stage.RECONCILIATION)
    Scenario.objects.create(cycle=cycle, name="Cautious", created_by=manager)
    page = login(manager)
    page.goto(f"/reconciliation/{cycle.pk}/scenarios/")
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.locator("form.scenario-delete button[type=submit]").click()
    assert questions == ["Delete the scenario Cautious and its changes?"]
    assert Scenario.objects.filter(name="Cautious").exists()
