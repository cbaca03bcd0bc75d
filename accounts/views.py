from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from accounts import selectors, services, todos
from accounts.forms import UserForm
from accounts.mixins import ActionRequiredMixin
from accounts.navigation import NEXT_STEPS, NextStep
from accounts.permissions import can, ensure_allowed, user_roles
from accounts.roles import Role
from cycles.selectors import current_cycle
from kpis import scope as kpi_scope
from kpis import selectors as kpi_selectors
from sop_planner.errors import DomainError
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
    return render(request, "accounts/home.html", context)


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


@login_required
def user_list(request):
    ensure_allowed(request.user, "users.manage")
    context = {"users": selectors.users_overview(), "locked": selectors.locked_usernames()}
    return render(request, "accounts/users.html", context)


@login_required
@require_POST
def user_unlock(request, pk: int):
    user = get_object_or_404(get_user_model(), pk=pk)
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, f"{user.get_username()} can sign in again.")
    return redirect("users")


class UserEditView(ActionRequiredMixin, FormView):
    required_action = "users.manage"
    template_name = "masterdata_form.html"
    form_class = UserForm

    def get_form_kwargs(self):
        pk = self.kwargs.get("pk")
        instance = get_object_or_404(get_user_model(), pk=pk) if pk else None
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": "User", "cancel_url_name": "users"}

    def form_valid(self, form):
        try:
            user = services.user_save(
                actor=self.request.user,
                user=form.instance,
                roles=[Role(name) for name in form.cleaned_data["roles"]],
                territories=form.cleaned_data["territories"],
                password=form.cleaned_data["password"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved {user.get_username()}.")
        return redirect("users")
