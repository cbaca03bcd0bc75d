from django.conf import settings
from django.db import models
from django.utils.text import Truncator

from cycles.stages import STAGE_CHOICES


class Comment(models.Model):
    """A remark on a cycle, or on one of its stages; @name mentions notify that person."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="comments")
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="comment_not_empty")
        ]

    def __str__(self) -> str:
        return f"{self.author}: {Truncator(self.body).chars(41)}"


class ActionItem(models.Model):
    """Something one person must do for the cycle, by a date."""

    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.PROTECT, related_name="action_items"
    )
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    due_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_date", "created_at"]

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """A message for one person inside the app (also e-mailed). `key` keeps reminders to one a day."""

    class Kind(models.TextChoices):
        STAGE_OPENED = "stage_opened"
        OVERDUE = "overdue"
        MENTION = "mention"
        ACTION_ITEM = "action_item"
        RELEASED = "released"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    cycle = models.ForeignKey("cycles.Cycle", null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.CharField(max_length=300)
    key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"],
                condition=~models.Q(key=""),
                name="one_notification_per_key",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message
