"""Reads of sales history."""

from datetime import date

from django.db.models import Count, Max, Min, Sum

from forecasting.models import SalesActual


def actuals_summary() -> dict:
    return SalesActual.objects.aggregate(
        rows=Count("id"), first=Min("period"), last=Max("period"), units=Sum("units")
    )


def territories_with_actuals(period: date) -> set[int]:
    return set(
        SalesActual.objects.filter(period=period).values_list("territory_id", flat=True).distinct()
    )


def monthly_totals(*, territory_ids: list[int] | None = None) -> list[dict]:
    """Units and revenue per month, summed in the database."""
    rows = SalesActual.objects.all()
    if territory_ids is not None:
        rows = rows.filter(territory_id__in=territory_ids)
    return list(
        rows.values("period")
        .annotate(units=Sum("units"), revenue=Sum("revenue"))
        .order_by("period")
    )
