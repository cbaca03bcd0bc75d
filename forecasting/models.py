from django.conf import settings
from django.db import models
from django.utils import timezone

from products.models import Product
from territories.models import Territory


class SalesActual(models.Model):
    """Units (and revenue) sold of one SKU in one territory in one month.

    A million-row upload writes here, so besides the id the table has one index:
    the unique (territory, period, product) key, which serves the readers'
    territory and period filters; an upload inserts in that order, so the index
    grows at a few places instead of everywhere. On PostgreSQL the references to products
    and territories are checked once per statement, set-based, by triggers
    (migration 0003) instead of one foreign-key lookup per row; deleting a
    referenced product or territory is refused there as well.
    """

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
    period = models.DateField(help_text="First day of the month.")
    units = models.DecimalField(max_digits=14, decimal_places=3)
    revenue = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(  # territory first: it also serves territory/period reads
                fields=["territory", "period", "product"], name="one_actual_per_series_month"
            ),
            models.CheckConstraint(
                condition=models.Q(units__gte=0), name="actual_units_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.territory_id} {self.period:%Y-%m}: {self.units}"


class ForecastRun(models.Model):
    """One recomputation of the baseline forecast for a cycle: a row the user watches."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"
        CANCELLED = "cancelled"
        SUPERSEDED = "superseded"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.PROTECT, related_name="forecast_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    trigger = models.CharField(max_length=40, default="manual")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    history_end = models.DateField(help_text="The last month of history used.")
    config = models.JSONField(default=dict, blank=True, help_text="Engine settings of this run.")
    series_total = models.PositiveIntegerField(default=0)
    series_done = models.PositiveIntegerField(default=0)
    chunk_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    reconciliation = models.JSONField(
        default=dict,
        blank=True,
        help_text="How the forecasts were made to add up across the hierarchy: the method "
        "chosen, its reason, every method's backtest scores per level, the totals.",
    )
    baseline_loaded_at = models.DateTimeField(
        null=True, blank=True, help_text="When this run's forecast was loaded into the plan."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_forecast_run_per_cycle",
            ),
            models.CheckConstraint(
                condition=models.Q(series_done__lte=models.F("series_total")),
                name="forecast_progress_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"Forecast run {self.pk} for {self.cycle}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent_done(self) -> int:
        return round(100 * self.series_done / self.series_total) if self.series_total else 0

    @property
    def duration_seconds(self) -> float | None:
        if not self.started_at:
            return None
        end = self.finished_at or timezone.now()
        return round((end - self.started_at).total_seconds(), 1)


class ForecastChunk(models.Model):
    """A slice of a run's series, computed by one task; `done` makes progress idempotent."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    series = models.JSONField(help_text="[[product_id, territory_id], ...]")
    series_count = models.PositiveIntegerField()
    done = models.BooleanField(default=False)
    seconds = models.FloatField(null=True, blank=True)
    backtest = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per series: its chosen method's forecast from the last backtest origin, "
        '{"product:territory": {"YYYY-MM": units, ...}}, for the hierarchy backtest.',
    )

    class Meta:
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="one_chunk_number_per_run")
        ]

    def __str__(self) -> str:
        return f"Chunk {self.number} of run {self.run_id}"


class ForecastSeries(models.Model):
    """The chosen method of one series in one run, its backtest accuracy and the reason."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="series")
    chunk = models.PositiveIntegerField()
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT)
    method = models.CharField(max_length=60)
    demand_class = models.CharField(max_length=20)
    months = models.PositiveIntegerField(help_text="Months of history used.")
    mase = models.FloatField(null=True, blank=True)
    wape = models.FloatField(null=True, blank=True)
    bias = models.FloatField(null=True, blank=True)
    reason = models.TextField()
    scores = models.JSONField(default=dict, blank=True, help_text="Backtest scores per method.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "product", "territory"], name="one_result_per_run_series"
            )
        ]
        indexes = [models.Index(fields=["run", "chunk"])]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.territory_id}: {self.method}"


class ForecastValue(models.Model):
    """One month of one series' baseline forecast with its 80% and 95% intervals."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="values")
    chunk = models.PositiveIntegerField()
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT)
    month = models.DateField()
    point = models.FloatField()
    lo80 = models.FloatField()
    hi80 = models.FloatField()
    lo95 = models.FloatField()
    hi95 = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "product", "territory", "month"],
                name="one_value_per_run_series_month",
            ),
            models.CheckConstraint(condition=models.Q(point__gte=0), name="forecast_not_negative"),
        ]
        indexes = [models.Index(fields=["run", "chunk"])]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.territory_id} {self.month:%Y-%m}: {self.point:.1f}"
