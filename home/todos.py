"""What each person must do in the cycle, by when: the home page's to-do list.

Built from the same reads the board uses (who still has to act, the gates,
the budget, the carried-forward proposals), per person: a planner's own
territories, Finance's budget months, an executive's approval, the owner's
stage move. A to-do whose stage has not come yet is listed as upcoming, so
everybody sees their next deadline all month.
"""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from accounts.permissions import can, owns
from carryforward import rules
from carryforward import selectors as carry
from collaboration.models import ActionItem, Notification
from cycles import gates, opening
from cycles.models import Cycle
from cycles.stages import STAGE_ORDER, Stage
from reconciliation.selectors import months_without_budget, undecided_gaps
from territories.selectors import territories_planned_by


@dataclass(frozen=True)
class ToDo:
    text: str
    url: str
    due: date | None = None
    detail: str = ""
    upcoming: str = ""  # the stage it opens in, when that stage has not come yet

    @property
    def when(self) -> str:
        return f"by {day(self.due)}" if self.due else ""


def day(value: date) -> str:
    """'Wed 9 Dec': how a deadline reads on a to-do."""
    return f"{value:%a} {value.day} {value:%b}"


def todos(user, cycle: Cycle | None) -> list[ToDo]:
    """Everything this user must do now (or next) in the open cycle; after a release, what next."""
    if cycle is None:
        return _after_release(user)
    found = [
        *_proposals(user, cycle),
        *_actuals(user, cycle),
        *_demand(user, cycle),
        *_supply(user, cycle),
        *_budget(user, cycle),
        *_approval(user, cycle),
        *_owner(user, cycle),
    ]
    return sorted(found, key=lambda todo: (bool(todo.upcoming), todo.due or date.max))


def _before_or_in(cycle: Cycle, stage: Stage) -> str | None:
    """None when the stage is over; '' while it runs; its name while it is still to come."""
    here, there = STAGE_ORDER.index(cycle.stage_enum), STAGE_ORDER.index(stage)
    if cycle.is_released or here > there:
        return None
    return "" if here == there else stage.label


def _names(territories) -> str:
    return ", ".join(getattr(t, "name", t) for t in territories)


def _actuals(user, cycle: Cycle) -> list[ToDo]:
    if cycle.stage_enum is not Stage.DATA_GATHERING:
        return []
    missing = [
        action.territory
        for action in gates.pending_actions(cycle)
        if not action.waived and user in action.users
    ]
    if not missing:
        return []
    period = gates.actuals_period(cycle)
    return [
        ToDo(
            f"Upload the {period:%b %Y} actuals of {_names(missing)}",
            reverse("uploads:page"),
            cycle.due_date(Stage.DATA_GATHERING),
        )
    ]


def _demand(user, cycle: Cycle) -> list[ToDo]:
    upcoming = _before_or_in(cycle, Stage.DEMAND_PLANNING)
    if upcoming is None or not can(user, "plan.demand.submit"):
        return []
    submitted = set(
        gates.current_submissions(cycle, Stage.DEMAND_PLANNING).values_list(
            "territory_id", flat=True
        )
    )
    open_ones = [t for t in territories_planned_by(user) if t.pk not in submitted and t.is_active]
    if not open_ones:
        return []
    url = reverse("demand:grid-of", args=[cycle.pk])
    return [
        ToDo(f"Submit {_names(open_ones)}", url, cycle.due_date(Stage.DEMAND_PLANNING),
             "Your demand plan: review the baseline, override with a reason, submit.", upcoming)
    ]  # fmt: skip


def _supply(user, cycle: Cycle) -> list[ToDo]:
    upcoming = _before_or_in(cycle, Stage.SUPPLY_PLANNING)
    if upcoming is None or not can(user, "plan.supply.submit"):
        return []
    if gates.current_submissions(cycle, Stage.SUPPLY_PLANNING).exists():
        return []
    url = reverse("supply:cycle", args=[cycle.pk])
    return [
        ToDo("Submit the supply plan", url, cycle.due_date(Stage.SUPPLY_PLANNING),
             "Capacity, inventory and targets per family; compute, check the flags.", upcoming)
    ]  # fmt: skip


def _budget(user, cycle: Cycle) -> list[ToDo]:
    if _before_or_in(cycle, Stage.RECONCILIATION) is None or not can(user, "plan.budget.edit"):
        return []
    missing = months_without_budget(cycle)
    if not missing:
        return []
    url = reverse("reconciliation:cycle", args=[cycle.pk])
    return [
        ToDo(f"Enter the budget for {rules.month_span(missing)}", url,
             cycle.due_date(Stage.RECONCILIATION), "Units and revenue per family and territory.")
    ]  # fmt: skip


def _approval(user, cycle: Cycle) -> list[ToDo]:
    upcoming = _before_or_in(cycle, Stage.SIGN_OFF)
    if upcoming is None or user.get_username() not in gates.required_approvers():
        return []
    if user.get_username() in gates.current_approvals(cycle):
        return []
    url = reverse("cycles:sign-off", args=[cycle.pk])
    text = f"Approve the {cycle.month:%Y-%m} plan"
    return [
        ToDo(text, url, cycle.due_date(Stage.SIGN_OFF), "Or reject it with a comment.", upcoming)
    ]


def _owner(user, cycle: Cycle) -> list[ToDo]:
    if not owns(user, cycle) or cycle.stage_enum is Stage.SIGN_OFF:
        return []
    stage = cycle.stage_enum
    todos = []
    if stage is Stage.RECONCILIATION:
        gaps = len(undecided_gaps(cycle))
        if gaps:
            url = reverse("reconciliation:cycle", args=[cycle.pk])
            todos.append(ToDo(f"Decide {gaps} open gap{'s' if gaps != 1 else ''}", url,
                              cycle.due_date(stage)))  # fmt: skip
    open_items = len(gates.open_items(cycle))
    detail = (
        f"{open_items} item{'s' if open_items != 1 else ''} still open."
        if open_items
        else "Its gate is clear."
    )
    todos.append(ToDo(f"Move {cycle} on from {stage.label}", reverse("cycles:board"),
                      cycle.due_date(stage), detail))  # fmt: skip
    return todos


def _proposals(user, cycle: Cycle) -> list[ToDo]:
    due_stage = {"supply": Stage.SUPPLY_PLANNING, "budget": Stage.RECONCILIATION,
                 "event": Stage.DEMAND_PLANNING}  # fmt: skip
    url = reverse("carryforward:cycle", args=[cycle.pk])
    todos = []
    for kind, proposals in carry.awaiting(user, cycle).items():
        label = proposals[0].get_kind_display().lower()
        what = ", ".join(str(p.family or p.event) for p in proposals)
        todos.append(
            ToDo(f"Confirm the {label} proposed from {proposals[0].source}", url,
                 cycle.due_date(due_stage[kind]), f"Carried forward: {what}.")
        )  # fmt: skip
    return todos


def _after_release(user) -> list[ToDo]:
    """No cycle in progress: the owner opens the next one and reassesses the last."""
    if not can(user, "cycle.open"):
        return []
    month = opening.month_to_open()
    todos = [ToDo(f"Open the {month:%Y-%m} cycle", reverse("cycles:board"), month,
                  "Last month's supply inputs, budget and running promotions are proposed.")]  # fmt: skip
    last = Cycle.objects.filter(status=Cycle.Status.RELEASED).order_by("-month").first()
    if last is not None:
        todos.append(
            ToDo(f"Reassess {last} once the {last.month:%b %Y} actuals are in",
                 reverse("reassessment:accuracy"), None,
                 "Accuracy, bias and the value added by each override source.")
        )  # fmt: skip
    return todos


def open_action_items(user):
    return ActionItem.objects.filter(owner=user, done_at=None).select_related("cycle")[:20]


def unread_mentions(user):
    return Notification.objects.filter(
        user=user, kind=Notification.Kind.MENTION, read_at=None
    ).select_related("cycle")[:10]
