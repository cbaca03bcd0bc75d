from django.conf import settings
from django.db import models


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


class TerritoryAssignment(models.Model):
    """A demand planner plans this territory."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "user"], name="unique_planner_per_territory"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} plans {self.territory}"
