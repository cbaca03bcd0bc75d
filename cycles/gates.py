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
from cycles.hooks import GateItem
from cycles.measures import MeasureCode
from cycles.models import Cycle, GateWaiver, PlanValue, SignOffDecision, StageSubmission
from cycles.stages import SignOffPolicy, Stage
from territories.selectors import active_territories, planners_today


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def actuals_period(cycle: Cycle):
    return add_months(cycle.month, -1)


def _missing_actuals(cycle: Cycle) -> list:
    have = hooks.territories_with_actuals(actuals_period(cycle))
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


BUDGET_KIND = "budget"
APPROVAL_KIND = "approval"


def actuals_item(territory, period) -> GateItem:
    text = f"Territory {territory.name} has no actuals for {period:%Y-%m}"
    return GateItem(kind="actuals", object_id=str(territory.pk), text=text)


def demand_item(territory) -> GateItem:
    text = f"Demand plan of territory {territory.name} not submitted"
    return GateItem(kind="demand_submission", object_id=str(territory.pk), text=text)


def baseline_item(territory) -> GateItem:
    text = (
        f"Baseline of territory {territory.name} not loaded: the forecast run has not "
        "finished, so its demand plan cannot be submitted yet"
    )
    return GateItem(kind="baseline", object_id=str(territory.pk), text=text)


SUPPLY_ITEM = GateItem(
    kind="supply_submission", object_id="plan", text="Supply plan not submitted"
)


def baseline_loaded(cycle: Cycle, territory) -> bool:
    """Has the territory's statistical baseline landed in this cycle's plan?

    The one place that decides it, so a 'baseline loaded' marker on forecast runs
    can replace the plan-rows test later.
    """
    return (
        PlanValue.objects.live()
        .filter(cycle=cycle, measure=MeasureCode.BASELINE, territory=territory)
        .exists()
    )


def _approval_items(cycle: Cycle) -> list[GateItem]:
    missing = stages.signoff_missing(
        signoff_policy(), required=required_approvers(), approved=current_approvals(cycle)
    )
    return [GateItem(kind=APPROVAL_KIND, object_id=text, text=text) for text in missing]


def _builtin_items(cycle: Cycle) -> list[GateItem]:
    stage = cycle.stage_enum
    if stage is Stage.DATA_GATHERING:
        period = actuals_period(cycle)
        return [actuals_item(t, period) for t in _missing_actuals(cycle)]
    if stage is Stage.DEMAND_PLANNING:
        unsubmitted = _unsubmitted_territories(cycle)
        no_baseline = [t for t in unsubmitted if not baseline_loaded(cycle, t)]
        return [baseline_item(t) for t in no_baseline] + [demand_item(t) for t in unsubmitted]
    if stage is Stage.SUPPLY_PLANNING:
        done = current_submissions(cycle, Stage.SUPPLY_PLANNING).exists()
        return [] if done else [SUPPLY_ITEM]
    if stage is Stage.SIGN_OFF:
        return _approval_items(cycle)
    return []


def gate_items(cycle: Cycle) -> list[GateItem]:
    """Everything that keeps the cycle in its stage, waived or not."""
    extra = [
        item
        for check in hooks.registered_gate_checks(cycle.stage_enum)
        for item in check(cycle=cycle)
    ]
    return _builtin_items(cycle) + extra


def waived_items(cycle: Cycle) -> list[GateWaiver]:
    return list(
        GateWaiver.objects.filter(cycle=cycle, stage=cycle.stage).select_related("waived_by")
    )


def is_waived(item: GateItem, waivers: list[GateWaiver]) -> bool:
    """Matched on what the item is about; a legacy waiver (no kind) on its sentence."""
    return any(
        (waiver.kind, waiver.object_id) == (item.kind, item.object_id)
        if waiver.kind
        else waiver.item == item.text
        for waiver in waivers
    )


def open_gate_items(cycle: Cycle, waivers: list[GateWaiver] | None = None) -> list[GateItem]:
    """The items that still block leaving the current stage, in their original order
    (`waivers`: the stage's waivers where the caller has read them already)."""
    waivers = waived_items(cycle) if waivers is None else waivers
    return [item for item in gate_items(cycle) if not is_waived(item, waivers)]


def open_items(cycle: Cycle) -> list[str]:
    """The open items in words."""
    return [item.text for item in open_gate_items(cycle)]


def item_waived(cycle: Cycle, item: GateItem) -> bool:
    return is_waived(item, waived_items(cycle))


@dataclass
class PendingAction:
    users: list
    what: str
    territory: str = ""
    waived: bool = False

    @property
    def who(self) -> list[str]:
        return [display_name(user) for user in self.users] or ["nobody assigned"]


def pending_actions(cycle: Cycle, waivers: list[GateWaiver] | None = None) -> list[PendingAction]:
    """Who still has to act in the current stage, by name and territory (`waivers`: the
    stage's waivers where the caller has read them already)."""
    if cycle.is_released:
        return []
    stage = cycle.stage_enum
    waivers = waived_items(cycle) if waivers is None else waivers
    if stage is Stage.DATA_GATHERING:
        period = actuals_period(cycle)
        analysts = list(users_with_role(Role.SALES_OPS_ANALYST))
        planners = planners_today()
        return [
            PendingAction(
                users=planners.get(t.pk, []) + analysts,
                what=f"Upload actuals for {period:%Y-%m}",
                territory=t.name,
                waived=is_waived(actuals_item(t, period), waivers),
            )
            for t in _missing_actuals(cycle)
        ]
    if stage is Stage.DEMAND_PLANNING:
        planners = planners_today()
        return [
            PendingAction(
                users=planners.get(t.pk, []),
                what="Submit the demand plan",
                territory=t.name,
                waived=is_waived(demand_item(t), waivers),
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
    return [
        *_finance_actions(cycle, waivers),
        PendingAction(users=[cycle.owner], what="Decide every open gap and move on"),
    ]


def _finance_actions(cycle: Cycle, waivers: list[GateWaiver]) -> list[PendingAction]:
    """Finance loads the budget for the horizon; listed until it is there or waived."""
    finance = list(users_with_role(Role.FINANCE))
    return [
        PendingAction(users=finance, what=item.text, waived=is_waived(item, waivers))
        for item in gate_items(cycle)
        if item.kind == BUDGET_KIND
    ]


def users_to_act(cycle: Cycle) -> list:
    """The people the current stage is waiting for (waived items wait for nobody)."""
    people = {u.pk: u for a in pending_actions(cycle) if not a.waived for u in a.users}
    return list(people.values())
