"""Supply planning screens: the family list, and per family a chart, flags and the input grid."""

from datetime import date
from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can, ensure_allowed
from cycles.gates import current_submissions
from cycles.models import Cycle
from cycles.selectors import current_cycle
from cycles.stages import Stage
from products.models import ProductFamily
from sop_planner.editing import page_upload, row_version, run_service
from supply import selectors, services

GRID_ROWS = (
    ("capacity", "Capacity (units)"),
    ("opening_inventory", "Opening inventory (first month)"),
    ("inventory_target", "Inventory target (units)"),
    ("target_weeks", "Inventory target (weeks of cover)"),
    ("min_production", "Minimum production"),
    ("max_cover", "Maximum cover (weeks)"),
)


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
            can_edit=can(request.user, "plan.supply.edit")
            and cycle.stage_enum is Stage.SUPPLY_PLANNING,
            can_submit=can(request.user, "plan.supply.submit")
            and cycle.stage_enum is Stage.SUPPLY_PLANNING,
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
    months = cycle.horizon()
    plan_input, plan = selectors.family_projection(cycle, family)
    rows = _month_rows(plan_input, plan, months)
    cells = selectors.input_cells(cycle, family)
    grid = [
        {
            "measure": code,
            "label": label,
            "cells": [
                {
                    "month": m,
                    "value": cells.get((code, m), (None, 0))[0],
                    "version": cells.get((code, m), (None, 0))[1],
                }
                for m in months
            ],
        }
        for code, label in GRID_ROWS
    ]
    context = {
        "cycle": cycle,
        "family": family,
        "rows": rows,
        "chart": _chart(rows),
        "grid": grid,
        "months": months,
        "can_edit": can(request.user, "plan.supply.edit")
        and cycle.stage_enum is Stage.SUPPLY_PLANNING,
    }
    return render(request, "supply/family.html", context)


def grid_cells(post, months: list[date]) -> dict[tuple[str, date], tuple]:
    """The figures the user changed: field `<measure>__<yyyy-mm>` against `v__...`."""
    cells = {}
    for code, _label in GRID_ROWS:
        for month in months:
            name = f"{code}__{month:%Y-%m}"
            value = post.get(name, "").strip()
            before = post.get(f"before__{name}", "").strip()
            if value and value != before:
                cells[(code, month)] = (value, row_version(post, f"v__{name}"))
    return cells


def _family_url(pk: int, family_id: int) -> str:
    return reverse("supply:family", args=[pk, family_id])


@login_required
@require_POST
def supply_inputs_save_view(request, pk: int, family_id: int):
    cycle = get_object_or_404(Cycle, pk=pk)
    cells = grid_cells(request.POST, cycle.horizon())
    call = partial(
        services.supply_inputs_save,
        actor=request.user,
        cycle_id=pk,
        family_id=family_id,
        cells=cells,
    )
    return run_service(request, call, f"{len(cells)} figure(s) saved.", _family_url(pk, family_id))


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
