"""A proposal carried from the last released cycle into a new one, and its figures.

A proposal is one input of one family (supply inputs, budget) or one promotion
or launch. Its figures are not the cycle's inputs until the input's owner
confirms it: confirming writes them into the plan store where the owner has
not entered a figure of their own.
"""

from django.conf import settings
from django.db import models


class Proposal(models.Model):
    class Kind(models.TextChoices):
        SUPPLY = "supply", "Supply inputs"
        BUDGET = "budget", "Budget"
        EVENT = "event", "Promotions and launches"

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="proposals")
    source = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    family = models.ForeignKey(
        "products.ProductFamily", null=True, blank=True, on_delete=models.PROTECT
    )
    event = models.ForeignKey(
        "demand.DemandEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "family__name", "event__first_month", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind", "family"],
                condition=models.Q(event__isnull=True),
                name="one_proposal_per_family_and_kind",
            ),
            models.UniqueConstraint(
                fields=["cycle", "event"],
                condition=models.Q(event__isnull=False),
                name="one_proposal_per_event",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_at__isnull=True, confirmed_by__isnull=True)
                | models.Q(confirmed_at__isnull=False),
                name="confirmed_proposal_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        what = self.event or self.family or ""
        return f"{self.get_kind_display()} {what} proposed from {self.source}".strip()

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class ProposedFigure(models.Model):
    """One figure of a proposal: where it goes in the plan store and its value."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="figures")
    measure = models.CharField(max_length=40)
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT)
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT)
    month = models.DateField()
    value = models.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "measure", "product", "territory", "month"],
                name="one_proposed_figure_per_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.product_id}/{self.territory_id} {self.month:%Y-%m}"
