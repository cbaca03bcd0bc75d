"""Supply planning screens: the family list, and per family a chart, flags and the input grid."""

from datetime import date
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can, ensure_allowed
from carryforward import selectors as carry_selectors
from cycles.gates import current_submissions
from cycles.models import Cycle
from cycles.selectors import current_cycle
from cycles.stages import Stage
from products.models import ProductFamily
from sop_planner.editing import form_refusal, run_service
from sop_planner.errors import DomainError
from supply import selectors, services
from supply.forms import GRID_ROWS, SupplyInputsForm, cell_name
from uploads.page_files import page_upload


def _cycle_or_current(pk: int | None) -> Cycle | None:
    return get_object_or_404(Cycle, pk=pk) if pk else current_cycle()


@login_required
def supply_index(request, pk: int | None = None):
    ensure_allowed(request.user, "cycle.view")
    cycle = _cycle_or_current(pk)
    context = {"cycle": cycle}
    if cycle:
        context.update(
            families=selectors.family_summaries(cycle),
            all_families=ProductFamily.objects.all(),
            submitted=current_submissions(cycle, Stage.SUPPLY_PLANNING).first(),
            can_edit=can(request.user, "plan.supply.edit", cycle),
            can_submit=can(request.user, "plan.supply.submit", cycle),
        )
    return render(request, "supply/index.html", context)


def _month_rows(plan_input, plan, months: list[date]) -> list[dict]:
    return [
        {
            "month": month,
            "demand": plan_input.demand[t],
            "capacity": plan_input.capacity[t],
            "production": plan.production[t],
            "inventory": plan.closing_inventory[t],
            "target": plan.target_inventory[t],
            "cover": plan.weeks_of_cover[t],
            "shortage": plan.shortage[t],
            "flags": plan.flags[t],
        }
        for t, month in enumerate(months)
    ]


def _chart(rows: list[dict]) -> dict:
    series = ("demand", "capacity", "production", "inventory", "target")
    data = {name: [round(row[name]) for row in rows] for name in series}
    data["labels"] = [f"{row['month']:%Y-%m}" for row in rows]
    return data


@login_required
def supply_family(request, pk: int, family_id: int):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk)
    family = get_object_or_404(ProductFamily, pk=family_id)
    return _family_page(request, cycle, family)


def _family_page(request, cycle: Cycle, family: ProductFamily, form=None, status: int = 200):
    """The family's chart, flags and input grid; a refused `form` is shown as the user typed it."""
    months = cycle.horizon()
    plan_input, plan = selectors.family_projection(cycle, family)
    rows = _month_rows(plan_input, plan, months)
    carry = carry_selectors.grid_context(request.user, cycle, "supply", family.pk)
    proposed = carry_selectors.supply_cell_hints(carry["carry"].get("cells", {}))
    context = {
        "cycle": cycle,
        "family": family,
        "rows": rows,
        "chart": _chart(rows),
        "grid": _grid(selectors.input_cells(cycle, family), months, form, proposed),
        "months": months,
        "can_edit": can(request.user, "plan.supply.edit", cycle),
        **carry,
    }
    return render(request, "supply/family.html", context, status=status)


def _grid(stored: dict, months: list[date], form, proposed: dict) -> list[dict]:
    """The input rows, with last month's proposals where nothing is entered yet; a re-shown
    form keeps every typed figure and marks the bad ones."""
    return [
        {
            "measure": code,
            "label": label,
            "cells": [_cell(stored, code, m, form, proposed.get((code, m))) for m in months],
        }
        for code, label in GRID_ROWS
    ]


def _cell(stored: dict, code: str, month: date, form, proposed) -> dict:
    value, version = stored.get((code, month), (None, 0))
    cell = {"month": month, "value": value, "version": version, "proposed": proposed}
    if form is not None:
        name = cell_name(code, month)
        cell.update(
            typed=form.data.get(name, ""),
            before=form.data.get(f"before__{name}", ""),
            version=form.data.get(f"v__{name}", version),
            error=" ".join(form.errors.get(name, [])),
        )
    return cell


@login_required
@require_POST
def supply_inputs_save_view(request, pk: int, family_id: int):
    """Save the grid; a refused one comes back with every typed figure and the bad cells named."""
    cycle = get_object_or_404(Cycle, pk=pk)
    family = get_object_or_404(ProductFamily, pk=family_id)
    form = SupplyInputsForm(request.POST, family=family, months=cycle.horizon())
    try:
        cells = form_data_or_refusal(form)
        services.supply_inputs_save(
            actor=request.user, cycle_id=pk, family_id=family_id, cells=cells
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _family_page(request, cycle, family, form=form, status=error.status_code)
    messages.success(request, f"{len(cells)} figure(s) saved.")
    return redirect("supply:family", pk, family_id)


def form_data_or_refusal(form: SupplyInputsForm) -> dict:
    if not form.is_valid():
        raise form_refusal(form)
    return form.changed_cells()


@login_required
@require_POST
def supply_compute_view(request, pk: int):
    call = partial(services.supply_plan_compute, actor=request.user, cycle_id=pk)
    return run_service(request, call, "Supply plan computed.", reverse("supply:cycle", args=[pk]))


@login_required
@require_POST
def supply_import_view(request, pk: int):
    """The supply inputs file goes through the uploads pipeline: a preview, then commit."""
    return page_upload(
        request,
        kind="supply_inputs",
        action="plan.supply.edit",
        cycle_id=pk,
        back=reverse("supply:cycle", args=[pk]),
    )
