"""A cycle from opening to release, as the people who run it: manager, planners, supply, executive."""

from datetime import date

import pytest

from accounts.roles import Role
from cycles.models import Cycle
from tests.browser.menu import menu_go
from tests.fixtures.cycles import add_actuals, load_baseline, load_budget

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cycle_walks_from_open_to_release(login, users_by_role, user_with_role, company):
    manager, executive = users_by_role[Role.SALES_OPS_MANAGER], users_by_role[Role.EXECUTIVE]
    north = users_by_role[Role.DEMAND_PLANNER]  # plans the first territory
    south = user_with_role(Role.DEMAND_PLANNER, territories=company.territories[1:])
    late = company.territories[3]
    add_actuals(company, date(2026, 10, 1), company.territories[:3])

    page = login(manager)
    questions = []  # every confirm() the walk meets, answered yes in this one tab
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    menu_go(page, "Cycle")
    page.fill("#open-cycle input[name=month]", "2026-11")
    page.click("#open-cycle button[type=submit]")
    page.wait_for_selector("#progress")
    assert f"Territory {late.name} has no actuals for 2026-10" in page.inner_text("#open-items")

    page.click("#advance")
    assert "1 open item is left" in page.inner_text(".message-error")
    page.click("#waive summary")
    page.fill("#waive textarea[name=reason]", "Their ERP export arrives on the 6th")
    page.click("#waive-submit")
    assert "Their ERP export" in page.inner_text("#waivers")
    page.click("#advance")
    assert page.inner_text("#cycle-stage") == "Demand planning"
    cycle = Cycle.objects.get(month=date(2026, 11, 1))
    for territory in company.territories:  # what the forecast run leaves in the plan
        load_baseline(cycle, territory, company.products[0])

    assert questions[-1].startswith("Move S&OP 2026-11 from Data gathering to Demand planning?")
    for planner, count in ((north, 1), (south, 3)):
        assert login(planner) is page  # one tab: the dialog handler above answers in it
        page.goto("/cycles/")
        assert page.locator("#advance").count() == 0
        for _ in range(count):
            page.locator(".submit-demand").first.click()
            page.wait_for_selector(".message-success")
        assert page.locator(".submit-demand").count() == 0
    submissions = [q for q in questions if q.startswith("Submit the demand plan")]
    assert len(submissions) == 4  # each submission asked first, saying what it means
    assert all("are then final for this cycle" in question for question in submissions)

    page = login(manager)
    page.goto("/cycles/")
    page.click("#advance")
    assert page.inner_text("#cycle-stage") == "Supply planning"

    page = login(users_by_role[Role.SUPPLY_PLANNER])
    page.goto("/cycles/")
    page.click("#submit-supply")
    page.wait_for_selector(".message-success")

    load_budget(cycle, company.territories[0], company.products[0])  # Finance's budget
    page = login(manager)
    page.goto("/cycles/")
    page.click("#advance")
    assert page.inner_text("#cycle-stage") == "Reconciliation"
    page.click("#advance")
    assert page.inner_text("#cycle-stage") == "Sign off"
    assert executive.get_full_name() in page.inner_text("#pending")
    page.fill("#comment-form textarea[name=body]", f"@{executive.username} ready for you")
    page.click("#comment-form button[type=submit]")
    assert "ready for you" in page.inner_text("#comments")

    page = login(executive)
    page.goto("/cycles/")
    page.click("#unread")
    assert "mentioned you" in page.inner_text("#notifications")
    page.goto("/cycles/")
    page.click("#go-sign-off")
    page.fill("#decide textarea[name=comment]", "Go ahead")
    page.click("#approve")
    assert "Released" in page.inner_text("#cycle-status")
    assert questions[-1].startswith("Approve the 2026-11 plan? It is then released and locked")
    assert "S&OP 2026-11" in page.inner_text("#past-cycles")
    assert "Go ahead" in page.inner_text("#timeline")
    assert Cycle.objects.get().is_released
