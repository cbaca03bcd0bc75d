from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import can, ensure_allowed
from sop_planner.editing import ServiceFormView, run_service
from territories import selectors, services
from territories.forms import AssignPlannerForm, RegionForm, TerritoryForm
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
