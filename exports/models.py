"""An export is a job the user can see: what it builds, how far it got, and the file."""

from django.conf import settings
from django.db import models


class ExportJob(models.Model):
    """One file asked for by one user, built by a worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", "waiting for a worker"
        BUILDING = "building", "being built"
        READY = "ready", "ready to download"
        FAILED = "failed", "failed"

    RUNNING = (Status.QUEUED, Status.BUILDING)

    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, help_text="What to build, e.g. cycle and version.")
    title = models.CharField(max_length=200, help_text="What the file holds, in words.")
    file_name = models.CharField(max_length=200, help_text="The name it downloads under.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When it went to a worker.")
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    stored_path = models.CharField(max_length=500, blank=True, help_text="Relative to MEDIA_ROOT.")
    size = models.BigIntegerField(default=0)
    reusable = models.BooleanField(
        default=False, help_text="Built from data that never changes (a version taken)."
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"Export #{self.pk} {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
