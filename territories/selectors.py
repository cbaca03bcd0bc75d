"""Reads of the territory hierarchy."""

from django.db.models import Count, QuerySet

from territories.models import Region, Territory


def regions_with_territories() -> QuerySet[Region]:
    return Region.objects.prefetch_related("territories__planners").annotate(
        territory_count=Count("territories")
    )


def active_territories() -> QuerySet[Territory]:
    return Territory.objects.filter(is_active=True).select_related("region")


def territories_planned_by(user) -> QuerySet[Territory]:
    return Territory.objects.filter(territoryassignment__user=user).select_related("region")
