"""Reconciliation screens: demand vs supply vs budget with gap decisions, budget, scenarios."""

from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can, ensure_allowed
from carryforward import selectors as carry_selectors
from cycles.models import Cycle
from cycles.selectors import current_cycle, plan_values_as_of
from cycles.stages import Stage
from demand.models import DemandEvent
from products.models import ProductFamily
from reconciliation import pack, selectors, services
from reconciliation.forms import (
    GapDecisionForm,
    PromoteForm,
    PromotionRemovalForm,
    ScenarioChangeForm,
    ScenarioForm,
)
from reconciliation.models import GapDecision, Scenario, ScenarioChange
from sop_planner.editing import (
    KEPT,
    form_data,
    keep_typed,
    page_upload,
    row_version,
    run_form,
    run_service,
)
from sop_planner.errors import DomainError
from supply.selectors import family_anchors
from territories.models import Territory

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
        )
    return render(request, "reconciliation/index.html", context, status=status)


@login_required
@require_POST
def gap_decide_view(request, pk: int):
    """Record a decision; a refused one comes back on the page with what the user typed."""
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        data = form_data(GapDecisionForm, request.POST)
        services.gap_decide(
            actor=request.user,
            cycle_id=pk,
            gap_key=data["gap_key"],
            decision=data["decision"],
            owner_id=data["owner"] or 0,
            rationale=data["rationale"],
            expected_impact=data["expected_impact"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _page(request, cycle, posted=request.POST, status=error.status_code)
    messages.success(request, "Decision recorded.")
    return redirect("reconciliation:cycle", pk=pk)


def _budget_cells(post, territories, months) -> dict:
    cells = {}
    for measure in ("budget_units", "budget_revenue"):
        for territory in territories:
            for month in months:
                name = f"{measure}__{territory.pk}__{month:%Y-%m}"
                value = post.get(name, "").strip()
                if value and value != post.get(f"before__{name}", "").strip():
                    version = row_version(post, f"v__{name}")
                    cells[(measure, territory.pk, month)] = (value, version)
    return cells


def _budget_save(request, pk: int, family_id: int, cells: dict):
    """Save the grid; a refused one comes back as typed (every figure, not only the bad one)."""
    try:
        services.budget_save(actor=request.user, cycle_id=pk, family_id=family_id, cells=cells)
    except DomainError as error:
        messages.error(request, error.message)
        keep_typed(request, "BudgetGrid", request.POST)
    else:
        messages.success(request, f"{len(cells)} budget figure(s) saved.")
    return redirect("reconciliation:budget", pk, family_id)


def _budget_cell(name: str, row, typed: dict | None, proposed=None) -> dict:
    if typed is None:
        return {"name": name, "row": row, "proposed": proposed}
    return {
        "name": name,
        "row": row,
        "proposed": proposed,
        "typed": typed.get(name, ""),
        "before": typed.get(f"before__{name}", ""),
        "version": typed.get(f"v__{name}", "0"),
    }


@login_required
def budget_view(request, pk: int, family_id: int):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk)
    family = get_object_or_404(ProductFamily, pk=family_id)
    territories, months = list(Territory.objects.filter(is_active=True)), cycle.horizon()
    if request.method == "POST":
        return _budget_save(
            request, pk, family_id, _budget_cells(request.POST, territories, months)
        )
    typed = request.session.pop(KEPT, {}).get("BudgetGrid")  # a refused grid, as typed
    anchor = family_anchors().get(family.pk)
    stored = {
        (row.measure, row.territory_id, row.month): row
        for row in plan_values_as_of(cycle, cycle.version_seq).filter(
            measure__in=("budget_units", "budget_revenue"),
            product_id=getattr(anchor, "product_id", None),
        )
    }
    carry = carry_selectors.grid_context(request.user, cycle, "budget", family.pk)
    proposed = carry["carry"].get("cells", {})
    grid = [
        {
            "label": f"{territory.name}, {label}",
            "cells": [
                _budget_cell(
                    f"{measure}__{territory.pk}__{month:%Y-%m}",
                    stored.get((measure, territory.pk, month)),
                    typed,
                    proposed.get((measure, territory.pk, month)),
                )
                for month in months
            ],
        }
        for territory in territories
        for measure, label in (("budget_units", "units"), ("budget_revenue", "revenue"))
    ]
    context = {
        "cycle": cycle,
        "family": family,
        "months": months,
        "grid": grid,
        "can_edit": can(request.user, "plan.budget.edit", cycle),
        **carry,
    }
    return render(request, "reconciliation/budget.html", context)


@login_required
def scenarios_view(request, pk: int):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk)
    chosen = [int(v) for v in request.GET.getlist("compare") if v.isdigit()][:MAX_COMPARED]
    has_plan = selectors.has_demand_plan(cycle)
    context = {
        "cycle": cycle,
        "scenarios": Scenario.objects.filter(cycle=cycle).prefetch_related("changes__family"),
        "families": ProductFamily.objects.all(),
        "kinds": [k for k in ScenarioChange.Kind.choices if k[0] != ScenarioChange.Kind.NO_PROMO],
        "promotions": DemandEvent.objects.filter(cycle=cycle, kind=DemandEvent.Kind.PROMOTION),
        "months": cycle.horizon(),
        "columns": selectors.scenarios_compare(cycle, chosen) if chosen and has_plan else [],
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
def pack_xlsx(request, pk: int):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk)
    response = HttpResponse(
        pack.pack_workbook(cycle),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="sop-{cycle.month:%Y-%m}.xlsx"'
    return response


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


@login_required
def pack_pdf_view(request, pk: int):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk)
    from reconciliation.pack_pdf import pack_pdf  # fpdf costs seconds; only this view needs it

    response = HttpResponse(pack_pdf(cycle), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sop-{cycle.month:%Y-%m}.pdf"'
    return response
