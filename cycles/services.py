"""Writes of the cycles app: the planning calendar and the cycle's workflow.

Every move locks the cycle row, checks the role (accounts.roles), the stage the
user saw (so two people cannot both move it), the stage table and its gate,
snapshots a plan version and writes the audit record, all in one transaction.
"""

from datetime import date
from enum import StrEnum
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import can, ensure_allowed
from accounts.roles import Role
from accounts.selectors import users_with_role
from accounts.typing import User
from audit.services import audit_record, audited_save
from cycles import calendar, gates, hooks, opening, stages
from cycles.calendar import month_start
from cycles.hooks import GateItem
from cycles.models import (
    CalendarMonth,
    Cycle,
    GateWaiver,
    PlanVersion,
    SignOffDecision,
    StageGuide,
    StageSubmission,
)
from cycles.plan_services import locked_cycle, plan_version_snapshot, refuse_if_released
from cycles.selectors import baseline_in_plan
from cycles.stages import Move, MoveKind, Stage, TransitionError
from sop_planner.errors import Conflict, DomainError, NotAllowed
from territories.models import Territory
from territories.selectors import active_territories


@transaction.atomic
def calendar_month_save(*, actor: User, month: CalendarMonth, reason: str = "") -> CalendarMonth:
    ensure_allowed(actor, "calendar.edit")
    return audited_save(
        actor=actor,
        instance=month,
        fields=["month", "holidays", "note"],
        action="calendar.save",
        reason=reason,
    )


def stage_due_dates(month: date) -> dict[str, str]:
    """Due date per stage: working days of the month from settings, less its holidays."""
    entry = CalendarMonth.objects.filter(month=month).first()
    holidays = entry.holiday_dates() if entry else frozenset()
    days = calendar.due_dates(month, settings.SOP_STAGE_DUE_WORKING_DAYS, holidays)
    return {stage.value: day.isoformat() for stage, day in zip(Stage, days, strict=False)}


def _cycle_create(*, month: date, owner, actor: User | None, reason: str) -> Cycle:
    month = month_start(month)
    if Cycle.objects.filter(month=month).exists():
        raise DomainError(f"The cycle for {month:%Y-%m} is already open.")
    try:
        with transaction.atomic():
            cycle = Cycle.objects.create(
                month=month, owner=owner, stage_due=stage_due_dates(month)
            )
    except IntegrityError:
        # Somebody else opened a cycle between the check and the save: say which one.
        raise DomainError(
            opening.cycle_open_refusal() or f"The cycle for {month:%Y-%m} is already open."
        ) from None
    audit_record(
        actor=actor,
        action="cycle.open",
        obj=cycle,
        after={"month": f"{month:%Y-%m}", "owner": owner.get_username(), "due": cycle.stage_due},
        reason=reason,
        cycle_id=cycle.pk,
    )
    hooks.run_cycle_open_hooks(cycle=cycle)
    return cycle


@transaction.atomic
def cycle_open(*, actor: User, month: date, owner=None) -> Cycle:
    """The Sales Ops Manager opens the month's cycle and leads it (or names who does)."""
    ensure_allowed(actor, "cycle.open")
    refusal = opening.cycle_open_refusal(month)
    if refusal:
        raise DomainError(refusal)
    owner = owner or actor
    if not can(owner, "cycle.advance"):
        raise DomainError(
            f"{gates.display_name(owner)} cannot lead a cycle: they may not move it."
        )
    return _cycle_create(month=month, owner=owner, actor=actor, reason="")


@transaction.atomic
def cycle_open_automatically(*, month: date, owner, reason: str) -> Cycle:
    """Open a cycle without a person at the keyboard (beat's monthly job, the demo seed)."""
    return _cycle_create(month=month, owner=owner, actor=None, reason=reason)


def cycle_open_if_missing(*, today: date) -> Cycle | None:
    """Beat's monthly job: open this month's cycle, led by a Sales Ops Manager.

    Returns None when the cycle exists already, another is still in progress (the next
    cycle opens once it is released: the manager opens it from the board then), or nobody
    can own it.
    """
    owner = users_with_role(Role.SALES_OPS_MANAGER).first()
    if owner is None or opening.cycle_open_refusal() is not None:
        return None
    if Cycle.objects.filter(month=month_start(today)).exists():
        return None
    return cycle_open_automatically(
        month=today, owner=owner, reason="Opened automatically on the first day of the month"
    )


def as_stage(value: Stage | str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        names = ", ".join(stage.value for stage in Stage)
        raise DomainError(f"{value!r} is not a stage; stages are {names}.") from None


def _expect_stage(cycle: Cycle, stage: Stage | str) -> None:
    """Refuse when the cycle is no longer where the user saw it: someone moved it first."""
    refuse_if_released(cycle)
    seen = as_stage(stage)
    if cycle.stage != seen.value:
        raise Conflict(
            f"{cycle} is already in {cycle.stage_enum.label} (you saw {seen.label}): "
            "someone moved it first. Nothing changed."
        )


def _check(move: Move, *, open_items: list[str], reason: str) -> None:
    try:
        stages.check_move(move, open_items=open_items, reason=reason)
    except TransitionError as error:
        raise DomainError(error.message, items=error.items) from None


def _find(source: Stage, kind: MoveKind, target: Stage | None = None) -> Move:
    try:
        return stages.find_move(source, kind, target)
    except TransitionError as error:
        raise DomainError(error.message, items=error.items) from None


def _make_move(cycle: Cycle, move: Move, *, actor: User, reason: str) -> Cycle:
    """Snapshot the stage being left, move (or release), audit, and run exit hooks after commit."""
    left = cycle.stage_enum
    version = _exit_snapshot(cycle, left, move, actor=actor)
    cycle.move_count += 1
    if move.target is None:
        cycle.status, cycle.released_at = Cycle.Status.RELEASED, timezone.now()
        # before the save: once the row says released, PostgreSQL locks what hangs off it
        hooks.run_release_hooks(cycle=cycle)
    else:
        cycle.stage = move.target.value
    cycle.save()
    audit_record(
        actor=actor,
        action=f"cycle.{move.kind.value}",
        obj=cycle,
        before={"stage": left.value},
        after={
            "stage": cycle.stage,
            "status": cycle.status,
            "version": version.seq if version else None,
        },
        reason=reason,
        cycle_id=cycle.pk,
    )
    actor_id = actor.pk if actor is not None else None
    # robust: the move is committed; a failing hook is logged, not shown as the move failing.
    transaction.on_commit(
        partial(hooks.run_stage_exit_hooks, stage=left, cycle_id=cycle.pk, actor_id=actor_id),
        robust=True,
    )
    return cycle


def _exit_snapshot(cycle: Cycle, left: Stage, move: Move, *, actor: User) -> PlanVersion | None:
    """The version of the stage being left; none when data gathering ends before a baseline.

    Until a forecast run is loaded the plan holds no demand: a version then would
    be "nothing", and every comparison with it would list the whole plan as new.
    The baseline load takes the cycle's first version instead.
    """
    if left is Stage.DATA_GATHERING and not baseline_in_plan(cycle):
        return None
    label = f"{cycle} · {left.label} → {move.target_label}"
    return plan_version_snapshot(cycle=cycle, actor=actor, label=label)


@transaction.atomic
def cycle_advance(*, actor: User, cycle_id: int, stage: Stage | str, reason: str = "") -> Cycle:
    """Move the cycle from `stage` (where the user saw it) to the next, once its gate is clear."""
    ensure_allowed(actor, "cycle.advance")
    cycle = locked_cycle(cycle_id)
    _expect_stage(cycle, stage)
    if cycle.stage_enum is Stage.SIGN_OFF:
        raise DomainError("Sign-off ends with the executives' approval, not with a move.")
    move = _find(cycle.stage_enum, MoveKind.ADVANCE)
    _check(move, open_items=gates.open_items(cycle), reason=reason)
    return _make_move(cycle, move, actor=actor, reason=reason)


@transaction.atomic
def cycle_send_back(
    *, actor: User, cycle_id: int, stage: Stage | str, to: Stage | str, reason: str
) -> Cycle:
    """Send the cycle back from reconciliation to demand or supply planning, saying why."""
    ensure_allowed(actor, "cycle.send_back")
    cycle = locked_cycle(cycle_id)
    _expect_stage(cycle, stage)
    move = _find(cycle.stage_enum, MoveKind.SEND_BACK, as_stage(to))
    _check(move, open_items=[], reason=reason)
    return _make_move(cycle, move, actor=actor, reason=reason)


@transaction.atomic
def cycle_waive_item(
    *, actor: User, cycle_id: int, stage: Stage | str, item: str, reason: str
) -> GateWaiver:
    """The cycle owner lets one open item of the current gate pass, with a written reason.

    `item` is the item's id ("kind:object id", as the board and the API list it);
    its sentence is still accepted for older clients.
    """
    ensure_allowed(actor, "cycle.waive")
    cycle = locked_cycle(cycle_id)
    _expect_stage(cycle, stage)
    ensure_allowed(actor, "cycle.waive", cycle)
    if not reason.strip():
        raise DomainError("A waiver needs a written reason.")
    gate_item = _open_item(cycle, item)
    waiver = GateWaiver.objects.create(
        cycle=cycle,
        stage=cycle.stage,
        kind=gate_item.kind,
        object_id=gate_item.object_id,
        item=gate_item.text,
        reason=reason.strip(),
        waived_by=actor,
    )
    audit_record(
        actor=actor,
        action="cycle.waive",
        obj=cycle,
        after={"stage": cycle.stage, "item": gate_item.text, "item_id": gate_item.id},
        reason=reason.strip(),
        cycle_id=cycle.pk,
    )
    return waiver


def _open_item(cycle: Cycle, wanted: str) -> GateItem:
    """The open item with this id (or, for older clients, this sentence); approvals excluded."""
    for item in gates.open_gate_items(cycle):
        if wanted in (item.id, item.text):
            if item.kind == gates.APPROVAL_KIND:
                raise DomainError("Approvals cannot be waived: the executives must sign off.")
            return item
    raise DomainError(f"'{wanted}' is not an open item of {cycle.stage_enum.label}.")


class Plan(StrEnum):
    """What a planner submits, the stage it belongs to and the action that may submit it."""

    DEMAND = "demand"
    SUPPLY = "supply"

    @property
    def stage(self) -> Stage:
        return Stage.DEMAND_PLANNING if self is Plan.DEMAND else Stage.SUPPLY_PLANNING

    @property
    def action(self) -> str:
        return f"plan.{self.value}.submit"


def _as_plan(value: Plan | str) -> Plan:
    try:
        return Plan(value)
    except ValueError:
        raise DomainError(f"{value!r} cannot be submitted: submit 'demand' or 'supply'.") from None


@transaction.atomic
def plan_submit(
    *, actor: User, cycle_id: int, plan: Plan | str, territory_id: int | None = None
) -> StageSubmission:
    """A planner hands in a territory's demand plan, or the supply plan, for the current stay."""
    plan = _as_plan(plan)
    territory_id = territory_id if plan is Plan.DEMAND else None
    ensure_allowed(actor, plan.action, territory_id=territory_id)
    if plan is Plan.DEMAND and territory_id is None:
        raise DomainError("Say which territory's demand plan you submit.")
    cycle = locked_cycle(cycle_id)
    refuse_if_released(cycle)
    if cycle.stage_enum is not plan.stage:
        raise DomainError(
            f"{cycle} is in {cycle.stage_enum.label}: the {plan.value} plan is submitted "
            f"in {plan.stage.label}."
        )
    territory = _active_territory(territory_id)
    what = f"demand plan of territory {territory}" if territory else "supply plan"
    _refuse_second_submission(cycle, plan.stage, territory, what)
    if territory is not None:
        _refuse_before_baseline(cycle, territory)
    submission = StageSubmission.objects.create(
        cycle=cycle,
        stage=plan.stage.value,
        territory=territory,
        move_no=cycle.move_count,
        submitted_by=actor,
    )
    audit_record(
        actor=actor,
        action="plan.submit",
        obj=cycle,
        after={"stage": plan.stage.value, "what": what},
        cycle_id=cycle.pk,
        territory_id=territory_id,
    )
    return submission


def _active_territory(territory_id: int | None) -> Territory | None:
    territory = active_territories().filter(pk=territory_id).first()  # type: ignore[misc]  # pk=None finds none, as meant
    if territory_id is not None and territory is None:
        raise DomainError(f"There is no active territory with id {territory_id}.")
    return territory


def _refuse_before_baseline(cycle: Cycle, territory: Territory) -> None:
    """A demand plan is submitted on top of its baseline, unless the owner waived that."""
    item = gates.baseline_item(territory)
    if not gates.baseline_loaded(cycle, territory) and not gates.item_waived(cycle, item):
        raise DomainError(
            f"The demand plan of territory {territory} cannot be submitted yet: its baseline "
            "is not loaded (the forecast run has not finished). Nothing was submitted."
        )


def _refuse_second_submission(cycle: Cycle, stage: Stage, territory, what: str) -> None:
    earlier = gates.current_submissions(cycle, stage).filter(territory=territory).first()
    if earlier:
        raise Conflict(
            f"The {what} was already submitted by {gates.display_name(earlier.submitted_by)}."
        )


def _decide(cycle: Cycle, actor: User, decision: str, comment: str) -> SignOffDecision:
    required = gates.required_approvers()
    if actor.get_username() not in required:
        names = ", ".join(required.values()) or "nobody"
        raise NotAllowed(f"This plan is signed off by {names}; you are not among them.")
    earlier = SignOffDecision.objects.filter(
        cycle=cycle, move_no=cycle.move_count, decided_by=actor
    ).first()
    if earlier:
        raise Conflict(f"You already decided on this plan ({earlier.decision}).")
    return SignOffDecision.objects.create(
        cycle=cycle, move_no=cycle.move_count, decided_by=actor, decision=decision, comment=comment
    )


@transaction.atomic
def cycle_approve(*, actor: User, cycle_id: int, comment: str = "") -> Cycle:
    """Record an executive's approval; the last one needed releases and locks the plan."""
    ensure_allowed(actor, "cycle.approve")
    cycle = locked_cycle(cycle_id)
    _expect_stage(cycle, Stage.SIGN_OFF)
    _refuse_signoff_with_open_items(cycle)
    _decide(cycle, actor, SignOffDecision.Decision.APPROVE, comment.strip())
    audit_record(
        actor=actor, action="cycle.approve", obj=cycle, reason=comment.strip(), cycle_id=cycle.pk
    )
    missing = gates.open_items(cycle)
    if missing:
        return cycle
    move = _find(Stage.SIGN_OFF, MoveKind.RELEASE)
    return _make_move(cycle, move, actor=actor, reason="All required approvals given")


def _refuse_signoff_with_open_items(cycle: Cycle) -> None:
    """Approval signs off a complete plan: every other item (e.g. a gap) decided or waived."""
    blocking = [i.text for i in gates.open_gate_items(cycle) if i.kind != gates.APPROVAL_KIND]
    if blocking:
        count = len(blocking)
        noun = "item is" if count == 1 else "items are"
        raise DomainError(
            f"The plan cannot be approved yet: {count} open {noun} left: " + "; ".join(blocking),
            items=blocking,
        )


@transaction.atomic
def cycle_reject(*, actor: User, cycle_id: int, comment: str) -> Cycle:
    """An executive rejects the plan with a comment: back to reconciliation."""
    ensure_allowed(actor, "cycle.reject")
    cycle = locked_cycle(cycle_id)
    _expect_stage(cycle, Stage.SIGN_OFF)
    move = _find(Stage.SIGN_OFF, MoveKind.REJECT)
    _check(move, open_items=[], reason=comment)
    _decide(cycle, actor, SignOffDecision.Decision.REJECT, comment.strip())
    return _make_move(cycle, move, actor=actor, reason=comment.strip())


@transaction.atomic
def cycle_due_date_set(*, actor: User, cycle_id: int, stage: Stage | str, due: date) -> Cycle:
    """The cycle owner moves a stage's due date (the calendar gives the defaults)."""
    ensure_allowed(actor, "cycle.due_dates")
    cycle = locked_cycle(cycle_id)
    refuse_if_released(cycle)
    ensure_allowed(actor, "cycle.due_dates", cycle)
    stage = as_stage(stage)
    if not cycle.month <= due <= calendar.add_months(cycle.month, 2):
        raise DomainError(f"{due} is too far from {cycle.month:%Y-%m} for a due date.")
    before = dict(cycle.stage_due)
    cycle.stage_due = {**cycle.stage_due, stage.value: due.isoformat()}
    cycle.save(update_fields=["stage_due", "updated_at"])
    audit_record(
        actor=actor,
        action="cycle.due_date",
        obj=cycle,
        before={"stage": stage.value, "due": before.get(stage.value)},
        after={"stage": stage.value, "due": due.isoformat()},
        cycle_id=cycle.pk,
    )
    return cycle


@transaction.atomic
def stage_guide_save(
    *, actor: User, stage: Stage | str, text: str, checklist: list[str]
) -> StageGuide:
    """The Sales Effectiveness Manager rewrites what a stage expects from whom."""
    ensure_allowed(actor, "guides.edit")
    stage = as_stage(stage)
    if not text.strip():
        raise DomainError(f"The guide of {stage.label} needs some text.")
    guide = StageGuide.objects.filter(stage=stage.value).first() or StageGuide(stage=stage.value)
    guide.text = text.strip()
    guide.checklist = [line.strip() for line in checklist if line.strip()]
    guide.updated_by = actor
    return audited_save(
        actor=actor,
        instance=guide,
        fields=["stage", "text", "checklist"],
        action="guide.save",
    )
