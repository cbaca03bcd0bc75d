from django.conf import settings
from django.db import models

from cycles.models import Cycle


class GapDecision(models.Model):
    """What the team decided about one gap of a cycle (identified by its key)."""

    class Decision(models.TextChoices):
        ACCEPT = "accept", "Accept"
        ADJUST_DEMAND = "adjust_demand", "Adjust demand"
        ADJUST_SUPPLY = "adjust_supply", "Adjust supply"
        ESCALATE = "escalate", "Escalate to executives"

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="gap_decisions")
    gap_key = models.CharField(max_length=120)
    gap_label = models.CharField(max_length=300)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField()
    expected_impact = models.CharField(max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["gap_key"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "gap_key"], name="one_decision_per_gap"),
            models.CheckConstraint(
                condition=~models.Q(rationale=""), name="decision_has_rationale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.gap_label}"


class Scenario(models.Model):
    """A named what-if on top of the cycle's plan: a list of changes, never a copy."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="scenarios")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="unique_scenario_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ScenarioChange(models.Model):
    """One delta: scale a measure by a percentage for a family (or all) over some months,
    or take one promotion of the cycle out of the demand."""

    class Kind(models.TextChoices):
        CAPACITY = "capacity", "Capacity"
        DEMAND = "demand", "Demand"
        PRICE = "price", "Price"
        NO_PROMO = "no_promo", "Promotion removed"

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    family = models.ForeignKey(
        "products.ProductFamily", null=True, blank=True, on_delete=models.PROTECT
    )
    month_from = models.DateField()
    month_to = models.DateField()
    percent = models.DecimalField(max_digits=7, decimal_places=2)
    event = models.ForeignKey(
        "demand.DemandEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Promotion removed: the event (gone once the scenario is promoted).",
    )
    event_name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month_to__gte=models.F("month_from")),
                name="scenario_change_months_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gt=-100), name="scenario_change_keeps_a_quantity"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.NO_PROMO:
            return f"Promotion removed: {self.event_name}"
        where = self.family or "all families"
        return f"{self.get_kind_display()} {self.percent:+}% for {where}"


class PackBuild(models.Model):
    """One build of a cycle's executive pack (PDF and XLSX) by a worker: the job people see.

    A pack built from a released plan is kept and served again: that plan never changes.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        BUILDING = "building", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="pack_builds")
    version_seq = models.PositiveIntegerField(help_text="The plan version it was built from.")
    released = models.BooleanField(default=False, help_text="Built from the released plan.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=120, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    pdf_path = models.CharField(max_length=200, blank=True)
    xlsx_path = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "version_seq"],
                condition=models.Q(released=True, status="done"),
                name="one_kept_pack_per_released_plan",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="pack_progress_is_a_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"Pack of {self.cycle} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)
