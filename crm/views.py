"""The CRM page: parse, authorize, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can, ensure_allowed
from crm import selectors, services
from crm.forms import ConnectionForm, DealMapForm, RateForm
from crm.models import SyncRun
from crm.tokens import token_from_environment


@login_required
def crm_page(request, **forms):
    ensure_allowed(request.user, "crm.view")
    connection = selectors.connection()
    initial = (
        {"base_url": connection.base_url, "enabled": connection.enabled} if connection else {}
    )
    context = {
        "connection": connection,
        "token_stored": bool(connection and connection.token_encrypted),
        "token_from_environment": token_from_environment(),
        "connection_form": forms.get("connection_form") or ConnectionForm(initial=initial),
        "rate_form": forms.get("rate_form") or RateForm(),
        "map_form": DealMapForm(auto_id=False),
        "map_errors": forms.get("map_errors", {}),
        "runs": selectors.sync_runs(limit=10),
        "unmapped": selectors.unmapped_deals()[:200],
        "missing_rates": selectors.missing_rates(),
        "rates": selectors.rates(),
        "rules": selectors.rules(),
        "may": {a: can(request.user, f"crm.{a}") for a in ("connect", "sync", "map", "rates")},
    }
    return render(request, "crm/page.html", context)


@login_required
@require_POST
def connection_save(request):
    ensure_allowed(request.user, "crm.connect")
    form = ConnectionForm(request.POST)
    if not form.is_valid():
        return crm_page(request, connection_form=form)
    services.connection_save(actor=request.user, **form.cleaned_data)
    messages.success(request, "Connection saved; a token is stored.")
    return redirect("crm:page")


@login_required
@require_POST
def sync_now(request):
    run = services.sync_request(actor=request.user)
    messages.success(request, "Sync queued: its progress shows below.")
    return redirect(reverse("crm:page") + f"#run-{run.pk}")


@login_required
def run_progress(request, pk: int):
    ensure_allowed(request.user, "crm.view")
    run = get_object_or_404(SyncRun, pk=pk)
    return render(request, "crm/_run.html", {"run": run})


@login_required
@require_POST
def deal_map(request, pk: int):
    ensure_allowed(request.user, "crm.map")
    form = DealMapForm(request.POST)
    if not form.is_valid():
        return crm_page(request, map_errors={pk: form.errors.as_text()})
    territory, family = form.cleaned_data["territory"], form.cleaned_data["family"]
    deal = services.deal_map(
        actor=request.user,
        deal_id=pk,
        territory_id=territory.pk if territory else None,
        family_id=family.pk if family else None,
        remember=form.cleaned_data["remember"],
    )
    messages.success(request, f"{deal} is mapped.")
    return redirect("crm:page")


@login_required
@require_POST
def rate_save(request):
    ensure_allowed(request.user, "crm.rates")
    form = RateForm(request.POST)
    if not form.is_valid():
        return crm_page(request, rate_form=form)
    rate = services.rate_save(actor=request.user, **form.cleaned_data)
    messages.success(request, f"Saved: {rate}.")
    return redirect("crm:page")
