"""What each cycle move does, in words: the question a button asks before it is sent.

Plain strings from the stage table and the sign-off rule, so the board and the
sign-off page say the same thing the services then do.
"""

from cycles import gates
from cycles.models import Cycle
from cycles.stages import Stage

# What leaving each stage does, beyond moving on and saving a version of the plan.
LEAVING = {
    Stage.DATA_GATHERING: "The statistical forecast is recomputed from the actuals now in.",
    Stage.DEMAND_PLANNING: "The demand plan is then frozen for this cycle: no more overrides, "
    "promotions or launches.",
    Stage.SUPPLY_PLANNING: "The supply plan is then fixed; reconciliation compares demand, "
    "supply and budget.",
    Stage.RECONCILIATION: "The executives are asked to approve or reject the plan.",
}


def advance_question(cycle: Cycle) -> str:
    """'Move S&OP 2026-12 from Demand planning to Supply planning? ...'."""
    stage = cycle.stage_enum
    later = list(Stage)[list(Stage).index(stage) + 1 :]
    if not later:
        return ""
    following = later[0]
    return (
        f"Move {cycle} from {stage.label} to {following.label}? "
        f"{LEAVING.get(stage, '')} The plan as it stands is saved as a version."
    )


def approve_question(cycle: Cycle, username: str) -> str:
    """Whether this approval releases the plan, or waits for the other executives."""
    if gates.signoff_policy() == "any":
        waiting: list[str] = []
    else:
        done = gates.current_approvals(cycle) | {username}
        waiting = [name for user, name in gates.required_approvers().items() if user not in done]
    if waiting:
        return (
            f"Approve the {cycle.month:%Y-%m} plan? Your approval is recorded; the plan is "
            f"released once {', '.join(waiting)} approve{'s' if len(waiting) == 1 else ''} too."
        )
    return (
        f"Approve the {cycle.month:%Y-%m} plan? It is then released and locked: nobody can "
        "change it, and it is scored against the actuals as they come in."
    )


def reject_question(cycle: Cycle) -> str:
    return (
        f"Reject the {cycle.month:%Y-%m} plan? It goes back to reconciliation with your "
        "comment, and the cycle owner is told why."
    )
