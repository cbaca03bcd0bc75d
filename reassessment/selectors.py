"""Read side of reassessment: score trends for the pages, the API and the KPI dashboard.

`accuracy_trend` and `fva_trend` are a contract with the KPI dashboard: keep
their names, arguments and dict keys.
"""

from datetime import date

from django.db.models import OuterRef, Q, Subquery

from reassessment.models import AccuracyScore, Forecast, FvaLayer, FvaScore, Level
from reassessment.ratios import fva_points, tracking_alarm, wape_from_totals

TREND_FIELDS = ("wape", "mase", "bias_pct", "tracking_signal", "hit_rate")


def accuracy_trend(
    *, lag: int, months: int = 12, level: str = "company", key: int | None = None
) -> list[dict]:
    """The last `months` scored target months of the plans released `lag` months before.

    Oldest first. `key` is the region, territory or family id (ignored for the
    company). Each dict: month, cycle_month, wape, mase, bias_pct,
    tracking_signal, hit_rate (float or None), series (int).
    """
    rows = _latest(_scores(lag=lag, level=level, key=key), months)
    return [_trend_row(row) for row in rows]


def _trend_row(row: AccuracyScore) -> dict:
    return {
        "month": row.month,
        "cycle_month": row.cycle_month,
        **{name: getattr(row, name) for name in TREND_FIELDS},
        "series": row.series,
    }


def latest_scores(*, lag: int, groups: list[tuple[str, int]]) -> dict[tuple[str, int], dict]:
    """(level, key) -> the newest score of each group, as accuracy_trend's rows, in one query
    whatever the number of groups (a planner's home page shows each of their regions and
    territories). The company's key is 0; a group not scored yet is left out."""
    if not groups:
        return {}
    wanted = Q()
    for level, key in groups:
        wanted |= Q(level=Level(level), key=key)
    scores = _plan_scores().filter(lag=lag)
    newest = scores.filter(level=OuterRef("level"), key=OuterRef("key")).order_by("-month")
    rows = scores.filter(wanted, month=Subquery(newest.values("month")[:1]))
    return {(row.level, row.key): _trend_row(row) for row in rows}


def _scores(*, lag: int, level: str, key: int | None):
    level = Level(level)
    if level is not Level.COMPANY and key is None:
        raise ValueError(f"A {level} trend needs the {level}'s id as key.")
    group_key = 0 if level is Level.COMPANY else key
    return _plan_scores().filter(lag=lag, level=level, key=group_key)


def _plan_scores():
    """The released plans' own scores (the frozen pipeline's are scored alongside)."""
    return AccuracyScore.objects.filter(forecast=Forecast.PLAN)


def _latest(queryset, months: int) -> list:
    return list(reversed(queryset.order_by("-month")[: max(months, 0)]))


def fva_trend(*, lag: int = 1, months: int = 12) -> list[dict]:
    """Per target month (oldest first) the WAPE of the naive, baseline and final plan.

    override_fva: WAPE points the human overrides added (WAPE of baseline +
    events minus final WAPE; positive = the overrides made the plan better).
    """
    chosen = _fva_months(lag, months)
    steps = FvaScore.objects.filter(lag=lag, month__in=chosen, key=0)
    by_month: dict[date, dict] = {month: {} for month in chosen}
    for row in steps:
        by_month[row.month][row.layer] = row
    return [_fva_point(month, layers) for month, layers in by_month.items()]


def _fva_months(lag: int, months: int) -> list[date]:
    found = (
        FvaScore.objects.filter(lag=lag, layer=FvaLayer.FINAL)
        .order_by("-month")
        .values_list("month", flat=True)
    )
    return sorted(found[: max(months, 0)])


def _fva_point(month: date, layers: dict) -> dict:
    def step(layer: str) -> float | None:
        row = layers.get(layer)
        return wape_from_totals(row.abs_error, row.actual_total) if row else None

    events, final = step(FvaLayer.EVENTS), step(FvaLayer.FINAL)
    overridden = layers.get(FvaLayer.OVERRIDES)
    return {
        "month": month,
        "naive_wape": step(FvaLayer.NAIVE),
        "baseline_wape": step(FvaLayer.BASELINE),
        "final_wape": final,
        "override_fva": None if events is None or final is None else events - final,
        "overridden_cells": overridden.cells if overridden else 0,
    }


def fva_ranking(*, lag: int, months: int, layer: str, min_cells: int) -> list[dict]:
    """Planners (layer 'person') or reason codes ('reason') by value added, best first.

    fva: WAPE points on the cells they touched (error before minus after, over
    those cells' actuals); contribution: the same saving in WAPE points of the
    whole plan at this lag. Rows under `min_cells` touched cells are kept but
    marked enough=False ("too few to judge").
    """
    chosen = _fva_months(lag, months)
    rows = FvaScore.objects.filter(lag=lag, month__in=chosen, layer=layer)
    totals = _sum_by_key(rows)
    whole = sum(
        FvaScore.objects.filter(lag=lag, month__in=chosen, layer=FvaLayer.FINAL).values_list(
            "actual_total", flat=True
        )
    )
    labels = _labels(layer, list(totals))
    ranking = [_ranked(key, sums, whole, labels, min_cells) for key, sums in totals.items()]
    return sorted(ranking, key=lambda row: (row["fva"] is None, -(row["fva"] or 0.0)))


def _sum_by_key(rows) -> dict[int, dict]:
    totals: dict[int, dict] = {}
    for row in rows:
        sums = totals.setdefault(row.key, {"cells": 0, "actual": 0.0, "before": 0.0, "after": 0.0})
        sums["cells"] += row.cells
        sums["actual"] += row.actual_total
        sums["before"] += row.abs_error_before or 0.0
        sums["after"] += row.abs_error
    return totals


def _ranked(key: int, sums: dict, whole: float, labels: dict, min_cells: int) -> dict:
    return {
        "key": key,
        "label": labels.get(key, f"#{key}"),
        "cells": sums["cells"],
        "actual_total": sums["actual"],
        "fva": fva_points(sums["before"], sums["after"], sums["actual"]),
        "contribution": fva_points(sums["before"], sums["after"], whole),
        "enough": sums["cells"] >= min_cells,
    }


def _labels(layer: str, keys: list[int]) -> dict[int, str]:
    from django.contrib.auth import get_user_model

    from demand.models import ReasonCode

    if layer == FvaLayer.REASON:
        return dict(ReasonCode.objects.filter(pk__in=keys).values_list("pk", "label"))
    users = get_user_model().objects.filter(pk__in=keys)
    return {user.pk: user.get_full_name() or user.username for user in users}


def accuracy_table(*, lag: int, level: str, months: int = 12) -> list[dict]:
    """Every aggregate of a level for the last `months` scored target months, oldest first."""
    level = Level(level)
    chosen = (
        _plan_scores()
        .filter(lag=lag, level=Level.COMPANY)
        .order_by("-month")
        .values_list("month", flat=True)[: max(months, 0)]
    )
    rows = _plan_scores().filter(lag=lag, level=level, month__in=list(chosen))
    labels = key_labels(level)
    coverage = coverage_notes(list(chosen))
    pipelines = _pipeline_scores(lag, level, list(chosen))
    return [
        {
            "month": row.month,
            "cycle_month": row.cycle_month,
            "key": row.key,
            "label": labels.get(row.key, f"#{row.key}"),
            "series": row.series,
            "actual_total": row.actual_total,
            "forecast_total": row.forecast_total,
            **{name: getattr(row, name) for name in TREND_FIELDS},
            "tracking_alarm": tracking_alarm(row.tracking_signal),
            "coverage": coverage.get(row.month, ""),
            **pipelines.get((row.month, row.key), NO_PIPELINE),
        }
        for row in rows.order_by("month", "key")
    ]


NO_PIPELINE = {"pipeline_forecast": None, "pipeline_wape": None, "pipeline_learned_wape": None}


def _pipeline_scores(lag: int, level: Level, months: list[date]) -> dict[tuple, dict]:
    """(month, key) -> the frozen pipeline's forecast and WAPE, by the CRM's likelihoods and
    by the learned ones, for the plans released with a pipeline."""
    rows = AccuracyScore.objects.filter(
        lag=lag,
        level=level,
        month__in=months,
        forecast__in=[Forecast.PIPELINE, Forecast.PIPELINE_LEARNED],
    )
    found: dict[tuple, dict] = {}
    for row in rows:
        figures = found.setdefault((row.month, row.key), dict(NO_PIPELINE))
        if row.forecast == Forecast.PIPELINE:
            figures["pipeline_forecast"], figures["pipeline_wape"] = row.forecast_total, row.wape
        else:
            figures["pipeline_learned_wape"] = row.wape
    return found


def coverage_notes(months: list[date]) -> dict[date, str]:
    """For each month not every active territory has actuals for: 'n of m territories ...'.

    A month is scored on the actuals that are in; without this the score of a
    partial month reads like one of the whole company.
    """
    from forecasting.selectors import territories_reporting
    from territories.selectors import active_territories

    if not months:
        return {}
    active = set(active_territories().values_list("pk", flat=True))
    found = territories_reporting(months)
    return {
        month: f"partial: {len(ids & active)} of {len(active)} territories have actuals"
        for month, ids in found.items()
        if len(ids & active) < len(active)
    }


def unscored_months(*, lag: int, today: date) -> list[dict]:
    """Target months of released plans at this lag, up to this month, not scored yet.

    Each dict: month, cycle_month. A month is scored once its actuals are in.
    """
    from cycles.calendar import add_months
    from cycles.models import Cycle

    scored = set(
        _plan_scores().filter(lag=lag, level=Level.COMPANY).values_list("month", flat=True)
    )
    first = min(scored) if scored else None
    released = Cycle.objects.filter(status=Cycle.Status.RELEASED).values_list("month", flat=True)
    current = today.replace(day=1)
    targets = ((add_months(month, lag), month) for month in released)
    return [
        {"month": target, "cycle_month": month}
        for target, month in sorted(targets)
        if target <= current and target not in scored and (first is None or target > first)
    ]


def key_labels(level: Level) -> dict[int, str]:
    from products.models import ProductFamily
    from territories.models import Region, Territory

    models: dict[Level, type[Region | Territory | ProductFamily]] = {
        Level.REGION: Region,
        Level.TERRITORY: Territory,
        Level.FAMILY: ProductFamily,
    }
    if level not in models:
        return {0: "Company"}
    return dict(models[level].objects.values_list("pk", "name"))


def fva_waterfall(*, lag: int, months: int = 12) -> list[dict]:
    """The plan's steps at one lag, in WAPE over the chosen months: naive to final.

    Each step: label, kind ('total' or 'change'), start and end WAPE, and
    value_added (start - end: positive = the step made the plan better).
    Overrides are shown per planner; what their cells do not explain (cells
    changed after an override, e.g. by a reload) is a last 'Other changes' step.
    """
    chosen = _fva_months(lag, months)
    if not chosen:
        return []
    totals = _layer_totals(lag, chosen)
    steps = [_total("Seasonal naive", totals[FvaLayer.NAIVE])]
    for label, layer in (("Statistical baseline", FvaLayer.BASELINE), ("Events", FvaLayer.EVENTS)):
        steps.append(_change(label, steps[-1]["end"], totals[layer]))
    for row in fva_ranking(lag=lag, months=months, layer=FvaLayer.PERSON, min_cells=0):
        end = steps[-1]["end"] - (row["contribution"] or 0.0)
        steps.append(_change(f"Overrides: {row['label']}", steps[-1]["end"], end))
    if abs(steps[-1]["end"] - totals[FvaLayer.FINAL]) > 1e-6:
        steps.append(_change("Other changes", steps[-1]["end"], totals[FvaLayer.FINAL]))
    return [*steps, _total("Final released plan", totals[FvaLayer.FINAL])]


def _layer_totals(lag: int, months: list[date]) -> dict[str, float]:
    rows = FvaScore.objects.filter(lag=lag, month__in=months, key=0)
    sums: dict[str, list[float]] = {}
    for row in rows:
        error, actual = sums.setdefault(row.layer, [0.0, 0.0])
        sums[row.layer] = [error + row.abs_error, actual + row.actual_total]
    return {
        layer: wape_from_totals(error, actual) or 0.0 for layer, (error, actual) in sums.items()
    }


def _total(label: str, wape: float) -> dict:
    return {"label": label, "kind": "total", "start": 0.0, "end": wape, "value_added": None}


def _change(label: str, start: float, end: float) -> dict:
    return {
        "label": label,
        "kind": "change",
        "start": start,
        "end": end,
        "value_added": start - end,
    }


PIPELINE_STEPS = (
    ("Statistical baseline", FvaLayer.BASELINE),
    ("Final released plan", FvaLayer.FINAL),
    ("Weighted CRM pipeline", FvaLayer.PIPELINE),
    ("Pipeline at learned likelihoods", FvaLayer.PIPELINE_LEARNED),
)


def pipeline_comparison(*, lag: int, months: int = 12) -> dict:
    """The frozen CRM pipeline against the baseline and the final plan, in WAPE over the same
    plans and months (those released with a pipeline), for the FVA page.

    Each step: label, wape. `plans`: how many (plan, month) pairs it covers; no steps when
    no scored plan had a pipeline frozen at its release.
    """
    chosen = _fva_months(lag, months)
    rows = list(FvaScore.objects.filter(lag=lag, month__in=chosen, key=0))
    pairs = {(r.cycle_id, r.month) for r in rows if r.layer == FvaLayer.PIPELINE}
    sums: dict[str, list[float]] = {}
    for row in rows:
        if (row.cycle_id, row.month) in pairs:
            error, actual = sums.get(row.layer, [0.0, 0.0])
            sums[row.layer] = [error + row.abs_error, actual + row.actual_total]
    steps = [
        {"label": label, "layer": layer, "wape": wape_from_totals(*sums[layer])}
        for label, layer in PIPELINE_STEPS
        if layer in sums
    ]
    return {"plans": len(pairs), "steps": steps if pairs else []}
