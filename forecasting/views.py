from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.permissions import ensure_allowed, is_territory_scoped, planned_territory_ids
from forecasting import selectors


@login_required
def actuals_overview(request):
    """Monthly sales totals; a territory-scoped planner may switch to their territories."""
    ensure_allowed(request.user, "actuals.view")
    mine = request.GET.get("scope") == "mine" or (
        "scope" not in request.GET and is_territory_scoped(request.user, "actuals.upload")
    )
    territory_ids = list(planned_territory_ids(request.user)) if mine else None
    return render(
        request,
        "forecasting/actuals.html",
        {
            "summary": selectors.actuals_summary(),
            "months": selectors.monthly_totals(territory_ids=territory_ids)[-24:],
            "mine": mine,
        },
    )
