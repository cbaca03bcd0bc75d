"""The board's comment and action item forms: bad values named, typed text kept, no 500,
and long text refused at entry with its limit instead of cut without a word."""

import html

import pytest

from audit.models import AuditEvent
from collaboration.models import ActionItem, Comment, Notification

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_an_action_item_title_over_the_limit_is_refused_with_it_and_kept(client, cycle, manager):
    client.force_login(manager)
    title = "Chase the Carpathia figures " + "and more " * 30
    response = client.post(
        f"/collaboration/cycles/{cycle.pk}/action-items/",
        {"title": title, "owner": manager.username, "due_date": "2026-12-01"},
        follow=True,
    )
    body = page(response)
    assert f"Ensure this value has at most 200 characters (it has {len(title.strip())})." in body
    assert f'value="{title}"' in body
    assert not ActionItem.objects.exists()  # not stored cut to 200 characters


def test_an_action_item_due_date_that_is_not_a_date_is_named_and_the_title_kept(
    client, cycle, manager
):
    client.force_login(manager)
    response = client.post(
        f"/collaboration/cycles/{cycle.pk}/action-items/",
        {"title": "Chase Carpathia", "owner": manager.username, "due_date": "next week"},
        follow=True,
    )
    body = page(response)
    assert "Due date “next week”: Enter a date as YYYY-MM-DD." in body
    assert 'value="Chase Carpathia"' in body


def test_a_comment_about_a_stage_that_does_not_exist_is_named_not_a_500(client, cycle, manager):
    client.force_login(manager)
    response = client.post(
        f"/collaboration/cycles/{cycle.pk}/comments/",
        {"stage": "bogus", "body": "Where are we?"},
        follow=True,
    )
    body = page(response)
    assert response.status_code == 200
    assert "About “bogus”: Select a valid choice." in body
    assert ">Where are we?</textarea>" in body
    assert not Comment.objects.exists()


def test_a_long_comment_is_kept_whole_in_the_audit_and_its_notice_says_it_was_cut(
    client, cycle, manager, planners
):
    client.force_login(manager)
    body = f"@{planners[0].username} " + "The Carpathia figures are late again. " * 20
    client.post(f"/collaboration/cycles/{cycle.pk}/comments/", {"body": body})
    assert AuditEvent.objects.get(action="cycle.comment").after["body"] == body.strip()
    notice = Notification.objects.get(user=planners[0]).message
    assert notice.endswith("…") and len(notice) <= 300
