"""Reopening a plan asks its reason in an in-page dialog; a rejection needs its comment first.

At a laptop's 1440 x 900 and a small screen's 1024 x 768.
"""

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from cycles import services
from cycles.models import Cycle, SignOffDecision
from cycles.stages import Stage

SIZES = [(1440, 900), (1024, 768)]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_owner_reopens_a_submitted_plan_through_a_dialog_with_a_reason(
    width, height, demand_cycle, planners, manager, company, login
):
    own = company.territories[0]
    services.plan_submit(
        actor=planners[0], cycle_id=demand_cycle.pk, plan="demand", territory_id=own.pk
    )
    page = login(manager)
    page.set_viewport_size({"width": width, "height": height})
    prompts = []
    page.on("dialog", lambda dialog: (prompts.append(dialog.type), dialog.dismiss()))
    page.goto("/demand/")
    page.wait_for_selector("#demand-grid-app[data-loaded]")
    page.click(f'.reopen[data-territory="{own.pk}"]')
    page.wait_for_selector("#reopen-dialog[open]")
    assert own.name in page.inner_text("#reopen-title")
    page.click("#reopen-confirm")  # no reason yet: marked, still open, nothing changed
    assert page.get_attribute("#reopen-reason", "aria-invalid") == "true"
    assert "Write why you reopen" in page.inner_text("#reopen-help")
    assert page.locator("#reopen-dialog[open]").count() == 1
    assert not AuditEvent.objects.filter(action="demand.reopen").exists()
    box = page.locator("#reopen-dialog article").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # the dialog fits the window

    page.fill("#reopen-reason", "The retailer deal moved to March")
    with page.expect_navigation():
        page.click("#reopen-confirm")
    page.wait_for_selector("#demand-grid-app[data-loaded]")
    assert page.locator(f'.reopen[data-territory="{own.pk}"]').count() == 0
    assert AuditEvent.objects.filter(
        action="demand.reopen", reason="The retailer deal moved to March"
    ).exists()
    assert prompts == []  # no prompt() or confirm() on the way


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_rejection_without_comment_keeps_the_executive_on_the_page_with_the_field_marked(
    width,
    height,
    cycle,
    walk,
    users_by_role,
    login,
):
    cycle = walk(cycle, Stage.SIGN_OFF)
    page = login(users_by_role[Role.EXECUTIVE])
    page.set_viewport_size({"width": width, "height": height})
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.goto(f"/cycles/{cycle.pk}/sign-off/")
    page.click("#reject")
    assert page.get_attribute("#signoff-comment", "aria-invalid") == "true"
    assert "a rejection needs a comment" in page.inner_text("#comment-help")
    assert page.evaluate("document.activeElement.id") == "signoff-comment"
    assert questions == [] and not SignOffDecision.objects.exists()

    page.fill("#signoff-comment", "Budget gap in the South is not explained")
    page.click("#reject")
    page.wait_for_selector(".message-success")
    assert questions[0].startswith("Reject the 2026-11 plan? It goes back to reconciliation")
    assert Cycle.objects.get().stage_enum is Stage.RECONCILIATION
    page.goto(f"/cycles/{cycle.pk}/sign-off/")
    assert "rejected: “Budget gap in the South is not explained”" in page.inner_text("#decisions")
