"""Comments, action items and notifications: parse, call the service, back to the board."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from collaboration import selectors, services
from collaboration.forms import ActionItemForm, CommentForm
from sop_planner.editing import run_form, run_service, safe_next


def _board_url(cycle_id: int) -> str:
    return f"{reverse('cycles:board')}?cycle={cycle_id}#collaboration"


@login_required
@require_POST
def comment_add(request, cycle_id: int):
    def call(data: dict) -> None:
        services.comment_add(
            actor=request.user, cycle_id=cycle_id, body=data["body"], stage=data["stage"]
        )

    return run_form(
        request, CommentForm, call, success="Comment posted.", back=_board_url(cycle_id)
    )


@login_required
@require_POST
def action_item_add(request, cycle_id: int):
    def call(data: dict) -> None:
        owner = get_user_model().objects.filter(username=data["owner"]).first()
        services.action_item_add(
            actor=request.user,
            cycle_id=cycle_id,
            title=data["title"],
            owner=owner,
            due_date=data["due_date"],
        )

    return run_form(
        request, ActionItemForm, call, success="Action item added.", back=_board_url(cycle_id)
    )


@login_required
@require_POST
def action_item_done(request, item_id: int):
    return run_service(
        request,
        lambda: services.action_item_done(actor=request.user, item_id=item_id),
        "Marked done.",
        safe_next(request, request.POST.get("next"), reverse("cycles:board")),
    )


@login_required
def notifications(request):
    if request.method == "POST":
        services.notifications_mark_read(actor=request.user)
        return redirect("collaboration:notifications")
    items = selectors.user_notifications(request.user)
    return render(request, "collaboration/notifications.html", {"notifications": items})
