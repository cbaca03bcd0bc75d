"""The carry-forward page and its confirm buttons: parse, call the service, go back."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import ensure_allowed
from carryforward import selectors, services
from carryforward.models import Proposal
from cycles.models import Cycle
from cycles.selectors import current_cycle
from sop_planner.editing import run_service, safe_next


@login_required
def carry_page(request, pk: int | None = None):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk) if pk else current_cycle()
    context = {"cycle": cycle, "sections": []}
    if cycle is not None:
        context.update(
            sections=selectors.kind_sections(request.user, cycle),
            source=selectors.last_released(cycle),
        )
    return render(request, "carryforward/page.html", context)


def _back(request, cycle_id: int) -> str:
    """Back to the page the button was on (a family grid), or to the carry-forward page."""
    page = reverse("carryforward:cycle", args=[cycle_id])
    return safe_next(request, request.POST.get("next"), page)


@login_required
@require_POST
def proposal_confirm_view(request, proposal_id: int):
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    call = partial(services.proposal_confirm, actor=request.user, proposal_id=proposal_id)
    done = (
        f"Confirmed: {proposal.get_kind_display().lower()} of {proposal.event or proposal.family}."
    )
    return run_service(request, call, done, _back(request, proposal.cycle_id))


@login_required
@require_POST
def kind_confirm_view(request, pk: int, kind: str):
    call = partial(services.proposals_confirm_kind, actor=request.user, cycle_id=pk, kind=kind)
    label = dict(Proposal.Kind.choices).get(kind, kind)
    return run_service(request, call, f"Confirmed: {label.lower()}.", _back(request, pk))
