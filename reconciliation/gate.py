"""The reconciliation gate: every gap over a threshold needs a decision."""

from cycles.hooks import gate_check
from cycles.stages import Stage


@gate_check(Stage.RECONCILIATION)
def undecided_gaps(*, cycle) -> list[str]:
    from reconciliation.selectors import undecided_gaps as find

    return [f"No decision on the gap: {gap.label}" for gap in find(cycle)]
