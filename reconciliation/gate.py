"""The reconciliation and sign-off gates: a budget for the horizon, a decision on every gap.

Sign-off checks the gaps again, so no plan is released with a gap nobody decided.
"""

from cycles.gates import BUDGET_KIND
from cycles.hooks import GateItem, gate_check
from cycles.stages import Stage


def gap_item(gap) -> GateItem:
    return GateItem(kind="gap", object_id=gap.key, text=f"No decision on the gap: {gap.label}")


@gate_check(Stage.RECONCILIATION)
def budget_missing(*, cycle) -> list[GateItem]:
    from reconciliation.selectors import months_without_budget

    missing = months_without_budget(cycle)
    if not missing:
        return []
    months = ", ".join(f"{month:%Y-%m}" for month in missing)
    text = f"No budget for {months}: Finance loads the budget for the plan's horizon"
    return [GateItem(kind=BUDGET_KIND, object_id=str(cycle.pk), text=text)]


@gate_check(Stage.RECONCILIATION)
@gate_check(Stage.SIGN_OFF)
def undecided_gaps(*, cycle) -> list[GateItem]:
    from reconciliation.selectors import undecided_gaps as find

    return [gap_item(gap) for gap in find(cycle)]
