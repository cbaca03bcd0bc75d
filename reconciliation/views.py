"""Reconciliation screens: demand vs supply vs budget with gap decisions, budget, scenarios."""

from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can, ensure_allowed
from cycles.models import Cycle
from cycles.selectors import current_cycle
from cycles.stages import Stage
from demand.models import DemandEvent
from products.models import ProductFamily
from quotas.context import quota_context
from reconciliation import scenario_compare, selectors, services
from reconciliation.forms import (
    GapDecisionForm,
    PromoteForm,
    PromotionRemovalForm,
    ScenarioChangeForm,
    ScenarioForm,
)
from reconciliation.models import GapDecision, Scenario, ScenarioChange
from sop_planner.editing import form_data, run_form, run_service
from sop_planner.errors import DomainError
from uploads.page_files import page_upload

MAX_COMPARED = 4


@login_required
def reconciliation_view(request, pk: int | None = None):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk) if pk else current_cycle()
    return _page(request, cycle)


def _page(request, cycle: Cycle | None, posted=None, status: int = 200):
    """The reconciliation page; `posted` is a refused decision's fields, shown as typed."""
    context = {"cycle": cycle, "posted": posted}
    if cycle:
        in_stage = cycle.stage_enum is Stage.RECONCILIATION and not cycle.is_released
        context.update(
            selectors.reconciliation(cycle),
            families=ProductFamily.objects.all(),
            choices=GapDecision.Decision.choices,
            people=get_user_model().objects.filter(is_active=True).order_by("username"),
            can_decide=can(request.user, "gap.decide", cycle),
            can_send_back=in_stage and can(request.user, "cycle.send_back"),
            can_budget=can(request.user, "plan.budget.edit", cycle),
            **quota_context(cycle, request.user),
        )
    return render(request, "reconciliation/index.html", context, status=status)


@login_required
@require_POST
def gap_decide_view(request, pk: int):
    """Decide the ticked gaps (one or many) with one decision and rationale; a refused
    decision comes back on the page with what the user typed and ticked."""
    cycle = get_object_or_404(Cycle, pk=pk)
    keys = [key for key in request.POST.getlist("gap_key") if key.strip()]
    try:
        data = form_data(GapDecisionForm, request.POST)
        rows = services.gap_decide_many(
            actor=request.user,
            cycle_id=pk,
            gap_keys=keys,
            decision=data["decision"],
            owner_id=data["owner"] or 0,
            rationale=data["rationale"],
            expected_impact=data["expected_impact"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        posted = {**request.POST.dict(), "gap_keys": keys}
        return _page(request, cycle, posted=posted, status=error.status_code)
    label = rows[0].get_decision_display()
    messages.success(request, f"Decision recorded for {len(rows)} gap(s): {label}.")
    return redirect("reconciliation:cycle", pk=pk)


@login_required
def scenarios_view(request, pk: int):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk)
    chosen = [int(v) for v in request.GET.getlist("compare") if v.isdigit()][:MAX_COMPARED]
    has_plan = selectors.has_demand_plan(cycle)
    measure = request.GET.get("measure", "supply")
    measure = measure if measure in scenario_compare.MEASURES else "supply"
    changes = selectors.scenario_changes(cycle, chosen, measure) if chosen and has_plan else None
    context = {
        "cycle": cycle,
        "scenarios": Scenario.objects.filter(cycle=cycle).prefetch_related("changes__family"),
        "families": ProductFamily.objects.all(),
        "kinds": [k for k in ScenarioChange.Kind.choices if k[0] != ScenarioChange.Kind.NO_PROMO],
        "promotions": DemandEvent.objects.filter(cycle=cycle, kind=DemandEvent.Kind.PROMOTION),
        "months": cycle.horizon(),
        "columns": changes["columns"] if changes else [],
        "measure": measure,
        "measures": scenario_compare.MEASURES.items(),
        "changes": changes,
        "chosen": chosen,
        "has_plan": has_plan,
        "can_edit": can(request.user, "scenario.edit", cycle),
        "can_promote": can(request.user, "scenario.promote", cycle),
    }
    return render(request, "reconciliation/scenarios.html", context)


def _scenarios_url(pk: int) -> str:
    return reverse("reconciliation:scenarios", args=[pk])


@login_required
@require_POST
def scenario_create_view(request, pk: int):
    def call(data: dict) -> None:
        services.scenario_create(actor=request.user, cycle_id=pk, **data)

    return run_form(
        request, ScenarioForm, call, success="Scenario created.", back=_scenarios_url(pk)
    )


@login_required
@require_POST
def scenario_change_view(request, scenario_id: int):
    scenario = get_object_or_404(Scenario, pk=scenario_id)

    def call(data: dict) -> None:
        services.scenario_change_add(
            actor=request.user,
            scenario_id=scenario_id,
            kind=data["kind"],
            family_id=data["family"],
            month_from=data["month_from"],
            month_to=data["month_to"],
            percent=data["percent"],
        )

    back = _scenarios_url(scenario.cycle_id)
    return run_form(request, ScenarioChangeForm, call, success="Change added.", back=back)


@login_required
@require_POST
def scenario_promotion_removal_view(request, scenario_id: int):
    scenario = get_object_or_404(Scenario, pk=scenario_id)

    def call(data: dict) -> None:
        services.scenario_promotion_removal_add(
            actor=request.user, scenario_id=scenario_id, event_id=data["event"]
        )

    back = _scenarios_url(scenario.cycle_id)
    return run_form(request, PromotionRemovalForm, call, success="Promotion taken out.", back=back)


@login_required
@require_POST
def scenario_delete_view(request, scenario_id: int):
    scenario = get_object_or_404(Scenario, pk=scenario_id)
    call = partial(services.scenario_delete, actor=request.user, scenario_id=scenario_id)
    return run_service(
        request, call, f"Scenario {scenario.name} deleted.", _scenarios_url(scenario.cycle_id)
    )


@login_required
@require_POST
def scenario_promote_view(request, scenario_id: int):
    scenario = get_object_or_404(Scenario, pk=scenario_id)

    def call(data: dict) -> None:
        services.scenario_promote(
            actor=request.user, scenario_id=scenario_id, reason=data["reason"]
        )

    return run_form(
        request,
        PromoteForm,
        call,
        success=f"{scenario.name} is now the plan.",
        back=_scenarios_url(scenario.cycle_id),
    )


@login_required
@require_POST
def budget_import_view(request, pk: int):
    """The budget file goes through the uploads pipeline: a preview, then commit."""
    return page_upload(
        request,
        kind="budgets",
        action="plan.budget.edit",
        cycle_id=pk,
        back=reverse("reconciliation:cycle", args=[pk]),
    )
