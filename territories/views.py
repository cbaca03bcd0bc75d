from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.editing import ServiceFormView
from accounts.permissions import can, ensure_allowed
from sop_planner.editing import run_service
from sop_planner.errors import DomainError
from territories import selectors, services
from territories.forms import (
    AssignPlannerForm,
    EndAssignmentForm,
    PlannerAssignDatedForm,
    RegionForm,
    RepAssignForm,
    RepMoveForm,
    SalesRepForm,
    TerritoryForm,
)
from territories.models import Region, Territory


@login_required
def territory_list(request):
    ensure_allowed(request.user, "masterdata.view")
    return render(
        request,
        "territories/list.html",
        {
            "regions": selectors.regions_with_territories(),
            "can_edit": can(request.user, "territories.edit"),
            "can_assign": can(request.user, "assignments.edit"),
            "assign_form": AssignPlannerForm(),
            "mine": {t.pk for t in selectors.territories_planned_by(request.user)},
        },
    )


class RegionEditView(ServiceFormView):
    required_action = "territories.edit"
    model = Region
    form_class = RegionForm
    service = services.region_save
    service_argument = "region"
    success_url_name = "territories:list"
    title = "Region"


class TerritoryEditView(RegionEditView):
    model = Territory
    form_class = TerritoryForm
    service = services.territory_save
    service_argument = "territory"
    title = "Territory"


@require_POST
@login_required
def planner_assign(request, pk: int):
    territory = get_object_or_404(Territory, pk=pk)
    form = AssignPlannerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a demand planner.")
        return redirect("territories:list")
    user = form.cleaned_data["user"]
    return run_service(
        request,
        lambda: services.planner_assign(actor=request.user, territory=territory, user=user),
        f"{user} now plans {territory}.",
        "territories:list",
    )


@require_POST
@login_required
def planner_unassign(request, pk: int, user_id: int):
    territory = get_object_or_404(Territory, pk=pk)
    user = get_object_or_404(get_user_model(), pk=user_id)
    return run_service(
        request,
        lambda: services.planner_unassign(actor=request.user, territory=territory, user=user),
        f"{user} no longer plans {territory}.",
        "territories:list",
    )


@login_required
def assignments(request):
    """Sales reps and planners with their dated assignments; the manager assigns here."""
    ensure_allowed(request.user, "masterdata.view")
    may = can(request.user, "territories.assign_dated")
    forms_ = {
        "rep_form": SalesRepForm(prefix="rep"),
        "assign_form": RepAssignForm(prefix="assign"),
        "move_form": RepMoveForm(prefix="move"),
        "planner_form": PlannerAssignDatedForm(prefix="planner"),
    }
    return render(
        request,
        "territories/assignments.html",
        {
            "reps": selectors.sales_reps_with_history(),
            "planner_rows": selectors.planner_assignments(),
            "can_assign": may,
            "today": timezone.localdate(),
            **(forms_ if may else {}),
        },
    )


def _posted(request, form_class, prefix: str, call, done: str):
    """Parse a posted form, call the service, say what happened, back to the page."""
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("territories:assignments")
    try:
        call(form.cleaned_data)
        messages.success(request, done.format(**form.cleaned_data))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("territories:assignments")


def _form_errors(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label or name if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return "Nothing was saved. " + "; ".join(parts)


@require_POST
@login_required
def sales_rep_new(request):
    form = SalesRepForm(request.POST, prefix="rep")
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("territories:assignments")
    try:
        rep = services.sales_rep_save(actor=request.user, rep=form.save(commit=False))
        messages.success(request, f"Sales rep {rep} added.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("territories:assignments")


@require_POST
@login_required
def rep_assign(request):
    def call(data):
        services.rep_assign(
            actor=request.user,
            rep_id=data["rep"].pk,
            territory_id=data["territory"].pk,
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
        )

    return _posted(request, RepAssignForm, "assign", call, "{rep} now sells in {territory}.")


@require_POST
@login_required
def rep_move(request):
    def call(data):
        services.rep_move(
            actor=request.user,
            rep_id=data["rep"].pk,
            territory_id=data["territory"].pk,
            on=data["on"],
        )

    return _posted(request, RepMoveForm, "move", call, "{rep} moves to {territory} on {on}.")


@require_POST
@login_required
def planner_assign_dated(request):
    def call(data):
        services.planner_assign_dated(
            actor=request.user,
            user_id=data["user"].pk,
            territory_id=data["territory"].pk,
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
        )

    return _posted(request, PlannerAssignDatedForm, "planner", call, "{user} plans {territory}.")


@require_POST
@login_required
def rep_assignment_end(request, pk: int):
    def call(data):
        services.rep_assignment_end(
            actor=request.user, assignment_id=pk, valid_to=data["valid_to"]
        )

    return _posted(request, EndAssignmentForm, "end", call, "The assignment ends on {valid_to}.")


@require_POST
@login_required
def planner_assignment_end(request, pk: int):
    def call(data):
        services.planner_assignment_end(
            actor=request.user, assignment_id=pk, valid_to=data["valid_to"]
        )

    return _posted(request, EndAssignmentForm, "end", call, "The assignment ends on {valid_to}.")
