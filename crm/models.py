"""Deals from the sales CRM, as last synced or uploaded, mapped to the plan's territories
and products.

A deal's own fields (name, owner, stage, close date, value) are the CRM's, kept as they
arrived; the mapping (territory, products) and the value in the company currency are ours.
A deal that cannot be mapped stays here with `territory` empty and shows in the list of
unmapped deals; it does not reach the plan until it is mapped.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class CrmStage(models.Model):
    """A stage of the CRM's sales pipeline with the win likelihood the CRM gives it."""

    source = models.CharField(max_length=30)
    external_id = models.CharField(max_length=64)
    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    likelihood = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Win likelihood in percent, as the CRM states it.",
    )
    is_won = models.BooleanField(default=False)
    is_lost = models.BooleanField(default=False)

    class Meta:
        ordering = ["source", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="crm_stage_unique_per_source"
            ),
            models.CheckConstraint(
                condition=Q(likelihood__gte=0) & Q(likelihood__lte=100),
                name="crm_stage_likelihood_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.likelihood}%)"


class Deal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    source = models.CharField(max_length=30, help_text="The CRM it came from, e.g. zendesk_sell.")
    external_id = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    organization = models.CharField(max_length=255, blank=True)
    organization_region = models.CharField(max_length=100, blank=True)
    owner_name = models.CharField(max_length=200, blank=True)
    owner_email = models.EmailField(blank=True)
    stage = models.ForeignKey(CrmStage, on_delete=models.PROTECT, related_name="deals")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    likelihood = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The deal's own win likelihood in percent when the CRM sets one; "
        "else the stage's.",
    )
    expected_close = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3)
    value_company = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The value in the company currency; empty while no rate converts it.",
    )
    tags = models.JSONField(default=list, blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals",
    )
    family = models.ForeignKey(
        "products.ProductFamily",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals",
        help_text="For a deal without line items: the family its tag names.",
    )
    mapped_by = models.CharField(
        max_length=20,
        blank=True,
        help_text="How the territory was found: owner, region, rule or by hand.",
    )
    updated_upstream = models.DateTimeField(help_text="The CRM's updated_at.")
    deleted_upstream = models.BooleanField(default=False)
    synced_at = models.DateTimeField(auto_now=True)
    upload = models.ForeignKey(
        "uploads.UploadBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        help_text="The upload that brought it, when it came from an exported file.",
    )

    class Meta:
        ordering = ["expected_close", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="crm_deal_unique_per_source"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="crm_deal_value_not_negative"),
        ]
        indexes = [
            models.Index(fields=["status", "expected_close"], name="crm_deal_open_by_close"),
            models.Index(fields=["territory", "expected_close"], name="crm_deal_by_territory"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})" if self.organization else self.name

    @property
    def win_likelihood(self) -> Decimal:
        """The deal's likelihood when the CRM sets one, else its stage's (percent)."""
        return self.likelihood if self.likelihood is not None else self.stage.likelihood


class DealLine(models.Model):
    """A line item of a deal: which product, how many, at what unit price (deal currency)."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="lines")
    external_id = models.CharField(max_length=64, blank=True)
    sku = models.CharField(max_length=40, help_text="The SKU as the CRM names it.")
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["deal", "sku"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0) & Q(unit_price__gte=0),
                name="crm_deal_line_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class CurrencyRate(models.Model):
    """How many units of the company currency one unit of `currency` buys, from a month on.
    Maintained by the Sales Planning Specialist; a deal in a currency without a rate is
    refused (it stays unconverted and is listed)."""

    currency = models.CharField(max_length=3)
    valid_from = models.DateField()
    rate = models.DecimalField(
        max_digits=14, decimal_places=6, validators=[MinValueValidator(Decimal("0.000001"))]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "valid_from"], name="crm_rate_unique_per_month"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="crm_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} from {self.valid_from:%Y-%m}"


class MappingRule(models.Model):
    """Sends deals to a territory (and optionally a family) by a field of the deal: the
    owner's e-mail, the organization, its region, or a tag. Kept by the Technical
    Operations Advisor; the first matching rule wins after the owner's own territory."""

    class Field(models.TextChoices):
        OWNER = "owner", "Owner e-mail"
        ORGANIZATION = "organization", "Organization"
        REGION = "region", "Organization region"
        TAG = "tag", "Tag"

    field = models.CharField(max_length=20, choices=Field.choices)
    value = models.CharField(max_length=255)
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    family = models.ForeignKey(
        "products.ProductFamily", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["field", "value"]
        constraints = [
            models.UniqueConstraint(fields=["field", "value"], name="crm_rule_unique"),
            models.CheckConstraint(
                condition=Q(territory__isnull=False) | Q(family__isnull=False),
                name="crm_rule_maps_to_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()} = {self.value}"


class CrmConnection(models.Model):
    """The API connection to the CRM. The token is stored encrypted (or read from the
    environment) and never shown back."""

    source = models.CharField(max_length=30, unique=True)
    base_url = models.URLField()
    token_encrypted = models.TextField(blank=True)
    enabled = models.BooleanField(default=True)
    synced_until = models.DateTimeField(
        null=True, blank=True, help_text="The newest updated_at seen: the next sync starts here."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.source} at {self.base_url}"


class SyncRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    connection = models.ForeignKey(CrmConnection, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the nightly sync.",
    )
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.JSONField(
        default=list, blank=True, help_text="Records refused, each with its id and the reason."
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-queued_at"]

    def __str__(self) -> str:
        return f"Sync of {self.connection.source}, {self.get_status_display()}"
