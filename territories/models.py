from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from territories.periods import day_before


class Region(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Territory(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="territories")
    is_active = models.BooleanField(default=True)
    planners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="TerritoryAssignment",
        related_name="planned_territories",
        blank=True,
    )

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name_plural = "territories"

    def __str__(self) -> str:
        return self.name


class DatedQuerySet(models.QuerySet):
    """Assignments with effective dates: `valid_to` is the last day, inclusive; None: open."""

    def on(self, day: date) -> "DatedQuerySet":
        """The assignments in force on this day."""
        started = models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day)
        not_ended = models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        return self.filter(started & not_ended)

    def current(self) -> "DatedQuerySet":
        """Today's assignments: they decide a planner's scope."""
        return self.on(timezone.localdate())

    def end_today(self) -> int:
        """End today's assignments among these rows: a row that started before today ends
        yesterday and stays as history; one that had not begun yet is removed. A write:
        called by the services only (territories', and accounts' when a user is saved)."""
        today = timezone.localdate()
        current = self.current()
        ended = current.filter(valid_from__lt=today).update(valid_to=day_before(today))
        ended += current.filter(valid_from__isnull=True).update(valid_to=day_before(today))
        removed, _ = self.filter(valid_from__gte=today).delete()
        return ended + removed


def _dates_in_order(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(valid_to__isnull=True)
        | models.Q(valid_from__isnull=True)
        | models.Q(valid_to__gte=models.F("valid_from")),
        name=f"{prefix}_dates_in_order",
    )


class TerritoryAssignment(models.Model):
    """A demand planner plans this territory from `valid_from` (None: since always) to
    `valid_to` (the last day; None: until further notice). Ended rows are kept as history."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "user", "valid_from"], name="unique_planner_period_start"
            ),
            _dates_in_order("planner_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.user} plans {self.territory}"


class SalesRep(models.Model):
    """A sales rep: carries a quota for the territories assigned to them over time."""

    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sales_rep",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RepAssignment(models.Model):
    """A rep sells in this territory from `valid_from` to `valid_to` (the last day, inclusive;
    None: until further notice). A move closes one row and opens another: history stays."""

    rep = models.ForeignKey(SalesRep, on_delete=models.CASCADE, related_name="assignments")
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="rep_assignments"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["rep__name", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["rep", "valid_from"], name="one_rep_start_per_day"),
            _dates_in_order("rep_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.rep} sells in {self.territory}"
