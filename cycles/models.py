from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from cycles import calendar
from cycles.stages import Stage


def validate_first_of_month(value: date) -> None:
    if value.day != 1:
        raise ValidationError(f"{value} is not the first day of a month.")


class CalendarMonth(models.Model):
    """A month of the planning calendar: its holidays and notes."""

    month = models.DateField(unique=True, validators=[validate_first_of_month])
    holidays = models.JSONField(default=list, blank=True, help_text="ISO dates, e.g. 2026-12-25")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    def holiday_dates(self) -> frozenset[date]:
        return frozenset(date.fromisoformat(day) for day in self.holidays)

    def working_day_count(self) -> int:
        return len(calendar.working_days(self.month, self.holiday_dates()))

    def clean(self) -> None:
        for day in self.holidays:
            try:
                parsed = date.fromisoformat(str(day))
            except ValueError as error:
                raise ValidationError(
                    {"holidays": f"{day!r} is not a date (YYYY-MM-DD)."}
                ) from error
            if (parsed.year, parsed.month) != (self.month.year, self.month.month):
                raise ValidationError({"holidays": f"{day} is not in {self}."})


class Cycle(models.Model):
    """The S&OP cycle of one planning month M; it plans M .. M+11."""

    class Status(models.TextChoices):
        OPEN = "open"
        RELEASED = "released"

    month = models.DateField(unique=True, validators=[validate_first_of_month])
    stage = models.CharField(
        max_length=20, choices=[(s.value, s.label) for s in Stage], default=Stage.DATA_GATHERING
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    stage_due = models.JSONField(default=dict, blank=True, help_text="stage -> ISO due date")
    move_count = models.PositiveIntegerField(
        default=0, help_text="Moves so far; submissions and approvals count for one stay."
    )
    version_seq = models.PositiveIntegerField(
        default=1, help_text="The snapshot sequence plan values are written in now."
    )
    released_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="open", released_at__isnull=True)
                    | models.Q(status="released", released_at__isnull=False, stage="sign_off")
                ),
                name="released_cycle_has_release_time_and_sign_off",
            ),
            # One cycle in progress at a time (opening.py's rule), also when two people open
            # different months at the same moment and both pass the check before either saves.
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="open"),
                name="one_cycle_open_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"S&OP {self.month:%Y-%m}"

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.RELEASED

    def horizon(self) -> list[date]:
        return calendar.horizon(self.month)

    def due_date(self, stage: Stage) -> date | None:
        value = self.stage_due.get(stage.value)
        return date.fromisoformat(value) if value else None


class PlanVersion(models.Model):
    """A snapshot of a cycle's plan: the values valid at sequence `seq`. Copies nothing."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="versions")
    seq = models.PositiveIntegerField()
    stage = models.CharField(max_length=20, choices=Cycle._meta.get_field("stage").choices)
    label = models.CharField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "seq"], name="one_version_per_cycle_seq")
        ]

    def __str__(self) -> str:
        return self.label


class PlanValueQuerySet(models.QuerySet):
    """The two ways to read the plan store: as it stands now, or as it stood at a version."""

    def live(self) -> "PlanValueQuerySet":
        """The current figures (`valid_to_seq` NULL): what the working plan shows."""
        return self.filter(valid_to_seq__isnull=True)

    def as_of(self, seq: int) -> "PlanValueQuerySet":
        """The figures a version at sequence `seq` sees: valid_from_seq <= seq < valid_to_seq."""
        return self.filter(as_of_condition(seq))


def as_of_condition(seq: int) -> models.Q:
    """PlanValueQuerySet.as_of's condition, for a query that ORs several versions together."""
    return models.Q(valid_from_seq__lte=seq) & (
        models.Q(valid_to_seq__isnull=True) | models.Q(valid_to_seq__gt=seq)
    )


class PlanValue(models.Model):
    """One plan figure, valid from snapshot sequence `valid_from_seq` until `valid_to_seq`.

    `valid_to_seq` NULL means current. A version at sequence S sees the rows with
    valid_from_seq <= S < valid_to_seq, so a snapshot copies nothing. `row_version`
    counts the edits of the figure, so two people cannot overwrite each other.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="plan_values")
    measure = models.CharField(max_length=40)
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT)
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT)
    month = models.DateField()
    value = models.DecimalField(max_digits=18, decimal_places=4)
    valid_from_seq = models.PositiveIntegerField()
    valid_to_seq = models.PositiveIntegerField(null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    changed_at = models.DateTimeField(auto_now=True)

    objects = PlanValueQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "measure", "product", "territory", "month"],
                condition=models.Q(valid_to_seq__isnull=True),
                name="one_current_plan_value",
            ),
            models.UniqueConstraint(
                fields=["cycle", "measure", "product", "territory", "month", "valid_from_seq"],
                name="one_plan_value_per_seq",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to_seq__isnull=True)
                | models.Q(valid_to_seq__gt=models.F("valid_from_seq")),
                name="plan_value_valid_range",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "valid_from_seq"], name="planvalue_from_idx"),
            models.Index(fields=["cycle", "valid_to_seq"], name="planvalue_to_idx"),
            models.Index(
                fields=["cycle", "measure", "territory", "month"], name="planvalue_grid_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.product_id}/{self.territory_id} {self.month:%Y-%m}"


class StageSubmission(models.Model):
    """A planner hands in their part of a stage (a territory's demand plan, the supply plan).

    `move_no` is the cycle's move count at submission: after a send-back the
    stage is entered anew and needs new submissions.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="submissions")
    stage = models.CharField(max_length=20, choices=Cycle._meta.get_field("stage").choices)
    territory = models.ForeignKey(
        "territories.Territory", null=True, blank=True, on_delete=models.PROTECT
    )
    move_no = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "stage", "territory", "move_no"],
                name="one_submission_per_territory_and_stay",
            ),
            models.UniqueConstraint(
                fields=["cycle", "stage", "move_no"],
                condition=models.Q(territory__isnull=True),
                name="one_companywide_submission_per_stay",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} submitted for {self.territory or 'the company'}"


class GateWaiver(models.Model):
    """The cycle owner let an open gate item pass, with a written reason.

    It waives what the item is about (kind and object id, e.g. "demand_submission"
    and a territory id), so renaming the territory or rewording the item keeps it.
    `item` keeps the sentence shown when it was waived; a legacy waiver (from before
    kinds, that could not be mapped) has no kind and matches on that sentence.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="waivers")
    stage = models.CharField(max_length=20, choices=Cycle._meta.get_field("stage").choices)
    kind = models.CharField(max_length=40, blank=True, default="")
    object_id = models.CharField(max_length=200, blank=True, default="")
    item = models.TextField()
    reason = models.TextField()
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    waived_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["waived_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "stage", "item"], name="one_waiver_per_item"),
            models.UniqueConstraint(
                fields=["cycle", "stage", "kind", "object_id"],
                condition=~models.Q(kind=""),
                name="one_waiver_per_gate_object",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="waiver_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Waived: {self.item}"


class SignOffDecision(models.Model):
    """An executive's approval or rejection of the plan, in one stay in sign-off."""

    class Decision(models.TextChoices):
        APPROVE = "approve"
        REJECT = "reject"

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="decisions")
    move_no = models.PositiveIntegerField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "move_no", "decided_by"], name="one_decision_per_executive"
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="reject", comment=""),
                name="rejection_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decided_by} {self.decision}d"


class StageGuide(models.Model):
    """The guide and checklist of one stage, as the Sales Effectiveness Manager wrote them."""

    stage = models.CharField(
        max_length=20, choices=Cycle._meta.get_field("stage").choices, unique=True
    )
    text = models.TextField()
    checklist = models.JSONField(default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Guide: {Stage(self.stage).label}"
