"""Demand planning records: reason codes, overrides (with their cells), events, reopenings.

The figures themselves live in the cycles plan store (measures baseline,
events, override, consensus); these tables say who changed them, why and how.
"""

from django.conf import settings
from django.db import models


class ReasonCode(models.Model):
    """Why a planner overrode the baseline; the list is kept in the admin."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Override(models.Model):
    """One edit of the consensus at some level, spread to its leaf cells.

    Kept for forecast-value-added analysis: who changed the plan, why, by how much.
    """

    class Mode(models.TextChoices):
        SET = "set"
        ADD = "add"
        PERCENT = "percent"

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="overrides")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    reason = models.ForeignKey(ReasonCode, on_delete=models.PROTECT)
    comment = models.TextField(blank=True)
    scope = models.JSONField(help_text="The filters of the edited level, e.g. family, region.")
    scope_label = models.CharField(max_length=300)
    first_month = models.DateField()
    last_month = models.DateField()
    mode = models.CharField(max_length=10, choices=Mode.choices)
    value = models.DecimalField(max_digits=18, decimal_places=4)
    total_before = models.DecimalField(max_digits=20, decimal_places=4)
    total_after = models.DecimalField(max_digits=20, decimal_places=4)
    cell_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(
        null=True, blank=True, help_text="Undone: its cells are back as before, it counts nowhere."
    )
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.mode} {self.value} on {self.scope_label}"


class OverrideCell(models.Model):
    """A leaf cell of an override's level: its consensus and override before and after.

    The overrides are kept exactly (None: the cell had none) so an undo puts
    the cell back as it was; empty on overrides saved before undo existed.
    """

    override = models.ForeignKey(Override, on_delete=models.CASCADE, related_name="cells")
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT)
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT)
    month = models.DateField()
    before = models.DecimalField(max_digits=18, decimal_places=4)
    after = models.DecimalField(max_digits=18, decimal_places=4)
    override_before = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    override_after = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["territory", "product", "month"])]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.territory_id} {self.month:%Y-%m}"


class DemandEvent(models.Model):
    """A promotion, a launch or a phase-out: it changes the plan's events measure."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion"
        LAUNCH = "launch"
        PHASE_OUT = "phase_out"

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=120)
    family = models.ForeignKey(
        "products.ProductFamily", null=True, blank=True, on_delete=models.PROTECT
    )
    product = models.ForeignKey(
        "products.Product", null=True, blank=True, on_delete=models.PROTECT
    )
    territories = models.ManyToManyField("territories.Territory", blank=True)
    first_month = models.DateField()
    last_month = models.DateField(null=True, blank=True)
    uplift_percent = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    uplift_units = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    dip_percent = models.DecimalField(
        max_digits=8, decimal_places=2, default=0, help_text="Post-promotion dip, next month."
    )
    like_product = models.ForeignKey(
        "products.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Launch: the existing SKU whose baseline the new one follows.",
    )
    scale = models.DecimalField(max_digits=8, decimal_places=3, default=1)
    ramp = models.JSONField(default=list, blank=True, help_text="Launch: share per month, 0..1.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_month", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class SubmissionReopen(models.Model):
    """The cycle owner reopened a territory's submitted demand plan, saying why."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    reopened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reopened_at"]

    def __str__(self) -> str:
        return f"Reopened {self.territory} in {self.cycle}"


class PlanRollup(models.Model):
    """Demand figures summed per family x territory x month, for the grid's upper levels.

    The company, region and family views read these few thousand rows instead of
    summing hundreds of thousands of leaf figures on every load. Refreshed by
    demand.rollup after every demand write (baseline load, override, event).
    `stamp` is the sum of the row versions: an edit's optimistic-lock stamp.
    """

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=40)
    family = models.ForeignKey("products.ProductFamily", on_delete=models.CASCADE)
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE)
    month = models.DateField()
    units = models.DecimalField(max_digits=22, decimal_places=4)
    revenue = models.DecimalField(max_digits=24, decimal_places=4)
    stamp = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["cycle", "family", "territory"], name="rollup_idx")]

    def __str__(self) -> str:
        return f"{self.measure} {self.family_id}/{self.territory_id} {self.month:%Y-%m}"


class ReleasedPipeline(models.Model):
    """The weighted CRM pipeline as it stood when a cycle was released.

    The pipeline is computed from the deals as last synced; a later sync would change what
    the released plan is compared with (coverage on its pre-read, the pipeline's accuracy
    in reassessment). Written once, in the release's transaction, by demand.pipeline_freeze.
    A released cycle without this row was released before the CRM was connected.
    """

    cycle = models.OneToOneField(
        "cycles.Cycle", on_delete=models.CASCADE, related_name="released_pipeline"
    )
    frozen_at = models.DateTimeField(auto_now_add=True)
    deals = models.PositiveIntegerField(help_text="Open deals weighed into the cells.")
    not_placed = models.PositiveIntegerField(help_text="Open deals left out, with a reason.")

    def __str__(self) -> str:
        return f"Pipeline of {self.cycle} at release"


class ReleasedPipelineCell(models.Model):
    """One cell of a frozen pipeline: a product (None: deals without lines, revenue only, at
    the family), a territory and the month of expected close; by the CRM's likelihoods and
    by the learned ones."""

    frozen = models.ForeignKey(ReleasedPipeline, on_delete=models.CASCADE, related_name="cells")
    family = models.ForeignKey("products.ProductFamily", on_delete=models.CASCADE)
    product = models.ForeignKey("products.Product", null=True, on_delete=models.CASCADE)
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE)
    month = models.DateField()
    units = models.DecimalField(max_digits=22, decimal_places=4)
    revenue = models.DecimalField(max_digits=24, decimal_places=4)
    learned_units = models.DecimalField(max_digits=22, decimal_places=4)
    learned_revenue = models.DecimalField(max_digits=24, decimal_places=4)

    def __str__(self) -> str:
        return f"{self.product_id or self.family_id}/{self.territory_id} {self.month:%Y-%m}"


class ReleasedBooked(models.Model):
    """Revenue already booked per territory and month when the cycle was released (the
    month's actuals, else its won deals): the other half of the frozen coverage."""

    frozen = models.ForeignKey(ReleasedPipeline, on_delete=models.CASCADE, related_name="booked")
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE)
    month = models.DateField()
    revenue = models.DecimalField(max_digits=24, decimal_places=4)

    def __str__(self) -> str:
        return f"Booked {self.territory_id} {self.month:%Y-%m}"
