"""Screens of forecast runs: the list (start, cancel), the run page with live progress,
and the per-series results. Thin: parse, authorize, call a service or selector, render."""

from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can, ensure_allowed
from cycles.calendar import add_months, month_index
from cycles.models import Cycle
from forecasting import runs, selectors, services
from forecasting.forms import RunStartForm
from forecasting.models import ForecastRun, ForecastSeries
from sop_planner.background import worker_silence_message
from sop_planner.editing import form_data, safe_next
from sop_planner.errors import DomainError, NotAllowed


def refusals_as_http(view):
    """A refused permission is a 403; any other refusal is shown as a message."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            messages.error(request, error.message)
            back = safe_next(
                request, request.META.get("HTTP_REFERER"), reverse("forecasting:runs")
            )
            return redirect(back)

    return wrapped


def may_cancel(user, run: ForecastRun) -> bool:
    return can(user, "forecast.cancel", run)


RUNS_LISTED = 50


@login_required
@refusals_as_http
def run_list(request):
    ensure_allowed(request.user, "forecast.view")
    runs = list(selectors.visible_runs()[:RUNS_LISTED])
    open_cycles = Cycle.objects.filter(status=Cycle.Status.OPEN)
    return render(
        request,
        "forecasting/runs.html",
        {
            "runs": [(run, run.is_active and may_cancel(request.user, run)) for run in runs],
            "run_count": selectors.visible_runs().count(),
            "startable": [c for c in open_cycles if selectors.may_start_run(request.user, c)],
        },
    )


@login_required
@require_POST
@refusals_as_http
def run_start(request):
    cycle_id = form_data(RunStartForm, request.POST)["cycle"]
    run = services.forecast_run_start(cycle_id=cycle_id, actor=request.user)
    run.refresh_from_db()  # publishing, after the commit, may have failed it
    if run.status == ForecastRun.Status.FAILED:
        messages.error(request, run.error)
    else:
        messages.success(request, f"Forecast run {run.pk} started for {run.cycle}.")
    return redirect("forecasting:run", pk=run.pk)


@login_required
@require_POST
@refusals_as_http
def run_cancel(request, pk: int):
    run = services.forecast_run_cancel(run_id=pk, actor=request.user)
    messages.success(request, f"Forecast run {run.pk} cancelled.")
    return redirect("forecasting:run", pk=run.pk)


@login_required
@refusals_as_http
def run_detail(request, pk: int):
    ensure_allowed(request.user, "forecast.view")
    run = get_object_or_404(selectors.visible_runs(), pk=pk)
    context = {
        **_progress_context(run),
        "can_cancel": run.is_active and may_cancel(request.user, run),
        "levels": runs.level_accuracy(run.reconciliation or {}),
    }
    return render(request, "forecasting/run.html", context)


@login_required
@refusals_as_http
def run_progress(request, pk: int):
    """The htmx fragment the run page polls; a finished run reloads the whole page."""
    ensure_allowed(request.user, "forecast.view")
    run = get_object_or_404(ForecastRun, pk=pk)
    context = _progress_context(run)
    response = render(request, "forecasting/_progress.html", context)
    if not (run.is_active or context["awaiting_load"]):
        response["HX-Refresh"] = "true"
    return response


def _progress_context(run: ForecastRun) -> dict:
    """The run, whether its baseline load is still to come, and whether a worker answers."""
    awaiting = selectors.awaiting_baseline_load(run)
    return {
        "run": run,
        "awaiting_load": awaiting,
        "worker_silence": worker_silence_message(waiting=run.is_active or awaiting),
    }


@login_required
@refusals_as_http
def run_results(request, pk: int):
    ensure_allowed(request.user, "forecast.view")
    run = get_object_or_404(selectors.visible_runs(), pk=pk)
    filters = {k: request.GET.get(k, "") for k in [*selectors.RESULT_FILTERS, "mase_min"]}
    filters["mase_min"] = _number_or_blank(filters["mase_min"])
    rows = selectors.series_results(run.pk, filters=filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "forecasting/results.html",
        {"run": run, "page": page, "filters": filters, "query": _query(filters)},
    )


@login_required
@refusals_as_http
def series_detail(request, pk: int, product_id: int, territory_id: int):
    """History, forecast and intervals on a chart, the candidates' scores and the reason."""
    ensure_allowed(request.user, "forecast.view")
    try:
        detail = selectors.series_detail(pk, product_id, territory_id)
    except ForecastSeries.DoesNotExist as error:
        raise Http404("This run has no such series.") from error
    return render(
        request,
        "forecasting/series.html",
        {**detail, "chart": _chart_data(detail), "run": detail["result"].run},
    )


def _chart_data(detail: dict) -> dict:
    """The chart's months run without a break: a month between the last reported actual and
    the first forecast month (a territory that has not reported yet) stays on the axis,
    empty, instead of the two lines meeting as if no month were missing."""
    history = detail["history"]
    values = detail["values"]
    unreported = _months_between(history[-1][0], values[0].month) if history and values else []
    months = [f"{m:%Y-%m}" for m, _ in history] + [f"{m:%Y-%m}" for m in unreported]
    months += [f"{v.month:%Y-%m}" for v in values]
    pad = [None] * (len(history) + len(unreported))
    return {
        "months": months,
        "unreported": [f"{m:%Y-%m}" for m in unreported],
        "actual": [float(u) for _, u in history] + [None] * (len(unreported) + len(values)),
        "point": pad + [v.point for v in values],
        "lo80": pad + [v.lo80 for v in values],
        "hi80": pad + [v.hi80 for v in values],
        "lo95": pad + [v.lo95 for v in values],
        "hi95": pad + [v.hi95 for v in values],
    }


def _months_between(last: date, first: date) -> list[date]:
    """The months after `last` and before `first`."""
    return [add_months(last, n) for n in range(1, month_index(first) - month_index(last))]


def _number_or_blank(text: str) -> str:
    try:
        return str(float(text)) if text else ""
    except ValueError:
        return ""


def _query(filters: dict) -> str:
    return "&".join(f"{k}={v}" for k, v in filters.items() if v)
