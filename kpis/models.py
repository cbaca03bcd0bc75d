from django.conf import settings
from django.db import models


class KpiSetting(models.Model):
    """The company's choice for one KPI of kpis.catalogue: shown or not, where, its target.

    No row means the catalogue's default (shown, in catalogue order, default threshold).
    """

    code = models.CharField(max_length=40, unique=True)
    visible = models.BooleanField(default=True)
    position = models.PositiveIntegerField()
    threshold = models.FloatField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} #{self.position}"
