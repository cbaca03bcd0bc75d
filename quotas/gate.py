"""The reconciliation gate waits for a decision on every territory whose plan is off its
quota by more than the threshold, as it waits for supply gaps."""

from cycles.hooks import GateItem, gate_check
from cycles.stages import Stage

KIND = "quota_gap"


@gate_check(Stage.RECONCILIATION)
def undecided_quota_gaps(*, cycle) -> list[GateItem]:
    from quotas.vs_plan import undecided

    return [
        GateItem(
            kind=KIND,
            object_id=str(row.territory.pk),
            text=f"No decision on the gap between quota and plan in {row.territory}: "
            f"the plan is {row.gap_pct:+.1f}% against quota",
        )
        for row in undecided(cycle)
    ]
