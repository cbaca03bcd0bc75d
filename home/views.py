"""Each role's home page: the next steps, the to-dos, the KPI dashboard."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from accounts.permissions import can, user_roles
from cycles.selectors import current_cycle
from home import todos
from home.navigation import NEXT_STEPS, NextStep
from kpis import scope as kpi_scope
from kpis import selectors as kpi_selectors
from territories.selectors import territories_planned_by


@login_required
def home(request):
    roles = sorted(user_roles(request.user))
    cycle = current_cycle()
    steps = [_step(step, cycle) for role in roles for step in NEXT_STEPS.get(role, ())]
    context = {
        "roles": roles,
        "steps": steps,
        "cycle": cycle,
        "todos": todos.todos(request.user, cycle),
        "action_items": todos.open_action_items(request.user),
        "mentions": todos.unread_mentions(request.user),
        "my_territories": territories_planned_by(request.user),
        "my_accuracy": kpi_scope.own_accuracy(request.user),
        "can_edit_masterdata": can(request.user, "products.edit"),
        **_kpi_context(request.user),
    }
    return render(request, "home/home.html", context)


def _step(step: NextStep, cycle) -> dict:
    """A next step with its link: the open cycle's own page where the step has one."""
    if step.cycle_url_name and cycle is not None:
        url = reverse(step.cycle_url_name, args=[cycle.pk])
    else:
        url = reverse(step.url_name)
    return {"title": step.title, "detail": step.detail, "url": url}


def _kpi_context(user) -> dict:
    """The KPI dashboard for whoever may see it (every role)."""
    if not can(user, "kpis.view"):
        return {}
    tiles = kpi_selectors.dashboard(today=date.today())
    return {
        "kpi_tiles": tiles,
        "kpi_chart_data": kpi_selectors.chart_series(tiles),
        "can_define_kpis": can(user, "kpis.define"),
    }
