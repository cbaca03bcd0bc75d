"""Comments, action items and notifications: parse, call the service, back to the board."""

from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from collaboration import selectors, services
from sop_planner.editing import safe_next
from sop_planner.errors import DomainError


def _board(cycle_id: int):
    return redirect(f"{reverse('cycles:board')}?cycle={cycle_id}#collaboration")


def _run(request, call, success: str) -> None:
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)


@login_required
@require_POST
def comment_add(request, cycle_id: int):
    _run(
        request,
        lambda: services.comment_add(
            actor=request.user,
            cycle_id=cycle_id,
            body=request.POST.get("body", ""),
            stage=request.POST.get("stage", ""),
        ),
        "Comment posted.",
    )
    return _board(cycle_id)


def _due(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise DomainError(f"{value!r} is not a date (YYYY-MM-DD).") from None


@login_required
@require_POST
def action_item_add(request, cycle_id: int):
    def call():
        owner = get_user_model().objects.filter(username=request.POST.get("owner", "")).first()
        services.action_item_add(
            actor=request.user,
            cycle_id=cycle_id,
            title=request.POST.get("title", ""),
            owner=owner,
            due_date=_due(request.POST.get("due_date", "")),
        )

    _run(request, call, "Action item added.")
    return _board(cycle_id)


@login_required
@require_POST
def action_item_done(request, item_id: int):
    _run(
        request,
        lambda: services.action_item_done(actor=request.user, item_id=item_id),
        "Marked done.",
    )
    return redirect(safe_next(request, request.POST.get("next"), reverse("cycles:board")))


@login_required
def notifications(request):
    if request.method == "POST":
        services.notifications_mark_read(actor=request.user)
        return redirect("collaboration:notifications")
    items = selectors.user_notifications(request.user)
    return render(request, "collaboration/notifications.html", {"notifications": items})
