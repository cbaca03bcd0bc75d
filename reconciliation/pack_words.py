"""The executive pack's words: plan figures and decisions as a board member reads them.

The screens name measures the way planners work with them ("Demand override",
"Baseline, lower bound"); an executive reads what each figure means. Plain Python.
"""

from datetime import date

from cycles.measures import MeasureCode

MEASURE_WORDS: dict[str, str] = {
    MeasureCode.BASELINE: "Statistical forecast",
    MeasureCode.BASELINE_LOW: "Statistical forecast, low end of its likely range",
    MeasureCode.BASELINE_HIGH: "Statistical forecast, high end of its likely range",
    MeasureCode.OVERRIDE: "Planners' adjustments to the forecast",
    MeasureCode.EVENTS: "Promotions and product launches",
    MeasureCode.CONSENSUS: "Agreed demand",
    MeasureCode.CAPACITY: "Production capacity",
    MeasureCode.OPENING_INVENTORY: "Stock at the start",
    MeasureCode.INVENTORY_TARGET: "Target stock",
    MeasureCode.TARGET_WEEKS: "Target stock, weeks of sales",
    MeasureCode.MIN_PRODUCTION: "Minimum production run",
    MeasureCode.MAX_COVER: "Most stock allowed, weeks of sales",
    MeasureCode.PRODUCTION: "Planned production",
    MeasureCode.SHORTAGE: "Demand we cannot supply",
    MeasureCode.PROJECTED_INVENTORY: "Expected stock",
    MeasureCode.BUDGET_UNITS: "Budget, units",
    MeasureCode.BUDGET_REVENUE: "Budget, revenue",
    MeasureCode.PRICE: "Planned price",
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
