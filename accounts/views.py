from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.navigation import NEXT_STEPS
from accounts.permissions import can, user_roles
from cycles.selectors import current_cycle
from territories.selectors import territories_planned_by


@login_required
def home(request):
    roles = sorted(user_roles(request.user))
    steps = [step for role in roles for step in NEXT_STEPS.get(role, ())]
    context = {
        "roles": roles,
        "steps": steps,
        "cycle": current_cycle(),
        "my_territories": territories_planned_by(request.user),
        "can_edit_masterdata": can(request.user, "products.edit"),
    }
    return render(request, "accounts/home.html", context)
