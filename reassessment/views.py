"""Reassessment screens: accuracy by lag and level, FVA waterfall and ranking, decision review."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import can, ensure_allowed
from demand.pipeline_reads import stage_rows
from reassessment import selectors, services
from reassessment.decisions import decision_review, reviewed_decisions
from reassessment.filters import ignored_filters, score_filters
from reassessment.models import FvaLayer, Level, ScoreRun
from reassessment.ratios import TRACKING_SIGNAL_LIMIT
from sop_planner.spreadsheet import csv_text

ACCURACY_COLUMNS = [
    "month", "cycle_month", "label", "series", "actual_total", "forecast_total",
    "wape", "mase", "bias_pct", "tracking_signal", "hit_rate",
    "pipeline_forecast", "pipeline_wape", "pipeline_learned_wape",
]  # fmt: skip
WATERFALL_COLUMNS = ["label", "kind", "start", "end", "value_added"]
RANKING_COLUMNS = ["label", "cells", "actual_total", "fva", "contribution", "enough"]


def csv_response(rows: list[dict], columns: list[str], name: str) -> HttpResponse:
    """The rows' columns as CSV, through the app's one writer that neutralises formula cells."""
    table = ([row.get(column) for column in columns] for row in rows)
    response = HttpResponse(csv_text(columns, table), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _page_context(request, filters: dict) -> dict:
    for note in ignored_filters(request.GET):
        messages.warning(request, note)
    return {
        "filters": filters,
        "lags": range(12),
        "levels": Level.choices,
        "last_run": ScoreRun.objects.first(),
        "can_recompute": can(request.user, "reassessment.recompute"),
        "tracking_limit": TRACKING_SIGNAL_LIMIT,
    }


@login_required
def accuracy(request):
    ensure_allowed(request.user, "reassessment.view")
    filters = score_filters(request.GET)
    rows = selectors.accuracy_table(**filters)
    if request.GET.get("format") == "csv":
        return csv_response(rows, ACCURACY_COLUMNS, f"accuracy-lag{filters['lag']}")
    context = _page_context(request, filters) | {
        "rows": rows,
        "chart": _accuracy_chart(rows),
        "unscored": _unscored(filters["lag"], rows),
    }
    return render(request, "reassessment/accuracy.html", context)


def _unscored(lag: int, rows: list[dict]) -> list[dict]:
    """Planned months after the oldest one shown that have no actuals yet."""
    oldest = min((row["month"] for row in rows), default=None)
    found = selectors.unscored_months(lag=lag, today=date.today())
    return [m for m in found if oldest is None or m["month"] > oldest]


def _accuracy_chart(rows: list[dict]) -> dict:
    months = sorted({row["month"] for row in rows})
    position = {month: i for i, month in enumerate(months)}
    series: dict[str, list] = {}
    for row in rows:
        values = series.setdefault(row["label"], [None] * len(months))
        values[position[row["month"]]] = row["wape"]
    return {
        "labels": [f"{month:%Y-%m}" for month in months],
        "datasets": [{"label": label, "data": data} for label, data in series.items()],
    }


@login_required
def fva(request):
    ensure_allowed(request.user, "reassessment.view")
    filters = score_filters(request.GET)
    lag, months = filters["lag"], filters["months"]
    steps = selectors.fva_waterfall(lag=lag, months=months)
    if request.GET.get("format") == "csv":
        return csv_response(steps, WATERFALL_COLUMNS, f"fva-lag{lag}")
    minimum = settings.REASSESSMENT_MIN_CELLS
    rankings = {
        layer: selectors.fva_ranking(lag=lag, months=months, layer=layer, min_cells=minimum)
        for layer in (FvaLayer.PERSON, FvaLayer.REASON)
    }
    if request.GET.get("format") in rankings:
        rows = rankings[request.GET["format"]]
        return csv_response(rows, RANKING_COLUMNS, f"fva-{request.GET['format']}-lag{lag}")
    context = _page_context(request, filters) | {
        "steps": steps,
        "pipeline": selectors.pipeline_comparison(lag=lag, months=months),
        "stages": stage_rows(),
        "people": rankings[FvaLayer.PERSON],
        "reasons": rankings[FvaLayer.REASON],
        "minimum": minimum,
    }
    return render(request, "reassessment/fva.html", context)


DECISIONS_PER_PAGE = 100  # newest cycles first; each page reads only its own plans and actuals


@login_required
def decisions(request):
    ensure_allowed(request.user, "reassessment.view")
    page = Paginator(reviewed_decisions(), DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = _page_context(request, score_filters(request.GET)) | {
        "reviews": decision_review(page.object_list),
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "reassessment/decisions.html", context)


@login_required
@require_POST
def recompute(request):
    services.scores_recompute_request(actor=request.user)
    messages.success(request, "Scores are being recomputed; refresh the page in a moment.")
    return redirect("reassessment:accuracy")
