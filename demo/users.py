"""The demo log-ins: one user per role, planners per region. Plain data."""

from accounts.roles import Role

DEMO_PASSWORD = "demo"

DEMO_USERS: list[tuple[str, str, Role]] = [
    ("manager", "Maria Manager", Role.SALES_OPS_MANAGER),
    ("analyst", "Ana Analyst", Role.SALES_OPS_ANALYST),
    ("specialist", "Sam Specialist", Role.SALES_PLANNING_SPECIALIST),
    ("effectiveness", "Eve Effectiveness", Role.SALES_EFFECTIVENESS_MANAGER),
    ("admin", "Theo Admin", Role.TECHNICAL_OPERATIONS_ADVISOR),
    ("planner-north", "Nora North", Role.DEMAND_PLANNER),
    ("planner-south", "Sid South", Role.DEMAND_PLANNER),
    ("planner-east", "Ed East", Role.DEMAND_PLANNER),
    ("planner-west", "Wes West", Role.DEMAND_PLANNER),
    ("supply", "Sue Supply", Role.SUPPLY_PLANNER),
    ("finance", "Finn Finance", Role.FINANCE),
    ("exec", "Erin Executive", Role.EXECUTIVE),
    ("exec2", "Evan Executive", Role.EXECUTIVE),
]


def planner_region(username: str) -> str | None:
    """planner-north plans the territories of the north region."""
    return username.removeprefix("planner-") if username.startswith("planner-") else None
