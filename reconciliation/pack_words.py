"""The executive pack's words: plan figures and decisions as a board member reads them.

The screens name measures the way planners work with them ("Demand override",
"Baseline, lower bound"); an executive reads what each figure means. Plain Python.
"""

from datetime import date

MEASURE_WORDS: dict[str, str] = {
    "baseline": "Statistical forecast",
    "baseline_low": "Statistical forecast, low end of its likely range",
    "baseline_high": "Statistical forecast, high end of its likely range",
    "override": "Planners' adjustments to the forecast",
    "events": "Promotions and product launches",
    "consensus": "Agreed demand",
    "capacity": "Production capacity",
    "opening_inventory": "Stock at the start",
    "inventory_target": "Target stock",
    "target_weeks": "Target stock, weeks of sales",
    "min_production": "Minimum production run",
    "max_cover": "Most stock allowed, weeks of sales",
    "production": "Planned production",
    "shortage": "Demand we cannot supply",
    "projected_inventory": "Expected stock",
    "budget_units": "Budget, units",
    "budget_revenue": "Budget, revenue",
    "price": "Planned price",
}

FIGURE_WORDS: dict[str, str] = {
    "demand": "Agreed demand (units)",
    "supply": "Units we can ship",
    "shortage": "Demand we cannot supply (units)",
    "budget_units": "Budget (units)",
    "demand_revenue": "Revenue if all demand were shipped",
    "revenue": "Revenue",
    "margin": "Margin",
    "budget_revenue": "Budget revenue",
    "inventory": "Closing stock (units)",
}

DECISION_WORDS: dict[str, str] = {
    "accept": "Accepted as planned",
    "adjust_demand": "Demand plan to be changed",
    "adjust_supply": "Supply plan to be changed",
    "escalate": "Escalated: needs an executive decision",
}

SIGNOFF_WORDS: dict[str, str] = {"approve": "Approved", "reject": "Rejected"}

GAP_KIND_WORDS: dict[str, str] = {
    "shortage": "Demand we cannot supply",
    "revenue": "Revenue below budget",
}

NO_DECISION = "No decision yet"


def measure_words(code: str) -> str:
    return MEASURE_WORDS.get(code, code.replace("_", " ").capitalize())


def decision_words(code: str | None) -> str:
    return DECISION_WORDS.get(code or "", NO_DECISION)


def month_words(month: date) -> str:
    """Jan 2027: the month as people say it, not 2027-01."""
    return f"{month:%b %Y}"
