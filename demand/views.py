"""Demand-planning screens: the grid page (data through the API), Excel export and re-import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can, ensure_allowed
from cycles.models import Cycle
from cycles.selectors import current_cycle
from demand import events, pipeline_reads, selectors
from demand.forms import EventForm, WorkbookImportForm
from demand.scope import Scope
from forecasting import selectors as forecast_selectors
from products.models import ProductFamily
from sop_planner.editing import form_data, run_service
from sop_planner.errors import DomainError
from territories.models import Region
from territories.selectors import active_territories
from uploads.page_files import uploaded_file


@login_required
def grid_page(request, cycle_id: int | None = None):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=cycle_id) if cycle_id else current_cycle()
    if cycle is None:
        return render(request, "demand/grid.html", {"cycle": None})
    territories = list(active_territories())
    submitted = selectors.submissions(cycle)
    edit_lock = selectors.edit_lock(cycle, request.user)
    return render(
        request,
        "demand/grid.html",
        {
            "cycle": cycle,
            "families": ProductFamily.objects.all(),
            "regions": Region.objects.all(),
            "territories": territories,
            "reasons": selectors.reason_codes(),
            "default_reason": selectors.default_reason_code(request.user),
            "submittable": [
                t
                for t in territories
                if t.pk not in submitted
                and can(request.user, "plan.demand.submit", cycle, territory_id=t.pk)
            ],
            "submitted": [(t, submitted[t.pk]) for t in territories if t.pk in submitted],
            "may_reopen": can(request.user, "plan.demand.reopen", cycle),
            "in_demand_planning": cycle.stage == "demand_planning" and not cycle.is_released,
            "edit_lock": edit_lock,
            "has_baseline": selectors.has_baseline(cycle),
            "active_run": forecast_selectors.active_run(cycle.pk),
            "may_start_run": forecast_selectors.may_start_run(request.user, cycle),
            "events": selectors.events_with_removal(cycle, request.user),
            "may_add_event": can(request.user, "plan.demand.edit", cycle) and edit_lock is None,
            "event_form": EventForm(),
            **pipeline_reads.coverage_context(cycle),
        },
    )


@login_required
def export_xlsx(request, cycle_id: int):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    scope = Scope.from_filters(request.GET)
    from demand import excel  # openpyxl: only for the workbook download and re-import

    response = HttpResponse(
        excel.export_workbook(cycle, scope, selectors.own_territories(request.user)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="consensus-{cycle.month:%Y-%m}.xlsx"'
    return response


@login_required
@require_POST
def import_xlsx(request, cycle_id: int):
    try:
        fields = form_data(WorkbookImportForm, request.POST)
        _name, content = uploaded_file(request, "plan.demand.edit")
        from demand import excel

        count = excel.workbook_apply(
            actor=request.user,
            cycle_id=cycle_id,
            data=content,
            reason_code=fields["reason_code"],
            comment=fields["comment"],
        )
    except DomainError as error:
        detail = "; ".join(error.items)
        messages.error(request, f"{error.message} {detail}".strip())
    else:
        messages.success(request, f"Applied {count} changed cell(s) from the workbook.")
    return redirect("demand:grid-of", cycle_id=cycle_id)


@login_required
@require_POST
def event_create(request, cycle_id: int):
    form = EventForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        messages.error(request, f"The event was not saved. {errors}")
        return redirect("demand:grid-of", cycle_id=cycle_id)
    event = form.instance
    event.ramp = form.cleaned_data["ramp_text"]
    territory = form.cleaned_data["territory"]
    try:
        events.event_save(
            actor=request.user,
            cycle_id=cycle_id,
            event=event,
            territory_ids=[territory.pk] if territory else [],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{event} saved; the consensus includes it.")
    return redirect("demand:grid-of", cycle_id=cycle_id)


@login_required
@require_POST
def event_remove(request, cycle_id: int, event_id: int):
    return run_service(
        request,
        lambda: events.event_delete(actor=request.user, event_id=event_id),
        "Event removed; the consensus no longer includes it.",
        reverse("demand:grid-of", kwargs={"cycle_id": cycle_id}),
    )
