"""Reads of collaboration: what the board and the notification page show."""

from django.db.models import QuerySet

from collaboration.models import ActionItem, Comment, Notification


def cycle_comments(cycle) -> QuerySet[Comment]:
    return Comment.objects.filter(cycle=cycle).select_related("author")


def cycle_action_items(cycle) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(cycle=cycle).select_related("owner")


def user_notifications(user, limit: int = 100) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("cycle")[:limit]


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()
