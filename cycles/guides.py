"""What each stage expects from whom: the guide a new planner reads on the board. Plain Python.

These are the defaults; the Sales Effectiveness Manager rewrites them in the
tool (cycles.models.StageGuide), and the saved text wins.
"""

from cycles.stages import Stage

DEFAULT_GUIDES: dict[Stage, tuple[str, list[str]]] = {
    Stage.DATA_GATHERING: (
        "Last month's sales come in and are checked before anyone plans on them.",
        [
            "Sales Ops Analyst: upload the actuals of every territory for last month",
            "Fix every rejected row of the upload",
            "Cycle owner: chase or waive late territories, with a reason",
        ],
    ),
    Stage.DEMAND_PLANNING: (
        "Each demand planner turns the statistical baseline into their territory's demand plan.",
        [
            "Review the baseline of your territories",
            "Override where you know better, and say why",
            "Add promotions and launches",
            "Submit your demand plan",
        ],
    ),
    Stage.SUPPLY_PLANNING: (
        "Supply answers the frozen demand with a plan it can make and ship.",
        [
            "Enter capacity and opening inventory",
            "Set inventory targets",
            "Submit the supply plan",
        ],
    ),
    Stage.RECONCILIATION: (
        "Demand, supply and budget meet; every gap over the threshold gets a decision.",
        [
            "Finance: compare the plan with the budget",
            "Decide every open gap",
            "Send the cycle back if demand or supply must change",
        ],
    ),
    Stage.SIGN_OFF: (
        "The executives approve the plan (it is then released and locked) or reject it with a comment.",
        ["Read the summary", "Approve, or reject saying why"],
    ),
}
