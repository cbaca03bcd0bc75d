"""Quota pages: the years, one year's lines (edited in place while a draft), approval,
a new version, the CSV, and decisions on quota gaps from the reconciliation page."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can, ensure_allowed
from cycles.models import Cycle
from cycles.plan_services import plain
from quotas import attainment, exports, selectors, services
from quotas.forms import ProposeForm, QuotaGapDecisionForm
from quotas.models import QuotaYear
from sop_planner.errors import DomainError
from territories.models import Territory

FIELD = re.compile(r"^(units|revenue)-(\d+)$")


@login_required
def quota_list(request):
    ensure_allowed(request.user, "quotas.view")
    return render(
        request,
        "quotas/list.html",
        {
            "years": selectors.quota_years(),
            "source": selectors.newest_released_cycle(),
            "form": ProposeForm(),
            "can_edit": can(request.user, "quotas.edit"),
        },
    )


@login_required
@require_POST
def quota_propose(request):
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was proposed: " + _errors(form))
        return redirect("quotas:list")
    try:
        quota_year = services.quota_propose(
            actor=request.user,
            fiscal_year=form.cleaned_data["fiscal_year"],
            stretch=form.cleaned_data["stretch"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("quotas:list")
    messages.success(request, f"{quota_year} proposed from {quota_year.source_cycle}.")
    return redirect("quotas:detail", quota_year.pk)


def _errors(form) -> str:
    return "; ".join(
        f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
    )


@login_required
def quota_detail(request, pk: int, typed: dict | None = None, status: int = 200):
    ensure_allowed(request.user, "quotas.view")
    quota_year = get_object_or_404(selectors.quota_years(), pk=pk)
    territory_id = _territory_filter(request)
    lines = list(selectors.quota_lines(quota_year, territory_id=territory_id))
    for line in lines:  # a refused save shows the figures as the user typed them
        typed_here = (typed or {}).get(line.pk, {})
        line.shown_units = typed_here.get("units", plain(line.units))
        line.shown_revenue = typed_here.get("revenue", plain(line.revenue))
    return render(
        request,
        "quotas/detail.html",
        {
            "quota_year": quota_year,
            "lines": lines,
            "territories": Territory.objects.filter(quotaline__quota_year=quota_year).distinct(),
            "territory_id": territory_id,
            "can_edit": not quota_year.is_locked and can(request.user, "quotas.edit"),
            "can_approve": not quota_year.is_locked and can(request.user, "quotas.approve"),
            "can_new_version": quota_year.is_locked and can(request.user, "quotas.edit"),
        },
        status=status,
    )


def _territory_filter(request) -> int | None:
    value = request.GET.get("territory", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def quota_lines_save(request, pk: int):
    """Save the figures of the lines on the page; only those that changed are written."""
    changes: dict[int, dict[str, str]] = {}
    for name, value in request.POST.items():
        match = FIELD.match(name)
        if match:
            changes.setdefault(int(match[2]), {})[match[1]] = value
    try:
        changed = services.quota_lines_set(actor=request.user, quota_year_id=pk, changes=changes)
    except DomainError as error:
        messages.error(request, error.message)
        return quota_detail(request, pk, typed=changes, status=400)
    messages.success(request, f"{changed} figure(s) changed." if changed else "Nothing changed.")
    query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
    return redirect(reverse("quotas:detail", args=[pk]) + query)


@login_required
@require_POST
def quota_approve(request, pk: int):
    try:
        quota_year = services.quota_approve(actor=request.user, quota_year_id=pk)
        messages.success(request, f"{quota_year} approved and locked.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("quotas:detail", pk)


@login_required
@require_POST
def quota_new_version(request, pk: int):
    try:
        draft = services.quota_new_version(actor=request.user, quota_year_id=pk)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("quotas:detail", pk)
    messages.success(request, f"{draft} drafted: change it, then approve it.")
    return redirect("quotas:detail", draft.pk)


@login_required
def quota_csv(request, pk: int):
    ensure_allowed(request.user, "quotas.view")
    quota_year = get_object_or_404(QuotaYear, pk=pk)
    return exports.quota_csv_response(quota_year)


@login_required
@require_POST
def quota_gap_decide(request, cycle_id: int, territory_id: int):
    get_object_or_404(Cycle, pk=cycle_id)
    form = QuotaGapDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was decided: " + _errors(form))
    else:
        try:
            services.quota_gap_decide(
                actor=request.user,
                cycle_id=cycle_id,
                territory_id=territory_id,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, "Decision recorded.")
        except DomainError as error:
            messages.error(request, error.message)
    return redirect(reverse("reconciliation:cycle", args=[cycle_id]) + "#quota-vs-plan")


ATTAINMENT_COLUMNS = [
    "level", "name", "month", "quota_revenue", "actual_revenue", "attainment_pct",
    "ytd_quota_revenue", "ytd_actual_revenue", "ytd_attainment_pct", "crm_won_revenue",
]  # fmt: skip


@login_required
def attainment_view(request):
    """Actuals (and CRM closed-won) against the locked quotas, per rep and territory."""
    ensure_allowed(request.user, "reassessment.view")
    rows = attainment.attainment_rows()
    if request.GET.get("format") == "csv":
        return exports.attainment_csv_response(rows, ATTAINMENT_COLUMNS)
    level = request.GET.get("level", "territory")
    return render(
        request,
        "quotas/attainment.html",
        {
            "rows": [row for row in rows if row.level == level],
            "level": level,
            "has_crm": any(row.crm_won_revenue is not None for row in rows),
            "can_recompute": False,
        },
    )
