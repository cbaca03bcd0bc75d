"""Comments with @mentions, action items and notifications when stages open or run late."""

import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from accounts.roles import Role
from audit.models import AuditEvent
from collaboration import services
from collaboration.models import ActionItem, Comment, Notification
from cycles import services as cycle_services
from cycles.stages import Stage
from sop_planner.errors import DomainError, NotAllowed
from tests.collaboration.flaky_mail import FlakyBackend
from tests.fixtures.cycles import add_actuals
from tests.fixtures.waiting import wait_for


@pytest.mark.django_db
def test_a_mention_notifies_the_person_in_the_app_and_by_e_mail(
    cycle, manager, planners, django_capture_on_commit_callbacks, eager_celery
):
    planners[0].email = "nora@example.com"
    planners[0].save()
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_add(
            actor=manager,
            cycle_id=cycle.pk,
            stage=Stage.DATA_GATHERING,
            body=f"@{planners[0].username} can you chase the late upload? @nobody-here",
        )
    assert comment.stage == "data_gathering"
    note = Notification.objects.get()
    assert note.user == planners[0] and note.kind == "mention"
    assert "can you chase" in note.message
    assert mail.outbox[0].to == ["nora@example.com"]
    assert AuditEvent.objects.filter(action="cycle.comment", cycle_id=cycle.pk).exists()


@pytest.mark.django_db
def test_a_mention_in_a_comment_of_several_lines_is_mailed_with_a_one_line_subject(
    cycle, manager, planners, django_capture_on_commit_callbacks, eager_celery
):
    planners[0].email = "nora@example.com"
    planners[0].save()
    body = f"@{planners[0].username} two things:\n1. the late upload\n2. " + "x" * 200
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(actor=manager, cycle_id=cycle.pk, body=body)
    (sent,) = mail.outbox
    assert "\n" not in sent.subject and len(sent.subject) <= 100
    assert sent.subject.startswith("S&OP Planner:") and "mentioned you" in sent.subject
    shown = sent.subject.removeprefix("S&OP Planner: ").removesuffix("…")
    assert sent.subject.endswith("…") and " ".join(sent.body.split()).startswith(shown)
    assert "two things:\n1. the late upload\n2. x" in sent.body  # the body keeps its lines


@pytest.fixture
def mention_with_mail_server(cycle, manager, planners, settings, eager_celery):
    """Mention a planner (who has an e-mail address) while the mail server refuses N times."""
    settings.EMAIL_BACKEND = "tests.collaboration.flaky_mail.FlakyBackend"
    planners[0].email = "nora@example.com"
    planners[0].save()

    def mention(*, refusals: int, capture) -> Comment:
        FlakyBackend.refusals, FlakyBackend.attempts = refusals, 0
        with capture(execute=True):
            return services.comment_add(
                actor=manager, cycle_id=cycle.pk, body=f"@{planners[0].username} hi"
            )

    return mention


@pytest.mark.django_db
def test_a_mail_server_that_refuses_is_tried_again_and_the_mail_arrives(
    mention_with_mail_server, django_capture_on_commit_callbacks
):
    mention_with_mail_server(refusals=2, capture=django_capture_on_commit_callbacks)
    assert FlakyBackend.attempts == 3
    assert [message.to for message in mail.outbox] == [["nora@example.com"]]


@pytest.mark.django_db
def test_a_mail_server_that_is_away_does_not_stop_the_comment_or_its_notification(
    mention_with_mail_server, django_capture_on_commit_callbacks, planners
):
    comment = mention_with_mail_server(refusals=100, capture=django_capture_on_commit_callbacks)
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert Notification.objects.get().user == planners[0]
    assert FlakyBackend.attempts == 6  # the first try and five retries
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_empty_comment_is_refused_and_nothing_is_stored(cycle, manager):
    with pytest.raises(DomainError, match="needs some text"):
        services.comment_add(actor=manager, cycle_id=cycle.pk, body="   ")
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_everyone_may_comment_on_the_board(cycle, users_by_role, client):
    for role in Role:
        client.force_login(users_by_role[role])
        client.post(f"/collaboration/cycles/{cycle.pk}/comments/", {"body": f"hello from {role}"})
    assert Comment.objects.count() == len(Role)
    assert "hello from Executive" in client.get("/cycles/").content.decode()


@pytest.mark.django_db
def test_an_action_item_is_assigned_notified_and_closed_by_its_owner(
    cycle, manager, planners, users_by_role
):
    item = services.action_item_add(
        actor=manager,
        cycle_id=cycle.pk,
        title="Chase the Baltic upload",
        owner=planners[0],
        due_date=date(2026, 11, 4),
    )
    assert Notification.objects.get(user=planners[0]).kind == "action_item"
    with pytest.raises(NotAllowed, match="Only the person it is assigned to"):
        services.action_item_done(actor=users_by_role[Role.FINANCE], item_id=item.pk)
    assert ActionItem.objects.get().done_at is None
    assert services.action_item_done(actor=planners[0], item_id=item.pk).done_at is not None


@pytest.mark.django_db
def test_an_action_item_needs_a_title_and_an_owner(cycle, manager):
    with pytest.raises(DomainError, match="needs a title"):
        services.action_item_add(actor=manager, cycle_id=cycle.pk, title=" ", owner=manager)
    with pytest.raises(DomainError, match="needs an owner"):
        services.action_item_add(actor=manager, cycle_id=cycle.pk, title="x", owner=None)


@pytest.mark.django_db
def test_when_demand_planning_opens_every_planner_is_told(
    cycle, manager, planners, company, django_capture_on_commit_callbacks
):
    add_actuals(company, date(2026, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        cycle_services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage)
    notified = set(Notification.objects.filter(kind="stage_opened").values_list("user", flat=True))
    assert notified == {planner.pk for planner in planners}
    assert "Demand planning has started, due Tue 10 Nov" in Notification.objects.first().message


@pytest.mark.django_db
def test_the_release_is_announced_to_the_owner(
    cycle, walk, users_by_role, manager, django_capture_on_commit_callbacks
):
    cycle = walk(cycle, Stage.SIGN_OFF)
    with django_capture_on_commit_callbacks(execute=True):
        cycle_services.cycle_approve(actor=users_by_role[Role.EXECUTIVE], cycle_id=cycle.pk)
    assert Notification.objects.filter(user=manager, kind="released").exists()


@pytest.mark.django_db
def test_an_overdue_stage_reminds_who_holds_it_up_once_a_day(cycle, manager, planners):
    assert services.overdue_notify(today=date(2026, 11, 4)) == 0  # due today: not late yet
    first = services.overdue_notify(today=date(2026, 11, 5))
    # The planners of the late territories, the analyst who uploads, and the owner.
    assert first == len(planners) + 2
    assert Notification.objects.filter(user=manager, kind="overdue").count() == 1
    assert services.overdue_notify(today=date(2026, 11, 5)) == 0
    assert services.overdue_notify(today=date(2026, 11, 6)) == first


@pytest.mark.django_db
def test_the_notification_page_lists_and_marks_read(cycle, manager, planners, client):
    services.comment_add(actor=manager, cycle_id=cycle.pk, body=f"@{planners[0].username} hi")
    client.force_login(planners[0])
    assert "mentioned you" in client.get("/collaboration/notifications/").content.decode()
    client.post("/collaboration/notifications/")
    assert not Notification.objects.filter(read_at=None).exists()


class _Hook(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        self.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_server():
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Hook.received = []
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_mention_e_mail_is_delivered_by_the_worker(celery_worker, cycle, manager, planners):
    planners[0].email = "nora@example.com"
    planners[0].save()
    services.comment_add(
        actor=manager, cycle_id=cycle.pk, body=f"@{planners[0].username} numbers please"
    )
    sent = wait_for(lambda: mail.outbox, timeout=30)
    assert sent[0].to == ["nora@example.com"] and "numbers please" in sent[0].body


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_stage_move_is_posted_to_the_webhook_by_the_worker(
    celery_worker, webhook_server, settings, cycle, manager, company
):
    settings.SOP_WEBHOOK_URL = webhook_server
    add_actuals(company, date(2026, 10, 1))
    cycle_services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage)
    body = wait_for(lambda: _Hook.received, timeout=30)[0]
    assert b'"text": "S&OP 2026-11: Demand planning has started' in body
