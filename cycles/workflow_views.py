"""The cycle board, sign-off and history: parse, authorize, call, render (compare_views: versions).

Every POST calls one service; its refusal (role, stage, gate, conflict) is shown
as a message on the board and nothing changes.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can, denial
from cycles import board, confirmations, forms, gates, hooks, opening, selectors, services
from cycles.history import audit_csv_lines, audit_events, events_before
from cycles.models import Cycle, SignOffDecision
from cycles.stages import Stage
from exports.services import export_request
from products.models import Product
from sop_planner.editing import form_refusal, run_form
from sop_planner.errors import DomainError
from territories.models import Territory


def _require(user, action: str) -> None:
    """A page for roles that may take `action`; others get 403 with the reason."""
    if not can(user, action):
        raise PermissionDenied(denial(user, action, None))


def _board_url(cycle_id: int | None = None) -> str:
    url = reverse("cycles:board")
    return f"{url}?cycle={cycle_id}" if cycle_id else url


@login_required
def cycle_board(request):
    _require(request.user, "cycle.view")
    chosen = _id_param(request, "cycle")
    cycle = (
        get_object_or_404(Cycle.objects.select_related("owner"), pk=chosen)
        if chosen
        else selectors.current_cycle()
    )
    context = board.board_context(request.user, cycle) if cycle else {"cycle": None}
    if cycle:
        context |= hooks.board_panels_context(user=request.user, cycle=cycle)
    context["past_cycles"] = selectors.past_cycles()
    # A new cycle is offered only while none is in progress, whichever cycle is shown.
    context["can_open"] = can(request.user, "cycle.open") and opening.cycle_open_refusal() is None
    context["next_month"] = opening.month_to_open()
    return render(request, "cycles/board.html", context)


@login_required
@require_POST
def cycle_open_view(request):
    def call(data: dict) -> None:
        services.cycle_open(actor=request.user, month=data["month"])

    return run_form(request, forms.CycleOpenForm, call, success="Cycle opened.", back=_board_url())


@login_required
@require_POST
def cycle_advance_view(request, pk: int):
    def call(data: dict) -> None:
        services.cycle_advance(
            actor=request.user, cycle_id=pk, stage=data["stage"], reason=data["reason"]
        )

    return run_form(
        request, forms.AdvanceForm, call, success="The cycle moved on.", back=_board_url(pk)
    )


@login_required
@require_POST
def cycle_due_date_view(request, pk: int):
    def call(data: dict) -> None:
        services.cycle_due_date_set(
            actor=request.user, cycle_id=pk, stage=data["stage"], due=data["due"]
        )

    return run_form(
        request, forms.DueDateForm, call, success="Due date changed.", back=_board_url(pk)
    )


@login_required
@require_POST
def cycle_send_back_view(request, pk: int):
    def call(data: dict) -> None:
        services.cycle_send_back(actor=request.user, cycle_id=pk, **data)

    return run_form(
        request, forms.SendBackForm, call, success="The cycle was sent back.", back=_board_url(pk)
    )


@login_required
@require_POST
def cycle_waive_view(request, pk: int):
    def call(data: dict) -> None:
        services.cycle_waive_item(actor=request.user, cycle_id=pk, **data)

    return run_form(request, forms.WaiveForm, call, success="Item waived.", back=_board_url(pk))


@login_required
@require_POST
def plan_submit_view(request, pk: int):
    def call(data: dict) -> None:
        services.plan_submit(
            actor=request.user, cycle_id=pk, plan=data["plan"], territory_id=data["territory"]
        )

    return run_form(
        request, forms.PlanSubmitForm, call, success="Plan submitted.", back=_board_url(pk)
    )


@login_required
def cycle_signoff(request, pk: int):
    _require(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle.objects.select_related("owner"), pk=pk)
    context = board.board_context(request.user, cycle)
    context["decisions"] = SignOffDecision.objects.filter(cycle=cycle).select_related("decided_by")
    context["measure_totals"] = selectors.plan_totals(cycle)
    context["required"] = gates.required_approvers().values()
    context["policy"] = gates.signoff_policy()
    context["approve_question"] = confirmations.approve_question(
        cycle, request.user.get_username()
    )
    context["reject_question"] = confirmations.reject_question(cycle)
    return render(request, "cycles/signoff.html", context)


@login_required
@require_POST
def cycle_decide_view(request, pk: int):
    rejected = request.POST.get("decision") == "reject"  # only picks the success message

    def call(data: dict) -> None:
        decide = services.cycle_reject if data["decision"] == "reject" else services.cycle_approve
        decide(actor=request.user, cycle_id=pk, comment=data["comment"])

    success = "Plan rejected: back to reconciliation." if rejected else "Approval recorded."
    return run_form(
        request,
        forms.SignOffForm,
        call,
        success=success,
        back=_board_url(pk),
        refused=reverse("cycles:sign-off", args=[pk]),
    )


def _id_param(request, name: str) -> int | None:
    """A row id from the query string; anything else is ignored, with a note saying so."""
    value = request.GET.get(name, "").strip()
    if value and not value.isdigit():
        messages.warning(request, f"Ignored {name} “{value}”: not a {name} number.")
        return None
    return int(value) if value else None


def _stage_param(request) -> str:
    value = request.GET.get("stage", "").strip()
    if value and value not in {stage.value for stage in Stage}:
        messages.warning(request, f"Ignored stage “{value}”: there is no such stage.")
        return ""
    return value


HISTORY_ROWS = 300  # the page lists the newest; the CSV export has them all


def _with_param(request, name: str, value) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    if value is not None:
        query[name] = value
    return query.urlencode()


@login_required
def history(request):
    _require(request.user, "audit.view")
    filters = {
        "cycle_id": _id_param(request, "cycle"),
        "stage": _stage_param(request),
        "username": request.GET.get("user", "").strip(),
        "territory_id": _id_param(request, "territory"),
        "product_id": _id_param(request, "product"),
    }
    events = audit_events(**filters)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            audit_csv_lines(events.iterator()), content_type="text/csv"
        )
        response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
        return response
    before = _id_param(request, "before")
    shown = list(events_before(events, before)[: HISTORY_ROWS + 1])
    older = shown[HISTORY_ROWS - 1].pk if len(shown) > HISTORY_ROWS else None
    return render(
        request,
        "cycles/history.html",
        {
            "events": shown[:HISTORY_ROWS],
            "event_count": events.count(),
            "before": before,
            "older_query": _with_param(request, "before", older) if older else "",
            "newest_query": _with_param(request, "before", None),
            "filters": filters,
            "cycles": Cycle.objects.all(),
            "stages": list(Stage),
            "territories": Territory.objects.all(),
            "people": get_user_model().objects.order_by("first_name", "last_name", "username"),
            "products": Product.objects.order_by("sku")[:500],
            "query": request.GET.urlencode(),
        },
    )


@login_required
def guide_edit(request, stage: str):
    """The Sales Effectiveness Manager edits a stage's guide: one line per checklist item."""
    _require(request.user, "guides.edit")
    stage_enum = services.as_stage(stage)
    guide = selectors.stage_guide(stage_enum)
    if request.method == "POST":
        form = forms.GuideForm(request.POST)
        text, lines = request.POST.get("text", ""), request.POST.get("checklist", "")
        try:
            if not form.is_valid():
                raise form_refusal(form)
            services.stage_guide_save(
                actor=request.user,
                stage=stage_enum,
                text=form.cleaned_data["text"],
                checklist=form.cleaned_data["checklist"].splitlines(),
            )
        except DomainError as error:
            messages.error(request, error.message)
            guide = selectors.Guide(stage_enum, text, lines.splitlines(), edited=guide.edited)
        else:
            messages.success(request, f"Guide of {stage_enum.label} saved.")
            return redirect("cycles:board")
    context = {"guide": guide, "stages": list(Stage), "checklist_text": "\n".join(guide.checklist)}
    return render(request, "cycles/guide_form.html", context)


@login_required
def version_export(request, pk: int, version: str):
    """Ask for a version (or the plan as it stands: 'now') as CSV: a worker builds the file,
    the page that follows it offers the download. A plain link (GET) leads to the versions."""
    _require(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        selectors.version_seq(cycle, version)
    except selectors.UnknownVersion as error:
        context = {"title": "No such version", "message": error.message}
        return render(request, "error.html", context, status=404)
    if request.method != "POST":
        messages.info(request, "Choose CSV next to a version: the file is built for you here.")
        return redirect("cycles:compare", pk=pk)
    params = {"cycle": cycle.pk, "version": version}
    job = export_request(actor=request.user, kind="version_csv", params=params)
    return redirect("exports:job", pk=job.pk)
