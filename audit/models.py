from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change: who, when, what object, before, after and why. Never updated."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.TextField(blank=True, help_text="The object in words, whole.")
    cycle_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    territory_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    product_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # the trail's order: the History page and the API page by this key
            models.Index(fields=["created_at", "id"], name="audit_created_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
