"""The menu and each role's next steps: plain data, filtered by the permission table."""

from dataclasses import dataclass

from accounts.roles import Role


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    action: str | None  # None: every signed-in user
    group: str | None = None  # shown under a drop-down of that name; None: on the bar itself


PLAN, DATA, REVIEW, MASTER, SETTINGS = "Plan", "Data", "Review", "Master data", "Settings"

# In the order of the month's work; groups keep the bar on one line on a laptop screen.
MENU: tuple[MenuItem, ...] = (
    MenuItem("Home", "home", None),
    MenuItem("Cycle", "cycles:board", "cycle.view", PLAN),
    MenuItem("Demand plan", "demand:grid", "cycle.view", PLAN),
    MenuItem("Supply", "supply:index", "cycle.view", PLAN),
    MenuItem("Reconciliation", "reconciliation:index", "cycle.view", PLAN),
    MenuItem("Quotas", "quotas:list", "quotas.view", PLAN),
    MenuItem("Sales history", "forecasting:actuals", "actuals.view", DATA),
    MenuItem("Uploads", "uploads:page", "uploads.use", DATA),
    MenuItem("Forecasts", "forecasting:runs", "forecast.view", DATA),
    MenuItem("CRM", "crm:page", "crm.view", DATA),
    MenuItem("Reassessment", "reassessment:accuracy", "reassessment.view", REVIEW),
    MenuItem("History", "cycles:history", "audit.view", REVIEW),
    MenuItem("Territories", "territories:list", "masterdata.view", MASTER),
    MenuItem("Products", "products:list", "masterdata.view", MASTER),
    MenuItem("Calendar", "cycles:calendar", "masterdata.view", MASTER),
    MenuItem("Users", "users", "users.manage", SETTINGS),
    MenuItem("Key metrics", "kpis:settings", "kpis.define", SETTINGS),
    MenuItem("Admin", "admin:index", "admin.access", SETTINGS),
    MenuItem("Notifications", "collaboration:notifications", None),
    MenuItem("API", "api-docs", None),
)


@dataclass(frozen=True)
class NextStep:
    title: str
    detail: str
    url_name: str
    cycle_url_name: str | None = None  # the page of the open cycle, when there is one


NEXT_STEPS: dict[Role, tuple[NextStep, ...]] = {
    Role.SALES_OPS_MANAGER: (
        NextStep(
            "Watch the cycle board",
            "Stages, due dates, who still has to act, and the history of every move.",
            "cycles:board",
        ),
        NextStep(
            "Assign planners",
            "Make sure every territory has a demand planner.",
            "territories:list",
        ),
    ),
    Role.SALES_OPS_ANALYST: (
        NextStep(
            "Bring in last month's actuals",
            "Every active territory needs them before demand planning.",
            "uploads:page",
        ),
        NextStep(
            "Keep the product list clean",
            "New SKUs, launches and discontinued items.",
            "products:list",
        ),
    ),
    Role.SALES_PLANNING_SPECIALIST: (
        NextStep(
            "Review prices and costs",
            "Revenue and margin in every plan come from them.",
            "products:list",
        ),
        NextStep(
            "Maintain the planning calendar",
            "Holidays move the stage due dates.",
            "cycles:calendar",
        ),
    ),
    Role.SALES_EFFECTIVENESS_MANAGER: (
        NextStep(
            "Follow the process",
            "Read the plan and the progress of every stage.",
            "territories:list",
        ),
    ),
    Role.TECHNICAL_OPERATIONS_ADVISOR: (
        NextStep(
            "Manage users and roles",
            "Who works in the tool, with which role.",
            "users",
        ),
        NextStep(
            "Pick the company's key metrics",
            "Which KPIs every home page shows, in which order, with which targets.",
            "kpis:settings",
        ),
        NextStep(
            "Maintain territories", "Regions, territories and their planners.", "territories:list"
        ),
    ),
    Role.DEMAND_PLANNER: (
        NextStep(
            "Review your territories' history",
            "The baseline starts from these actuals.",
            "forecasting:actuals",
        ),
        NextStep(
            "Your territories", "The territories you plan and their products.", "territories:list"
        ),
    ),
    Role.SUPPLY_PLANNER: (
        NextStep(
            "Answer the demand with a supply plan",
            "Capacity, inventory and targets per family; compute, check the flags, submit.",
            "supply:index",
        ),
        NextStep(
            "Know the portfolio", "Families and SKUs you will plan supply for.", "products:list"
        ),
    ),
    Role.FINANCE: (
        NextStep(
            "Reconcile the plan with the budget",
            "Enter or import the budget, then decide every gap over the thresholds.",
            "reconciliation:index",
        ),
        NextStep(
            "Check prices and margins",
            "Revenue in the plan is units x list price.",
            "products:list",
        ),
    ),
    Role.EXECUTIVE: (
        NextStep(
            "Sign off the plan",
            "Approve or reject this month's plan.",
            "cycles:board",
            cycle_url_name="cycles:sign-off",
        ),
        NextStep(
            "Company sales trend", "Actuals by month, in units and revenue.", "forecasting:actuals"
        ),
    ),
}
