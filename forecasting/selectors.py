"""Reads of sales history and forecast runs."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Max, Min, OuterRef, Sum

from accounts.permissions import can
from cycles.stages import BASELINE_STAGES
from forecasting import runs
from forecasting.models import ForecastRun, ForecastSeries, ForecastValue, SalesActual
from products.models import Product
from territories.models import Territory
from territories.selectors import active_territories

if TYPE_CHECKING:
    import pandas as pd


def actuals_summary() -> dict:
    return SalesActual.objects.aggregate(
        rows=Count("id"), first=Min("period"), last=Max("period"), units=Sum("units")
    )


def territories_with_actuals(period: date) -> set[int]:
    return territories_reporting([period])[period]


def territories_reporting(months: list[date]) -> dict[date, set[int]]:
    """Month -> the territories with actuals for it, in one query of one probe of the
    (territory, period, product) index per territory and month: a DISTINCT over the
    months' rows read all 445,000 actuals of a 10,000-series company (0.15-0.2 s, on
    every board, home and sign-off page)."""
    probes = {
        f"m{index}": Exists(SalesActual.objects.filter(territory_id=OuterRef("pk"), period=month))
        for index, month in enumerate(months)
    }
    rows = Territory.objects.annotate(**probes).order_by().values("pk", *probes)
    return {
        month: {row["pk"] for row in rows if row[f"m{index}"]}
        for index, month in enumerate(months)
    }


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


def series_with_actuals(*, end: date) -> list[tuple[int, int]]:
    """Every (product, territory) with any sales up to `end`: the series a run forecasts."""
    rows = (
        SalesActual.objects.filter(period__lte=end)
        .values_list("product_id", "territory_id")
        .distinct()
    )
    return sorted(rows)


def last_reported(*, series: list[tuple[int, int]], end: date) -> dict[str, pd.Timestamp]:
    """Series id -> the last month its territory reported, for the series of active
    territories that have not reported `end` yet (the data-gathering gate's open items).
    A closed territory's silence is the end of its sales, not a late report."""
    import pandas as pd

    territories = {t for _, t in series}
    late = territories - territories_with_actuals(end)
    late &= set(active_territories().filter(pk__in=late).values_list("pk", flat=True))
    if not late:
        return {}
    last = dict(
        SalesActual.objects.filter(territory_id__in=late, period__lte=end)
        .values("territory_id")
        .annotate(last=Max("period"))
        .values_list("territory_id", "last")
    )
    return {runs.series_id(p, t): pd.Timestamp(last[t]) for p, t in series if t in last}


def history_frame(*, series: list[tuple[int, int]], end: date) -> pd.DataFrame:
    """The engine's input for these series: unique_id "product:territory", ds, y."""
    import pandas as pd  # here: the gates and pages that import this module need no pandas

    products = sorted({p for p, _ in series})
    wanted = {runs.series_id(p, t) for p, t in series}
    rows = SalesActual.objects.filter(product_id__in=products, period__lte=end).values_list(
        "product_id", "territory_id", "period", "units"
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["product", "territory", "ds", "y"])
    frame["unique_id"] = frame["product"].astype(str) + ":" + frame["territory"].astype(str)
    frame = frame[frame["unique_id"].isin(wanted)]
    present = set(frame["unique_id"])
    missing = [{"unique_id": uid, "ds": end, "y": 0.0} for uid in sorted(wanted - present)]
    frame = pd.concat([frame[["unique_id", "ds", "y"]], pd.DataFrame(missing)], ignore_index=True)
    frame["y"] = frame["y"].astype(float)
    frame["ds"] = pd.to_datetime(frame["ds"])
    return frame


def visible_runs():
    return ForecastRun.objects.select_related("cycle", "started_by")


def may_start_run(user, cycle) -> bool:
    """Would forecasting.services.forecast_run_start accept this user's run on this cycle?"""
    return can(user, "forecast.run", cycle)


def active_run(cycle_id: int) -> ForecastRun | None:
    return visible_runs().filter(cycle_id=cycle_id, status__in=ForecastRun.ACTIVE).first()


def latest_done_run(cycle_id: int) -> ForecastRun | None:
    return visible_runs().filter(cycle_id=cycle_id, status=ForecastRun.Status.DONE).first()


def awaiting_baseline_load(run: ForecastRun) -> bool:
    """Done, but not yet loaded into a plan that still takes it (the load task is on its way)."""
    cycle = run.cycle
    return (
        run.status == ForecastRun.Status.DONE
        and run.baseline_loaded_at is None
        and not cycle.is_released
        and cycle.stage_enum in BASELINE_STAGES
        and latest_done_run(cycle.pk) == run
    )


RESULT_FILTERS = {
    "product": "product__sku",
    "territory": "territory__code",
    "family": "product__family__code",
    "method": "method",
    "demand_class": "demand_class",
}


def series_results(run_id: int, *, filters: dict | None = None):
    """One run's per-series results, filterable by product, territory, family, method, class."""
    rows = ForecastSeries.objects.filter(run_id=run_id).select_related(
        "product", "product__family", "territory"
    )
    filters = filters or {}
    for key, lookup in RESULT_FILTERS.items():
        if filters.get(key):
            rows = rows.filter(**{lookup: filters[key]})
    if filters.get("mase_min"):
        rows = rows.filter(mase__gte=float(filters["mase_min"]))
    return rows.order_by("product__sku", "territory__code")


def summary_rows(run_id: int) -> list[dict]:
    """What runs.summarize needs, with the series named as a planner knows it."""
    rows = ForecastSeries.objects.filter(run_id=run_id).values(
        "product_id", "territory_id", "product__sku", "territory__code", "method",
        "demand_class", "mase", "wape", "bias",
    )  # fmt: skip
    return [{**row, "series": f"{row['product__sku']} / {row['territory__code']}"} for row in rows]


def values_by_series(run_id: int, series: list[tuple[int, int]]) -> dict:
    """The monthly values of these series in a run, by (product_id, territory_id)."""
    wanted = set(series)
    rows = ForecastValue.objects.filter(
        run_id=run_id, product_id__in={p for p, _ in wanted}
    ).order_by("month")
    grouped: dict[tuple[int, int], list[ForecastValue]] = {}
    for value in rows:
        key = (value.product_id, value.territory_id)
        if key in wanted:
            grouped.setdefault(key, []).append(value)
    return grouped


def series_detail(run_id: int, product_id: int, territory_id: int) -> dict:
    """One series of a run: its result, its forecast and the last 36 months of history."""
    result = ForecastSeries.objects.select_related("product", "territory", "run").get(
        run_id=run_id, product_id=product_id, territory_id=territory_id
    )
    values = values_by_series(run_id, [(product_id, territory_id)]).get(
        (product_id, territory_id), []
    )
    history = (
        SalesActual.objects.filter(
            product_id=product_id, territory_id=territory_id, period__lte=result.run.history_end
        )
        .order_by("-period")
        .values_list("period", "units")[:36]
    )
    return {"result": result, "values": values, "history": sorted(history)}


def discontinued(*, series: list[tuple[int, int]]) -> dict[str, date]:
    """Series of products the master data marks discontinued, and the month they stop."""
    products = dict(
        Product.objects.filter(
            pk__in={p for p, _ in series}, discontinued_month__isnull=False
        ).values_list("pk", "discontinued_month")
    )
    return {runs.series_id(p, t): products[p] for p, t in series if p in products}  # type: ignore[misc]  # discontinued_month__isnull=False


def run_values_frame(run_id: int) -> pd.DataFrame:
    """Every stored forecast month of a run, with its series id (for reconciliation)."""
    import pandas as pd

    fields = [
        "chunk",
        "product_id",
        "territory_id",
        "month",
        "point",
        "lo80",
        "hi80",
        "lo95",
        "hi95",
    ]
    rows = ForecastValue.objects.filter(run_id=run_id).values_list(*fields)
    frame = pd.DataFrame.from_records(list(rows), columns=fields)
    frame["unique_id"] = frame["product_id"].astype(str) + ":" + frame["territory_id"].astype(str)
    frame["ds"] = pd.to_datetime(frame["month"])
    return frame


def run_backtests_frame(run_id: int) -> pd.DataFrame:
    """The chunks' last-origin backtest forecasts: unique_id, ds, forecast."""
    import pandas as pd

    from forecasting.models import ForecastChunk

    rows = [
        (uid, month, value)
        for backtest in ForecastChunk.objects.filter(run_id=run_id).values_list(
            "backtest", flat=True
        )
        for uid, months in (backtest or {}).items()
        for month, value in months.items()
    ]
    frame = pd.DataFrame(rows, columns=["unique_id", "ds", "forecast"])
    frame["ds"] = pd.to_datetime(frame["ds"], format="%Y-%m")
    return frame


def family_region_of(series: list[tuple[int, int]]) -> dict[str, str]:
    """Series id -> "family / region", the level planners read the plan at."""
    from territories.models import Territory

    families = dict(
        Product.objects.filter(pk__in={p for p, _ in series}).values_list("pk", "family__name")
    )
    regions = dict(
        Territory.objects.filter(pk__in={t for _, t in series}).values_list("pk", "region__name")
    )
    return {runs.series_id(p, t): f"{families[p]} / {regions[t]}" for p, t in series}
