"""The sign-off page says what approving and rejecting do, and a rejection keeps its reason."""

import html

import pytest

from accounts.roles import Role
from collaboration.models import Notification
from cycles.models import Cycle, SignOffDecision
from cycles.stages import Stage

pytestmark = pytest.mark.django_db(transaction=True)  # notifications are sent after commit


@pytest.fixture
def at_sign_off(cycle, walk):
    return walk(cycle, Stage.SIGN_OFF)


def _page(client, cycle) -> str:
    return html.unescape(client.get(f"/cycles/{cycle.pk}/sign-off/").content.decode())


def test_a_rejection_without_comment_stays_on_the_page_with_the_comment_marked(
    at_sign_off, users_by_role, client
):
    client.force_login(users_by_role[Role.EXECUTIVE])
    response = client.post(
        f"/cycles/{at_sign_off.pk}/decide/", {"decision": "reject", "comment": "  "}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/cycles/{at_sign_off.pk}/sign-off/"
    page = html.unescape(response.content.decode())
    assert (
        'id="signoff-comment" rows="3" aria-describedby="comment-help" aria-invalid="true"' in page
    )
    assert "a rejection needs a comment saying what must change" in page
    assert not SignOffDecision.objects.exists()
    assert Cycle.objects.get().stage_enum is Stage.SIGN_OFF
    assert 'aria-invalid="true"' not in _page(client, at_sign_off)  # marked once, not forever


def test_approve_and_reject_say_what_they_will_do(at_sign_off, users_by_role, client, settings):
    settings.SOP_SIGNOFF_POLICY = "any"
    client.force_login(users_by_role[Role.EXECUTIVE])
    page = _page(client, at_sign_off)
    assert 'data-confirm="Approve the 2026-11 plan? It is then released and locked' in page
    assert 'data-confirm="Reject the 2026-11 plan? It goes back to reconciliation' in page
    assert 'data-requires="signoff-comment"' in page


def test_under_the_all_policy_approving_says_who_still_has_to_approve(
    at_sign_off, users_by_role, user_with_role, client, settings
):
    settings.SOP_SIGNOFF_POLICY = "all"
    other = user_with_role(Role.EXECUTIVE)
    other.first_name, other.last_name = "Olga", "Other"
    other.save()
    client.force_login(users_by_role[Role.EXECUTIVE])
    assert "released once Olga Other approves too" in _page(client, at_sign_off)
    client.post(f"/cycles/{at_sign_off.pk}/decide/", {"decision": "approve", "comment": ""})
    client.force_login(other)
    page = _page(client, at_sign_off)
    assert "released once" not in page and "It is then released and locked" in page


def test_the_decision_list_says_rejected_and_the_notification_carries_the_reason(
    at_sign_off, users_by_role, client, manager
):
    executive = users_by_role[Role.EXECUTIVE]
    client.force_login(executive)
    client.post(
        f"/cycles/{at_sign_off.pk}/decide/",
        {"decision": "reject", "comment": "Revenue is 4% under budget in the South"},
    )
    assert Cycle.objects.get().stage_enum is Stage.RECONCILIATION
    page = _page(client, at_sign_off)
    name = executive.get_full_name() or executive.username
    assert f"{name}</strong> rejected: “Revenue is 4% under budget in the South”" in page
    assert "rejectd" not in page
    note = Notification.objects.filter(user=manager, kind=Notification.Kind.STAGE_OPENED).latest(
        "id"
    )
    assert f"{name} rejected the plan: “Revenue is 4% under budget in the South”" in note.message


def test_the_advance_button_says_what_leaving_the_stage_does(cycle, walk, manager, client):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    client.force_login(manager)
    page = html.unescape(client.get("/cycles/").content.decode())
    assert (
        f'data-confirm="Move {cycle} from Demand planning to Supply planning? The demand plan '
        "is then frozen for this cycle" in page
    )
