"""Reads for the cycle board: progress, open items and the buttons this user may press.

Buttons come from the stage table and the permission predicate, so the board
never offers what the service would refuse for the user's role.
"""

from dataclasses import dataclass

from django.utils import timezone

from accounts.permissions import can
from audit.models import AuditEvent
from audit.wording import action_words
from cycles import confirmations, gates, selectors, stages
from cycles.models import Cycle, SignOffDecision
from cycles.stages import MoveKind, Stage
from territories.selectors import active_territories


@dataclass(frozen=True)
class Buttons:
    advance: bool = False
    send_back_to: tuple[Stage, ...] = ()
    waive: bool = False
    submit_territories: tuple = ()
    submit_supply: bool = False
    sign_off: bool = False
    due_dates: bool = False


def _may_move(user, cycle: Cycle, kind: MoveKind) -> list[stages.Move]:
    return [m for m in stages.moves_from(cycle.stage_enum, kind) if can(user, m.action)]


def _submittable_territories(user, cycle: Cycle) -> tuple:
    if not can(user, "plan.demand.submit", cycle):
        return ()
    done = set(
        gates.current_submissions(cycle, Stage.DEMAND_PLANNING).values_list(
            "territory_id", flat=True
        )
    )
    return tuple(
        t
        for t in active_territories()
        if t.pk not in done and can(user, "plan.demand.submit", territory_id=t.pk)
    )


def _may_decide(user, cycle: Cycle) -> bool:
    if not can(user, "cycle.approve", cycle):
        return False
    if user.get_username() not in gates.required_approvers():
        return False
    return not SignOffDecision.objects.filter(
        cycle=cycle, move_no=cycle.move_count, decided_by=user
    ).exists()


def buttons_for(user, cycle: Cycle, *, has_open_items: bool) -> Buttons:
    """Exactly the actions this user may take on this cycle now."""
    if cycle.is_released:
        return Buttons()
    supply_done = gates.current_submissions(cycle, Stage.SUPPLY_PLANNING).exists()
    return Buttons(
        advance=bool(_may_move(user, cycle, MoveKind.ADVANCE)),
        send_back_to=tuple(m.target for m in _may_move(user, cycle, MoveKind.SEND_BACK)),
        waive=has_open_items and can(user, "cycle.waive", cycle),
        submit_territories=_submittable_territories(user, cycle),
        submit_supply=not supply_done and can(user, "plan.supply.submit", cycle),
        sign_off=_may_decide(user, cycle),
        due_dates=can(user, "cycle.due_dates", cycle),
    )


def timeline(cycle: Cycle, limit: int = 50) -> list[AuditEvent]:
    """The cycle's events, newest first, each with `words` saying what happened."""
    events = list(AuditEvent.objects.filter(cycle_id=cycle.pk).select_related("actor")[:limit])
    moves = {"cycle.advance", "cycle.send_back", "cycle.reject"}
    for event in events:
        event.words = action_words(event.action)
        if event.action in moves and event.after:
            event.words += f" to {Stage(event.after['stage']).label}"
    return events


def _any_waivable(items: list) -> bool:
    return any(item.kind != gates.APPROVAL_KIND for item in items)


def board_context(user, cycle: Cycle) -> dict:
    waivers = gates.waived_items(cycle)
    open_items = gates.open_gate_items(cycle, waivers) if not cycle.is_released else []
    today = timezone.localdate()
    progress = [
        {
            "stage": stage,
            "state": state,
            "due": cycle.due_date(stage),
            "overdue": state == "current" and (cycle.due_date(stage) or today) < today,
        }
        for stage, state in stages.stages_with_state(cycle.stage_enum, released=cycle.is_released)
    ]
    return {
        "cycle": cycle,
        "progress": progress,
        "open_items": open_items,
        "waivers": waivers,
        "pending": gates.pending_actions(cycle, waivers),
        "buttons": buttons_for(user, cycle, has_open_items=_any_waivable(open_items)),
        "advance_question": confirmations.advance_question(cycle),
        "timeline": timeline(cycle),
        "guide": selectors.stage_guide(cycle.stage_enum),
        "can_edit_guide": can(user, "guides.edit"),
    }
