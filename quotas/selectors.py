"""Reads of quotas: the years and their lines, the released consensus they are proposed
from, and the quota in force for a month (the newest locked version of its year)."""

import hashlib
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum

from cycles.measures import MeasureCode
from cycles.models import Cycle
from cycles.selectors import plan_revenue
from products.models import Product
from quotas.models import QuotaLine, QuotaYear
from supply.selectors import current_values
from territories.models import RepAssignment

MONEY: DecimalField = DecimalField(max_digits=30, decimal_places=6)


def newest_released_cycle() -> Cycle | None:
    return Cycle.objects.filter(status=Cycle.Status.RELEASED).order_by("-month").first()


def quota_source_cycle(months: list[date]) -> Cycle | None:
    """The released plan a fiscal year's quotas come from: the newest one whose horizon
    reaches the year's first month (a year already under way takes the plan that covered its
    start, not a later one that no longer plans its past months), else the newest."""
    released = Cycle.objects.filter(status=Cycle.Status.RELEASED).order_by("-month")
    for cycle in released.filter(month__lte=months[0])[:1]:
        if months[0] in cycle.horizon():
            return cycle
    return released.first()


def quota_years() -> QuerySet[QuotaYear]:
    return QuotaYear.objects.select_related("source_cycle", "created_by", "approved_by")


def quota_lines(quota_year: QuotaYear, *, territory_id: int | None = None) -> QuerySet[QuotaLine]:
    lines = quota_year.lines.select_related("rep", "territory", "family")
    return lines.filter(territory_id=territory_id) if territory_id else lines


def consensus_cells(cycle: Cycle, months: list[date]) -> dict[tuple[int, int, date], tuple]:
    """(territory, family, month) -> (units, revenue) of the plan's consensus in these months;
    revenue at the planned price where one exists, else the list price."""
    rows = (
        current_values(cycle)
        .filter(measure=MeasureCode.CONSENSUS, month__in=months)
        .values("territory_id", "product__family_id", "month")
        .annotate(units=Sum("value"), revenue=Sum(plan_revenue(cycle)))
    )
    return {
        (row["territory_id"], row["product__family_id"], row["month"]): (
            row["units"] or Decimal(0),
            row["revenue"] or Decimal(0),
        )
        for row in rows
    }


def consensus_by_territory(cycle: Cycle, months: list[date]) -> dict[int, tuple]:
    """territory -> (units, revenue) of the plan's consensus in these months, summed in the
    database (consensus_cells' figures, added up per territory).

    A released plan never changes, so its sums are kept in the cache under the cycle, its
    version, the months and the list prices its revenue is priced with (about 70 ms of the
    released sign-off page on the demo company: every figure probes for a planned price)."""
    if not cycle.is_released:
        return _consensus_by_territory(cycle, months)
    key = ":".join(
        ["quotas:consensus", str(cycle.pk), str(cycle.version_seq), _list_price_mark()]
        + [f"{month:%Y-%m}" for month in months]
    )
    return cache.get_or_set(key, lambda: _consensus_by_territory(cycle, months), timeout=3600)  # type: ignore[return-value]  # never None: it computes on a miss


def _list_price_mark() -> str:
    prices = Product.objects.order_by("pk").values_list("pk", "unit_price")
    return hashlib.blake2b(repr(list(prices)).encode(), digest_size=12).hexdigest()


def _consensus_by_territory(cycle: Cycle, months: list[date]) -> dict[int, tuple]:
    rows = (
        current_values(cycle)
        .filter(measure=MeasureCode.CONSENSUS, month__in=months)
        .values("territory_id")
        .annotate(units=Sum("value"), revenue=Sum(plan_revenue(cycle)))
    )
    return {
        row["territory_id"]: (row["units"] or Decimal(0), row["revenue"] or Decimal(0))
        for row in rows
    }


def reps_by_territory_month(months: list[date]) -> dict[tuple[int, date], list[int]]:
    """(territory, month) -> the reps assigned there on the month's first day."""
    reps: dict[tuple[int, date], list[int]] = defaultdict(list)
    for month in months:
        rows = RepAssignment.objects.on(month).filter(rep__is_active=True).order_by("rep__name")
        for territory_id, rep_id in rows.values_list("territory_id", "rep_id"):
            reps[(territory_id, month)].append(rep_id)
    return reps


def locked_quota_lines(months: list[date]) -> QuerySet[QuotaLine]:
    """The lines in force for these months: of the newest locked version of each year.

    One query whatever the number of years (the newest version is a subquery, not a read
    per year)."""
    locked = QuotaYear.objects.filter(status=QuotaYear.Status.LOCKED)
    newest = locked.filter(fiscal_year=OuterRef("fiscal_year")).order_by("-version")
    in_force = locked.filter(version=Subquery(newest.values("version")[:1])).values("pk")
    return QuotaLine.objects.filter(quota_year_id__in=in_force, month__in=months)


def quota_by_territory(months: list[date]) -> dict[int, tuple[Decimal, Decimal]]:
    """territory -> (units, revenue) of the locked quotas in these months."""
    rows = (
        locked_quota_lines(months)
        .values("territory_id")
        .annotate(units=Sum("units"), revenue=Sum("revenue"))
    )
    return {row["territory_id"]: (row["units"], row["revenue"]) for row in rows}


def quota_months(months: list[date]) -> list[date]:
    """Those of these months that have a locked quota."""
    found = set(locked_quota_lines(months).values_list("month", flat=True).distinct())
    return [month for month in months if month in found]
