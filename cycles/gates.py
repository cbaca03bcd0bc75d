"""Reads: the open items of a cycle's current stage and who still has to act.

Built-in checks cover what the cycles app knows (actuals, submissions,
approvals); other apps add theirs through cycles.hooks.gate_check.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.roles import Role
from accounts.selectors import users_with_role
from cycles import hooks, stages
from cycles.calendar import add_months
from cycles.models import Cycle, GateWaiver, SignOffDecision, StageSubmission
from cycles.stages import SignOffPolicy, Stage
from forecasting.selectors import territories_with_actuals
from territories.selectors import active_territories


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def actuals_period(cycle: Cycle):
    return add_months(cycle.month, -1)


def _missing_actuals(cycle: Cycle) -> list:
    have = territories_with_actuals(actuals_period(cycle))
    return [t for t in active_territories() if t.pk not in have]


def _unsubmitted_territories(cycle: Cycle) -> list:
    submitted = set(
        current_submissions(cycle, Stage.DEMAND_PLANNING).values_list("territory_id", flat=True)
    )
    return [t for t in active_territories() if t.pk not in submitted]


def current_submissions(cycle: Cycle, stage: Stage):
    """Submissions made since the cycle last entered the stage."""
    return StageSubmission.objects.filter(
        cycle=cycle, stage=stage.value, move_no=cycle.move_count
    ).select_related("territory", "submitted_by")


def required_approvers() -> dict[str, str]:
    """username -> name of the executives who sign off (settings, or every Executive)."""
    named = settings.SOP_SIGNOFF_APPROVERS
    users = (
        get_user_model().objects.filter(username__in=named, is_active=True)
        if named
        else users_with_role(Role.EXECUTIVE)
    )
    return {user.get_username(): display_name(user) for user in users}


def signoff_policy() -> SignOffPolicy:
    return SignOffPolicy(settings.SOP_SIGNOFF_POLICY)


def current_approvals(cycle: Cycle) -> set[str]:
    return set(
        SignOffDecision.objects.filter(
            cycle=cycle, move_no=cycle.move_count, decision=SignOffDecision.Decision.APPROVE
        ).values_list("decided_by__username", flat=True)
    )


def actuals_item(territory, period) -> str:
    return f"Territory {territory.name} has no actuals for {period:%Y-%m}"


def demand_item(territory) -> str:
    return f"Demand plan of territory {territory.name} not submitted"


def _builtin_items(cycle: Cycle) -> list[str]:
    stage = cycle.stage_enum
    if stage is Stage.DATA_GATHERING:
        period = actuals_period(cycle)
        return [actuals_item(t, period) for t in _missing_actuals(cycle)]
    if stage is Stage.DEMAND_PLANNING:
        return [demand_item(t) for t in _unsubmitted_territories(cycle)]
    if stage is Stage.SUPPLY_PLANNING:
        done = current_submissions(cycle, Stage.SUPPLY_PLANNING).exists()
        return [] if done else ["Supply plan not submitted"]
    if stage is Stage.SIGN_OFF:
        return stages.signoff_missing(
            signoff_policy(), required=required_approvers(), approved=current_approvals(cycle)
        )
    return []


def gate_items(cycle: Cycle) -> list[str]:
    """Everything that keeps the cycle in its stage, waived or not."""
    extra = [
        item
        for check in hooks.registered_gate_checks(cycle.stage_enum)
        for item in check(cycle=cycle)
    ]
    return _builtin_items(cycle) + extra


def waived_items(cycle: Cycle) -> dict[str, GateWaiver]:
    waivers = GateWaiver.objects.filter(cycle=cycle, stage=cycle.stage).select_related("waived_by")
    return {waiver.item: waiver for waiver in waivers}


def open_items(cycle: Cycle) -> list[str]:
    """The items that still block leaving the current stage."""
    return stages.outstanding(gate_items(cycle), set(waived_items(cycle)))


@dataclass
class PendingAction:
    users: list
    what: str
    territory: str = ""
    waived: bool = False

    @property
    def who(self) -> list[str]:
        return [display_name(user) for user in self.users] or ["nobody assigned"]


def pending_actions(cycle: Cycle) -> list[PendingAction]:
    """Who still has to act in the current stage, by name and territory."""
    if cycle.is_released:
        return []
    stage = cycle.stage_enum
    waived = set(waived_items(cycle))
    if stage is Stage.DATA_GATHERING:
        period = actuals_period(cycle)
        analysts = list(users_with_role(Role.SALES_OPS_ANALYST))
        return [
            PendingAction(
                users=list(t.planners.all()) + analysts,
                what=f"Upload actuals for {period:%Y-%m}",
                territory=t.name,
                waived=actuals_item(t, period) in waived,
            )
            for t in _missing_actuals(cycle)
        ]
    if stage is Stage.DEMAND_PLANNING:
        return [
            PendingAction(
                users=list(t.planners.all()),
                what="Submit the demand plan",
                territory=t.name,
                waived=demand_item(t) in waived,
            )
            for t in _unsubmitted_territories(cycle)
        ]
    if stage is Stage.SUPPLY_PLANNING and not current_submissions(cycle, stage).exists():
        return [
            PendingAction(
                users=list(users_with_role(Role.SUPPLY_PLANNER)), what="Submit the supply plan"
            )
        ]
    if stage is Stage.SIGN_OFF:
        missing = set(required_approvers()) - current_approvals(cycle)
        users = get_user_model().objects.filter(username__in=missing).order_by("username")
        return (
            [PendingAction(users=list(users), what="Approve or reject the plan")]
            if missing
            else []
        )
    return [PendingAction(users=[cycle.owner], what="Decide every open gap and move on")]


def users_to_act(cycle: Cycle) -> list:
    """The people the current stage is waiting for (waived items wait for nobody)."""
    people = {u.pk: u for a in pending_actions(cycle) if not a.waived for u in a.users}
    return list(people.values())
