from django.conf import settings
from django.db import models


class QuotaYear(models.Model):
    """One version of a fiscal year's quotas: a draft until approved, then locked for good.

    To change a locked year, a new version is drafted from it; the newest locked
    version is the year's quota.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LOCKED = "locked", "Approved and locked"

    fiscal_year = models.PositiveIntegerField()
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    stretch = models.DecimalField(max_digits=8, decimal_places=4)
    source_cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.PROTECT, related_name="+", help_text="Proposed from."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-fiscal_year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "version"], name="one_quota_version"),
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=models.Q(status="draft"),
                name="one_quota_draft_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft", approved_at__isnull=True)
                | models.Q(status="locked", approved_at__isnull=False),
                name="locked_quota_has_approval_time",
            ),
            models.CheckConstraint(
                condition=models.Q(stretch__gt=0), name="quota_stretch_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Quotas FY{self.fiscal_year} v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED


class QuotaLine(models.Model):
    """The quota of one rep (none: nobody sells there that month) for one territory, product
    family and month, in units and revenue (company currency)."""

    quota_year = models.ForeignKey(QuotaYear, on_delete=models.CASCADE, related_name="lines")
    rep = models.ForeignKey(
        "territories.SalesRep", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT)
    family = models.ForeignKey("products.ProductFamily", on_delete=models.PROTECT)
    month = models.DateField()
    units = models.DecimalField(max_digits=18, decimal_places=4)
    revenue = models.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["territory__name", "family__name", "month", "rep__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["quota_year", "rep", "territory", "family", "month"],
                name="one_quota_line_per_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(units__gte=0, revenue__gte=0), name="quota_not_negative"
            ),
        ]

    def __str__(self) -> str:
        who = self.rep or "unassigned"
        return f"{who}, {self.territory}, {self.family} {self.month:%Y-%m}"


class QuotaGapDecision(models.Model):
    """What the team decided about one territory whose plan is off its quota in a cycle."""

    class Decision(models.TextChoices):
        ACCEPT_PLAN = "accept_plan", "Accept the plan"
        ADJUST = "adjust", "Adjust (plan or quota)"
        ESCALATE = "escalate", "Escalate to executives"

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "territory"], name="one_quota_decision_per_territory"
            ),
            models.CheckConstraint(
                condition=~models.Q(comment=""), name="quota_decision_has_comment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: quota vs plan in {self.territory}"
