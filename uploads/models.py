"""An upload is a batch the user can see: its file, progress, counts, rejections and changes."""

from django.conf import settings
from django.db import models


class UploadBatch(models.Model):
    """One uploaded file, from preview to commit (and maybe revert)."""

    class Status(models.TextChoices):
        NEEDS_MAPPING = "needs_mapping", "needs column mapping"
        QUEUED = "queued", "waiting to be validated"
        VALIDATING = "validating", "validating"
        PREVIEWED = "previewed", "ready to commit"
        COMMIT_QUEUED = "commit_queued", "waiting to be written"
        COMMITTED = "committed", "committed"
        REVERT_QUEUED = "revert_queued", "waiting to be reverted"
        REVERTED = "reverted", "reverted"
        FAILED = "failed", "refused"

    RUNNING = (Status.QUEUED, Status.VALIDATING, Status.COMMIT_QUEUED, Status.REVERT_QUEUED)

    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    file_name = models.TextField(help_text="As the user's file was named, whole.")
    stored_path = models.CharField(max_length=500, help_text="Relative to MEDIA_ROOT.")
    checksum = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the file.")
    size = models.BigIntegerField()
    sheet = models.CharField(max_length=100, blank=True)
    convention = models.CharField(
        max_length=20,
        blank=True,
        choices=[("decimal_point", "decimal point"), ("decimal_comma", "decimal comma")],
        help_text="How the file writes numbers, chosen by the user; blank: from its separator.",
    )
    mapping = models.JSONField(default=dict, blank=True, help_text="File column -> field.")
    background = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When it last went to a worker (validate or write)."
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    partial = models.BooleanField(default=False, help_text="Committed leaving rejected rows out.")
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverted_at = models.DateTimeField(null=True, blank=True)
    revert_reason = models.TextField(
        blank=True, help_text="Why the user asked to revert, recorded when the worker reverts."
    )
    rows_read = models.PositiveIntegerField(default=0)
    rows_validated = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0, help_text="Rejected rows.")
    periods = models.JSONField(default=list, blank=True, help_text="YYYY-MM covered.")
    territories = models.JSONField(default=list, blank=True, help_text="Territory ids covered.")
    headers = models.JSONField(
        default=list, blank=True, help_text="The file's column names, as the worker read them."
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [  # the uploads' order: their page and the API page by this key
            models.Index(fields=["created_at", "id"], name="upload_created_id_idx")
        ]

    def __str__(self) -> str:
        return f"Upload #{self.pk} {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def changes_nothing(self) -> bool:
        return self.status == self.Status.PREVIEWED and not (self.new_count or self.changed_count)


class UploadRow(models.Model):
    """A valid row that would change an actual: new values, and the values it replaces.

    Staged at preview, written at commit, undone at revert. Product and
    territory are plain ids (no foreign key) so a million rows stage fast.
    """

    pk = models.CompositePrimaryKey("batch_id", "row_number")
    batch = models.ForeignKey(
        UploadBatch, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )  # the primary key (batch, row_number) is the index
    row_number = models.PositiveIntegerField()
    product_id = models.BigIntegerField()
    territory_id = models.BigIntegerField()
    period = models.DateField()
    new_units = models.DecimalField(max_digits=14, decimal_places=3)
    new_revenue = models.DecimalField(max_digits=16, decimal_places=2)
    old_units = models.DecimalField(max_digits=14, decimal_places=3, null=True)
    old_revenue = models.DecimalField(max_digits=16, decimal_places=2, null=True)

    def __str__(self) -> str:
        return f"upload {self.batch_id} row {self.row_number}"


class UploadRejection(models.Model):
    """One problem with one row of a file: where, what value, and why."""

    batch = models.ForeignKey(UploadBatch, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveIntegerField()
    column = models.CharField(max_length=50)
    value = models.TextField(blank=True, help_text="The cell as read, whole.")
    reason = models.TextField()
    cells = models.JSONField(
        default=dict, help_text="The whole row as read, to fix and re-upload."
    )

    class Meta:
        ordering = ["row_number", "id"]

    def __str__(self) -> str:
        return f"row {self.row_number} {self.column}: {self.reason}"


class UploadChange(models.Model):
    """A row a batch checked row by row creates or changes, with its values before and after.

    A row the file leaves as it is is kept too (`unchanged`): the commit checks that it
    still holds what the preview compared against, and writes nothing for it.
    """

    batch = models.ForeignKey(UploadBatch, on_delete=models.CASCADE, related_name="changes")
    row_number = models.PositiveIntegerField()
    key = models.TextField(
        help_text="The row in the file's words: a SKU, a code, family / territory / month."
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField()
    unchanged = models.BooleanField(
        default=False, help_text="The file gives what was stored at preview: nothing to write."
    )

    class Meta:
        ordering = ["row_number"]

    def __str__(self) -> str:
        return f"row {self.row_number} {self.key}"


class ColumnMapping(models.Model):
    """A saved way to read a differently named export, e.g. "Zendesk Sell export"."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20)
    columns = models.JSONField(help_text="File column name -> field.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
