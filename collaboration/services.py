"""Writes of collaboration: comments, action items and the notifications they cause.

A notification is a row the person sees in the app, and an e-mail sent by a
Celery worker after the transaction commits (console backend by default), so
a slow or failing mail server neither holds up the page nor loses the mail. Stage moves and releases
may also go to a Slack-compatible webhook (settings.SOP_WEBHOOK_URL).
"""

from datetime import date
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.models import AuditEvent
from audit.services import audit_record
from collaboration.mail import subject_line
from collaboration.mentions import mentioned_usernames
from collaboration.models import ActionItem, Comment, Notification
from cycles import gates
from cycles.models import Cycle
from cycles.stages import Stage
from sop_planner.errors import DomainError, Missing

MOVE_ACTIONS = ("cycle.advance", "cycle.send_back", "cycle.reject")


def preview(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, with … where it was cut (never cut silently)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def notify(users, *, cycle: Cycle | None, kind: str, message: str, key: str = "") -> int:
    """Tell each person once (per key, when given); e-mail them (by a worker) after commit."""
    rows = [
        Notification(user=user, cycle=cycle, kind=kind, message=preview(message, 300), key=key)
        for user in {user.pk: user for user in users}.values()
    ]
    if key:
        known = set(
            Notification.objects.filter(kind=kind, key=key).values_list("user_id", flat=True)
        )
        rows = [row for row in rows if row.user_id not in known]
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    emails = [row.user.email for row in rows if row.user.email]
    if emails:
        transaction.on_commit(partial(_email_later, message, emails), robust=True)
    return len(rows)


def _email_later(message: str, recipients: list[str]) -> None:
    from collaboration.tasks import email_send_task

    email_send_task.delay(subject_line(message), message, recipients)


def _webhook(text: str) -> None:
    if settings.SOP_WEBHOOK_URL:
        from collaboration.tasks import webhook_post_task

        transaction.on_commit(
            partial(webhook_post_task.delay, settings.SOP_WEBHOOK_URL, {"text": text})
        )


def _active_cycle(cycle_id: int) -> Cycle:
    cycle = Cycle.objects.select_related("owner").filter(pk=cycle_id).first()
    if cycle is None:
        raise Missing(f"There is no cycle with id {cycle_id}.")
    return cycle


@transaction.atomic
def comment_add(*, actor: User, cycle_id: int, body: str, stage: Stage | str = "") -> Comment:
    """Comment on a cycle (or one of its stages); everyone @mentioned is notified."""
    ensure_allowed(actor, "cycle.comment")
    cycle = _active_cycle(cycle_id)
    if not body.strip():
        raise DomainError("A comment needs some text.")
    if stage and stage not in {s.value for s in Stage}:
        raise DomainError(f"“{stage}” is not a stage of the cycle.")
    stage_value = Stage(stage).value if stage else ""
    comment = Comment.objects.create(
        cycle=cycle, stage=stage_value, author=actor, body=body.strip()
    )
    audit_record(
        actor=actor,
        action="cycle.comment",
        obj=comment,
        after={"stage": stage_value, "body": comment.body},
        cycle_id=cycle.pk,
    )
    names = mentioned_usernames(comment.body)
    mentioned = get_user_model().objects.filter(username__in=names, is_active=True)
    who = gates.display_name(actor)
    notify(
        [user for user in mentioned if user.pk != actor.pk],
        cycle=cycle,
        kind=Notification.Kind.MENTION,
        message=f"{who} mentioned you on {cycle}: {preview(comment.body, 200)}",
    )
    return comment


@transaction.atomic
def action_item_add(
    *, actor: User, cycle_id: int, title: str, owner, due_date: date | None = None
) -> ActionItem:
    """Give someone a task for the cycle; they are notified."""
    ensure_allowed(actor, "cycle.comment")
    cycle = _active_cycle(cycle_id)
    if not title.strip():
        raise DomainError("An action item needs a title.")
    if owner is None or not owner.is_active:
        raise DomainError("An action item needs an owner: choose an active user.")
    limit = ActionItem._meta.get_field("title").max_length
    if len(title.strip()) > limit:  # type: ignore[operator]  # a CharField: its max_length is set
        raise DomainError(
            f"An action item's title is at most {limit} characters (this one has "
            f"{len(title.strip())}); put the details in a comment."
        )
    item = ActionItem.objects.create(
        cycle=cycle, title=title.strip(), owner=owner, due_date=due_date, created_by=actor
    )
    audit_record(
        actor=actor,
        action="action_item.add",
        obj=item,
        after={"title": item.title, "owner": owner.get_username(), "due": str(due_date or "")},
        cycle_id=cycle.pk,
    )
    due = f" by {due_date:%Y-%m-%d}" if due_date else ""
    notify(
        [owner],
        cycle=cycle,
        kind=Notification.Kind.ACTION_ITEM,
        message=f"{gates.display_name(actor)} asks you{due}: {item.title}",
    )
    return item


@transaction.atomic
def action_item_done(*, actor: User, item_id: int) -> ActionItem:
    """The item's owner (or the cycle owner) marks it done."""
    item = (
        ActionItem.objects.select_for_update().select_related("cycle").filter(pk=item_id).first()
    )
    if item is None:
        raise Missing(f"There is no action item {item_id}.")
    ensure_allowed(actor, "action_item.close", item)
    if item.done_at is None:
        item.done_at = timezone.now()
        item.save(update_fields=["done_at"])
        audit_record(actor=actor, action="action_item.done", obj=item, cycle_id=item.cycle_id)
    return item


def notifications_mark_read(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at=None).update(read_at=timezone.now())


def cycle_moved_notify(*, cycle_id: int, actor_id: int | None) -> None:
    """After a stage move: tell who must act in the new stage (or that the plan is released)."""
    cycle = Cycle.objects.select_related("owner").get(pk=cycle_id)
    with transaction.atomic():
        if cycle.is_released:
            text = f"{cycle} is released: the plan is approved and locked."
            people = [
                cycle.owner,
                *get_user_model().objects.filter(username__in=gates.required_approvers()),
            ]
            notify(people, cycle=cycle, kind=Notification.Kind.RELEASED, message=text)
        else:
            stage = cycle.stage_enum
            due = cycle.due_date(stage)
            why = _why_back(cycle)
            text = f"{cycle}: {why}{stage.label} has started" + (
                f", due {due:%a %d %b}." if due else "."
            )
            people = list(gates.users_to_act(cycle))
            if why and cycle.owner not in people:
                people.append(cycle.owner)
            notify(
                people,
                cycle=cycle,
                kind=Notification.Kind.STAGE_OPENED,
                message=text + " You have something to do.",
                key=f"opened:{cycle.pk}:{cycle.move_count}",
            )
        _webhook(text)


def _why_back(cycle: Cycle) -> str:
    """'Ann Exec rejected the plan: “…”. ' when the move just made sent the cycle back."""
    move = (
        AuditEvent.objects.filter(cycle_id=cycle.pk, action__in=MOVE_ACTIONS)
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    if move is None or move.action == "cycle.advance":
        return ""
    who = gates.display_name(move.actor) if move.actor else "The system"
    what = "rejected the plan" if move.action == "cycle.reject" else "sent the cycle back"
    return f"{who} {what}: “{preview(move.reason, 300)}”. "


@transaction.atomic
def overdue_notify(*, today: date) -> int:
    """Daily: remind whoever holds up a stage past its due date (once a day each)."""
    sent = 0
    for cycle in Cycle.objects.filter(status=Cycle.Status.OPEN).select_related("owner"):
        stage = cycle.stage_enum
        due = cycle.due_date(stage)
        if due is None or due >= today:
            continue
        people = [*gates.users_to_act(cycle), cycle.owner]
        sent += notify(
            people,
            cycle=cycle,
            kind=Notification.Kind.OVERDUE,
            message=f"{cycle}: {stage.label} was due {due:%a %d %b} and is still open.",
            key=f"overdue:{cycle.pk}:{stage.value}:{today.isoformat()}",
        )
    return sent
