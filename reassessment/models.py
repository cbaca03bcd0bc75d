"""Stored scores of released plans: accuracy per lag x level, and forecast value added.

Rows are replaced as a whole per target month by reassessment.scoring; nobody
edits them. `key` is the id of the region, territory or family (0 for the company).
"""

from django.conf import settings
from django.db import models


class Level(models.TextChoices):
    COMPANY = "company"
    REGION = "region"
    TERRITORY = "territory"
    FAMILY = "family"


class Forecast(models.TextChoices):
    """What was scored: the released plan, or the CRM pipeline frozen at its release."""

    PLAN = "plan", "Released plan"
    PIPELINE = "pipeline", "Weighted CRM pipeline"
    PIPELINE_LEARNED = "pipeline_learned", "Pipeline at learned likelihoods"


class AccuracyScore(models.Model):
    """How one released plan (or its frozen pipeline) did for one target month, at one
    aggregate."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="+")
    cycle_month = models.DateField()
    month = models.DateField(help_text="The target month scored.")
    lag = models.PositiveSmallIntegerField(help_text="Months between cycle month and target.")
    level = models.CharField(max_length=10, choices=Level.choices)
    key = models.PositiveIntegerField(default=0)
    forecast = models.CharField(max_length=20, choices=Forecast.choices, default=Forecast.PLAN)
    series = models.PositiveIntegerField()
    actual_total = models.FloatField()
    forecast_total = models.FloatField()
    abs_error = models.FloatField()
    wape = models.FloatField(null=True)
    mase = models.FloatField(null=True)
    bias_pct = models.FloatField(null=True)
    tracking_signal = models.FloatField(null=True)
    hit_rate = models.FloatField(null=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "lag", "level", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "month", "level", "key", "forecast"],
                name="one_score_per_plan_month_group",
            )
        ]
        indexes = [models.Index(fields=["lag", "level", "key", "month"], name="score_trend_idx")]

    def __str__(self) -> str:
        return f"{self.level} {self.key} {self.month:%Y-%m} lag {self.lag}"


class FvaLayer(models.TextChoices):
    NAIVE = "naive", "Seasonal naive"
    BASELINE = "baseline", "Statistical baseline"
    EVENTS = "events", "Baseline + events"
    FINAL = "final", "Final released plan"
    OVERRIDES = "overrides", "All overrides (overridden cells)"
    PERSON = "person", "Overrides by planner"
    REASON = "reason", "Overrides by reason code"
    PIPELINE = "pipeline", "Weighted CRM pipeline"
    PIPELINE_LEARNED = "pipeline_learned", "Pipeline at learned likelihoods"


class FvaScore(models.Model):
    """Error sums of one step of the plan, for one released plan and target month.

    Steps over all scored cells (naive, baseline, events, final) keep
    abs_error; so do the pipeline's, over the cells of plans with a pipeline frozen at
    release; override layers (all, by person, by reason) keep the error of the
    touched cells before and after, so value added sums over any months.
    """

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="+")
    cycle_month = models.DateField()
    month = models.DateField()
    lag = models.PositiveSmallIntegerField()
    layer = models.CharField(max_length=20, choices=FvaLayer.choices)
    key = models.PositiveIntegerField(default=0, help_text="User or reason code id; else 0.")
    cells = models.PositiveIntegerField()
    actual_total = models.FloatField()
    abs_error = models.FloatField()
    abs_error_before = models.FloatField(null=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "lag", "layer", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "month", "layer", "key"], name="one_fva_per_plan_month_layer"
            )
        ]
        indexes = [models.Index(fields=["lag", "month"], name="fva_lag_idx")]

    def __str__(self) -> str:
        return f"{self.layer} {self.key} {self.month:%Y-%m} lag {self.lag}"


class ScoreRun(models.Model):
    """One recomputation of the scores: who asked, which months, how long."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    months = models.JSONField(default=list)
    plans_scored = models.PositiveIntegerField(default=0)
    cells_scored = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"Scores of {', '.join(self.months) or 'no month'}"
