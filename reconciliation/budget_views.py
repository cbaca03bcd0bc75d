"""Finance's budget screen: one grid per family (territory x month, plan beside budget),
and an annual budget spread into that grid as a proposal to edit before saving."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import can, ensure_allowed
from carryforward import selectors as carry_selectors
from cycles.measures import MeasureCode
from cycles.models import Cycle
from cycles.selectors import plan_values_as_of
from products.models import ProductFamily
from reconciliation import selectors, services
from reconciliation.budget_annual import PROFILES, AnnualFigure, budget_annual_spread
from sop_planner.editing import KEPT, keep_typed, row_version
from sop_planner.errors import DomainError
from sop_planner.numbers import read_plan_figure
from supply.selectors import family_anchors
from territories.models import Region, Territory
from territories.selectors import active_territories

MEASURES = ((MeasureCode.BUDGET_UNITS, "units"), (MeasureCode.BUDGET_REVENUE, "revenue"))
REASON_LIMIT = 200


def _territories() -> list[Territory]:
    return list(active_territories().order_by("name"))


def _cell_name(measure: str, territory_id: int, month) -> str:
    return f"{measure}__{territory_id}__{month:%Y-%m}"


def _budget_cells(post, territories, months) -> dict:
    cells = {}
    for measure, _label in MEASURES:
        for territory in territories:
            for month in months:
                name = _cell_name(measure, territory.pk, month)
                value = post.get(name, "").strip()
                if value and value != post.get(f"before__{name}", "").strip():
                    version = row_version(post, f"v__{name}")
                    cells[(measure, territory.pk, month)] = (value, version)
    return cells


def _budget_save(request, pk: int, family_id: int, cells: dict):
    """Save the grid; a refused one comes back as typed (every figure, not only the bad one)."""
    reason = request.POST.get("reason", "").strip()[:REASON_LIMIT] or "Budget"
    try:
        services.budget_save(
            actor=request.user, cycle_id=pk, family_id=family_id, cells=cells, reason=reason
        )
    except DomainError as error:
        messages.error(request, error.message)
        keep_typed(request, "BudgetGrid", request.POST)
    else:
        messages.success(request, f"{len(cells)} budget figure(s) saved.")
    return redirect("reconciliation:budget", pk, family_id)


def _stored(cycle: Cycle, family: ProductFamily) -> dict:
    anchor = family_anchors().get(family.pk)
    return {
        (row.measure, row.territory_id, row.month): row
        for row in plan_values_as_of(cycle, cycle.version_seq).filter(
            measure__in=(MeasureCode.BUDGET_UNITS, MeasureCode.BUDGET_REVENUE),
            product_id=getattr(anchor, "product_id", None),
        )
    }


def _shown(value: Decimal) -> str:
    """A stored or spread figure as the grid's input shows it: 1200, 1200.5, never 1.2E+3."""
    return format(value.normalize(), "f")


def _spread_typed(stored: dict, cells: dict) -> dict:
    """The grid as the spread proposes it: spread cells typed, the rest as stored."""
    typed = {}
    for key, row in stored.items():
        name = _cell_name(*key)
        typed[name] = typed[f"before__{name}"] = _shown(row.value)
        typed[f"v__{name}"] = str(row.row_version)
    for key, value in cells.items():
        name = _cell_name(*key)
        typed[name] = _shown(value)
        typed.setdefault(f"before__{name}", "")
        typed.setdefault(f"v__{name}", "0")
    return typed


def _grid(cycle, territories, stored, typed, proposed, plan) -> list[dict]:
    """Two lines per territory (units, revenue), a cell per month, the plan in each."""
    rows = []
    for territory in territories:
        for measure, label in MEASURES:
            keys = [(measure, territory.pk, month) for month in cycle.horizon()]
            cells = [_cell(key, stored, typed, proposed, plan) for key in keys]
            plan_total = sum((c["plan"] or 0 for c in cells), Decimal(0))
            rows.append(
                {
                    "territory": territory,
                    "measure": label,
                    "cells": cells,
                    "plan_total": plan_total,
                }
            )
    return rows


def _cell(key, stored, typed, proposed, plan) -> dict:
    """One budget cell: stored row, or what was typed (a refused save, a spread)."""
    name = _cell_name(*key)
    cell = {"name": name, "month": key[2], "row": stored.get(key)}
    cell.update(plan=plan.get(key), proposed=proposed.get(key))
    if typed is not None:
        cell["typed"] = typed.get(name, "")
        cell["before"] = typed.get(f"before__{name}", "")
        cell["version"] = typed.get(f"v__{name}", "0")
    return cell


def _page(request, cycle, family, *, typed=None, annual=None, spread_note="", status=200):
    territories = _territories()
    stored = _stored(cycle, family)
    carry = carry_selectors.grid_context(request.user, cycle, "budget", family.pk)
    plan = selectors.family_plan(cycle, family.pk)
    grid = _grid(cycle, territories, stored, typed, carry["carry"].get("cells", {}), plan)
    context = {
        "cycle": cycle,
        "family": family,
        "months": cycle.horizon(),
        "grid": grid,
        "regions": _annual_rows(territories, plan, annual or {}),
        "profiles": PROFILES.items(),
        "profile": (annual or {}).get("profile", "actuals"),
        "spread_note": spread_note,
        "can_edit": can(request.user, "plan.budget.edit", cycle),
        **carry,
    }
    return render(request, "reconciliation/budget.html", context, status=status)


def _annual_rows(territories, plan: dict, annual: dict) -> list[dict]:
    """The annual form's rows: the whole family, then each region with active territories."""
    regions = {t.region_id: t.region for t in territories}
    rows = [{"key": "all", "name": "Whole family", "ids": {t.pk for t in territories}}]
    rows += [
        {
            "key": str(r.pk),
            "name": r.name,
            "ids": {t.pk for t in territories if t.region_id == r.pk},
        }
        for r in sorted(regions.values(), key=lambda r: r.name)
    ]
    for row in rows:
        for measure, label in MEASURES:
            row[f"plan_{label}"] = sum(
                (v for (m, t, _month), v in plan.items() if m == measure and t in row["ids"]),
                Decimal(0),
            )
            row[label] = annual.get(f"annual_{label}__{row['key']}", "")
    return rows


@login_required
def budget_view(request, pk: int, family_id: int):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk)
    family = get_object_or_404(ProductFamily, pk=family_id)
    if request.method == "POST":
        cells = _budget_cells(request.POST, _territories(), cycle.horizon())
        return _budget_save(request, pk, family_id, cells)
    typed = request.session.pop(KEPT, {}).get("BudgetGrid")  # a refused grid, as typed
    return _page(request, cycle, family, typed=typed)


def _annual_figures(post) -> list[AnnualFigure]:
    """The annual form's figures, parsed; a bad one is refused naming its row and column."""
    names = {"all": "Whole family", **{str(r.pk): r.name for r in Region.objects.all()}}
    figures = []
    for key, name in names.items():
        values = {}
        for _measure, label in MEASURES:
            text = post.get(f"annual_{label}__{key}", "").strip()
            try:
                values[label] = read_plan_figure(text) if text else None
            except ValueError as error:
                raise DomainError(f"{name}, annual {label} “{text}”: {error}.") from None
        region = None if key == "all" else int(key)
        figures.append(AnnualFigure(region, name, values["units"], values["revenue"]))
    return figures


@login_required
@require_POST
def budget_spread_view(request, pk: int, family_id: int):
    """Spread the annual figures into the grid, unsaved: Finance checks, edits, then saves."""
    cycle = get_object_or_404(Cycle, pk=pk)
    family = get_object_or_404(ProductFamily, pk=family_id)
    profile = request.POST.get("profile", "actuals")
    annual = {**request.POST.dict(), "profile": profile}
    try:
        cells = budget_annual_spread(
            actor=request.user,
            cycle=cycle,
            family_id=family.pk,
            figures=_annual_figures(request.POST),
            profile=profile,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _page(request, cycle, family, annual=annual, status=error.status_code)
    note = f"Annual budget spread {PROFILES[profile]}"
    messages.info(
        request,
        f"{len(cells)} figures spread {PROFILES[profile]}; nothing is saved yet. "
        "Check or edit them in the grid, then Save budget.",
    )
    typed = _spread_typed(_stored(cycle, family), cells)
    return _page(request, cycle, family, typed=typed, annual=annual, spread_note=note)
