"""The KPI pages: the administrator's choice of key metrics and each KPI's CSV.

The dashboard itself is drawn on every role's home page (home.views.home)
from kpis.selectors.dashboard.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.permissions import ensure_allowed
from kpis import selectors, services
from kpis.catalogue import KPIS
from kpis.exports import tile_csv
from sop_planner.errors import DomainError


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    """Pick the company's key metrics: which appear, their order, their target thresholds."""
    ensure_allowed(request.user, "kpis.define")
    rows, errors = None, []
    if request.method == "POST":
        rows = _posted_rows(request.POST)
        try:
            services.kpi_settings_save(actor=request.user, rows=rows)
        except DomainError as error:
            messages.error(request, error.message)
            errors = error.items
        else:
            messages.success(request, "The dashboard's KPIs are saved.")
            return redirect("kpis:settings")
    return render(
        request,
        "kpis/settings.html",
        {"rows": rows or _current_rows(), "errors": errors},
    )


def _posted_rows(data) -> list[dict]:
    return [
        {
            "code": code,
            "visible": data.get(f"{code}-visible", ""),
            "position": data.get(f"{code}-position", ""),
            "threshold": data.get(f"{code}-threshold", ""),
        }
        for code in KPIS
    ]


def _current_rows() -> list[dict]:
    return [
        {"code": c.code, "visible": c.visible, "position": c.position, "threshold": c.threshold}
        for c in selectors.kpi_choices()
    ]


@login_required
def kpi_csv(request, code: str):
    """One KPI's trend as CSV: the same figures as its chart and table."""
    ensure_allowed(request.user, "kpis.view")
    tile = selectors.tile_for(code, today=date.today())
    if tile is None:
        raise Http404("There is no such KPI.")
    response = HttpResponse(tile_csv(tile), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kpi-{code}.csv"'
    return response
