from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q


class ProductFamily(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "product families"

    def __str__(self) -> str:
        return self.name


# The fields of a SKU that people maintain, in the order the form, the API, the upload and the
# audit record list them.
PRODUCT_FIELDS = (
    "sku",
    "name",
    "family",
    "unit_price",
    "unit_cost",
    "launch_month",
    "discontinued_month",
    "is_active",
)


class Product(models.Model):
    """A SKU. Prices are list price and standard cost per unit, in the company currency."""

    sku = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    family = models.ForeignKey(ProductFamily, on_delete=models.PROTECT, related_name="products")
    unit_price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    unit_cost = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    launch_month = models.DateField(null=True, blank=True, help_text="First month on sale.")
    discontinued_month = models.DateField(
        null=True, blank=True, help_text="First month no longer sold."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["family__name", "sku"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price__gte=0) & Q(unit_cost__gte=0),
                name="product_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(discontinued_month__isnull=True)
                | Q(launch_month__isnull=True)
                | Q(discontinued_month__gt=F("launch_month")),
                name="product_discontinued_after_launch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    @property
    def margin(self) -> Decimal:
        return self.unit_price - self.unit_cost
