from django.db import models

from products.models import Product
from territories.models import Territory


class SalesActual(models.Model):
    """Units (and revenue) sold of one SKU in one territory in one month."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT)
    period = models.DateField(help_text="First day of the month.")
    units = models.DecimalField(max_digits=14, decimal_places=3)
    revenue = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "territory", "period"], name="one_actual_per_series_month"
            ),
            models.CheckConstraint(
                condition=models.Q(units__gte=0), name="actual_units_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["territory", "period"])]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.territory_id} {self.period:%Y-%m}: {self.units}"
