"""The roles of the S&OP team and what each may do: one table, no Django.

Each row of PERMISSIONS is an action and the roles that may take it. A role
granted an action with Scope.OWN_TERRITORIES may take it only for the
territories it plans. OWNERSHIP says, for the few actions where the cycle's
owner matters, which of the two meanings it has; STAGES says in which stages an
action on a cycle is open. accounts.permissions.can() reads all three. A new
capability is a new row.
"""

from enum import Enum, StrEnum


class Role(StrEnum):
    SALES_OPS_MANAGER = "Sales Ops Manager"
    SALES_OPS_ANALYST = "Sales Ops Analyst"
    SALES_PLANNING_SPECIALIST = "Sales Planning Specialist"
    SALES_EFFECTIVENESS_MANAGER = "Sales Effectiveness Manager"
    TECHNICAL_OPERATIONS_ADVISOR = "Technical Operations Advisor"
    DEMAND_PLANNER = "Demand Planner"
    SUPPLY_PLANNER = "Supply Planner"
    FINANCE = "Finance"
    EXECUTIVE = "Executive"


class Scope(Enum):
    ALL = "all"
    OWN_TERRITORIES = "own territories"


ALL_ROLES = frozenset(Role)
SOM = Role.SALES_OPS_MANAGER
SOA = Role.SALES_OPS_ANALYST
SPS = Role.SALES_PLANNING_SPECIALIST
SEM = Role.SALES_EFFECTIVENESS_MANAGER
TOA = Role.TECHNICAL_OPERATIONS_ADVISOR
DP = Role.DEMAND_PLANNER
SP = Role.SUPPLY_PLANNER
FIN = Role.FINANCE
EXE = Role.EXECUTIVE


def grant(*roles: Role, scoped: tuple[Role, ...] = ()) -> dict[Role, Scope]:
    """Roles with company-wide scope, plus roles limited to their own territories."""
    grants = {role: Scope.ALL for role in roles}
    grants.update({role: Scope.OWN_TERRITORIES for role in scoped})
    return grants


PERMISSIONS: dict[str, dict[Role, Scope]] = {
    # Master data: everybody reads the whole company; edits by the owners.
    "masterdata.view": grant(*ALL_ROLES),
    "territories.edit": grant(SOM, TOA),
    "assignments.edit": grant(SOM, TOA),
    # Dated assignments of sales reps and planners, and the quota year: the manager's plan.
    "territories.assign_dated": grant(SOM),
    "quotas.view": grant(*ALL_ROLES),
    "quotas.edit": grant(SOM),
    "quotas.approve": grant(SOM),
    "products.edit": grant(SOA, TOA),
    "prices.edit": grant(SPS, TOA),
    "calendar.edit": grant(SPS, TOA),
    # Sales history.
    "actuals.view": grant(*ALL_ROLES),
    "actuals.upload": grant(SOA, SOM, scoped=(DP,)),
    # The monthly cycle: the owner moves it, executives sign it off, everyone follows it.
    "cycle.view": grant(*ALL_ROLES),
    "cycle.open": grant(SOM),
    "cycle.advance": grant(SOM),
    "cycle.send_back": grant(SOM),
    "cycle.waive": grant(SOM),
    "cycle.due_dates": grant(SOM),
    "cycle.approve": grant(EXE),
    "cycle.reject": grant(EXE),
    "cycle.comment": grant(*ALL_ROLES),
    "action_item.close": grant(),  # no role: the person it is assigned to, or the cycle owner
    "audit.view": grant(*ALL_ROLES),
    # Plan data in the plan-value store (cycles.measures says which measure, which stage).
    "plan.demand.submit": grant(scoped=(DP,)),
    "plan.supply.submit": grant(SP),
    "plan.demand.edit": grant(SOM, SOA, scoped=(DP,)),
    "plan.demand.reopen": grant(SOM),  # the cycle's owner only: see OWNERSHIP
    "demand.baseline.load": grant(SOM, SOA),  # and the cycle's owner: see OWNERSHIP
    "plan.supply.edit": grant(SP),
    "plan.budget.edit": grant(FIN),
    # Reconciliation: gaps are decided by the cycle owner or Finance; scenarios are tried
    # by those who plan, promoted into the plan by the cycle owner.
    "gap.decide": grant(SOM, FIN),
    "quota_gap.decide": grant(SOM),
    "scenario.edit": grant(SOM, FIN, SP),
    "scenario.promote": grant(SOM),
    # Master data files, through the same upload mechanism as actuals.
    "products.upload": grant(SOA, TOA),
    "territories.upload": grant(SOM, TOA),
    "prices.upload": grant(SPS, TOA),
    "uploads.use": grant(SOA, SOM, SPS, TOA, FIN, scoped=(DP,)),  # the upload page: any kind
    # See, map, commit and revert an upload somebody else made (of a kind one may upload).
    # Planners see and handle their own files only: others' rejected rows name other regions.
    "uploads.others": grant(SOA, SOM, SPS, TOA, FIN),
    # Baseline forecast runs (the cycle's owner may also start and cancel one: see OWNERSHIP).
    "forecast.view": grant(*ALL_ROLES),
    "forecast.run": grant(SOA, SOM),
    "forecast.cancel": grant(SOA, SOM),
    # Reassessment: released plans scored against actuals; recomputed by process owners.
    "reassessment.view": grant(*ALL_ROLES),
    # The CRM deals behind a pipeline figure: whoever sees the cell; planners their territories.
    "pipeline.deals.view": grant(*(ALL_ROLES - {DP}), scoped=(DP,)),
    "reassessment.recompute": grant(SOM, SOA, SEM),
    # Administration.
    "users.manage": grant(TOA),
    "integrations.manage": grant(TOA),
    # The sales CRM: its page for those who sync, map or price deals; the connection and the mapping belong to the
    # Technical Operations Advisor, currency rates to the Sales Planning Specialist.
    "crm.view": grant(TOA, SOM, SOA, SPS),
    "crm.connect": grant(TOA),
    "crm.sync": grant(TOA, SOM, SOA),
    "crm.map": grant(TOA),
    "crm.rates": grant(SPS, TOA),
    "kpis.define": grant(TOA),
    "kpis.view": grant(*ALL_ROLES),
    "guides.edit": grant(SEM),
    "admin.access": grant(TOA, SPS, SOM, SOA),
}


class Owner(Enum):
    """What being the cycle's owner means for an action: one meaning per action."""

    REQUIRED = "required"  # on top of the role: another manager may not
    GRANTS = "grants"  # whatever the role: the owner may, besides the roles granted


# Actions where ownership matters. The owners of an object are its cycle's owner, and for an
# object assigned to somebody (an action item) that person too.
OWNERSHIP: dict[str, Owner] = {
    "cycle.waive": Owner.REQUIRED,
    "cycle.due_dates": Owner.REQUIRED,
    "plan.demand.reopen": Owner.REQUIRED,
    "demand.baseline.load": Owner.GRANTS,
    "forecast.run": Owner.GRANTS,
    "forecast.cancel": Owner.GRANTS,
    "action_item.close": Owner.GRANTS,
}
# Who "the owner" is, as a refusal names them, where it is not just the cycle's owner.
OWNERS_CALLED: dict[str, str] = {
    "action_item.close": "the person it is assigned to, or the cycle owner",
}

# The stages (cycles.stages.Stage values) in which an action on a cycle is open; a released
# cycle takes none of them. Actions not listed do not depend on the stage here (moves between
# stages follow cycles.stages; a plan measure's own stages are in cycles.measures).
_EVERY_STAGE = frozenset(
    {"data_gathering", "demand_planning", "supply_planning", "reconciliation", "sign_off"}
)
STAGES: dict[str, frozenset[str]] = {
    "cycle.waive": _EVERY_STAGE,
    "cycle.due_dates": _EVERY_STAGE,
    "cycle.approve": frozenset({"sign_off"}),
    "cycle.reject": frozenset({"sign_off"}),
    "plan.demand.submit": frozenset({"demand_planning"}),
    "plan.supply.submit": frozenset({"supply_planning"}),
    "plan.demand.edit": frozenset({"demand_planning"}),
    "plan.demand.reopen": frozenset({"demand_planning"}),
    "demand.baseline.load": frozenset({"data_gathering", "demand_planning"}),
    "plan.supply.edit": frozenset({"supply_planning"}),
    "plan.budget.edit": _EVERY_STAGE - {"sign_off"},
    "gap.decide": frozenset({"reconciliation"}),
    "quota_gap.decide": frozenset({"reconciliation"}),
    "scenario.edit": _EVERY_STAGE,
    "scenario.promote": frozenset({"reconciliation"}),
    "forecast.run": _EVERY_STAGE,
}
# Why an action is closed in the other stages, where "only in <stages>" does not say it.
CLOSED_BECAUSE: dict[str, str] = {
    "demand.baseline.load": "the consensus demand is frozen, the baseline can no longer be reloaded",
}

# Each action as a refusal says it: "Your role (Executive) may not <words>."
ACTION_WORDS: dict[str, str] = {
    "masterdata.view": "see master data",
    "territories.edit": "change territories and regions",
    "assignments.edit": "assign planners to territories",
    "territories.assign_dated": "assign sales reps and planners to territories with dates",
    "quotas.view": "see quotas",
    "quotas.edit": "propose or change quotas",
    "quotas.approve": "approve and lock quotas",
    "products.edit": "change products and families",
    "prices.edit": "change prices",
    "calendar.edit": "change the planning calendar",
    "actuals.view": "see sales actuals",
    "actuals.upload": "upload sales actuals",
    "cycle.view": "see the cycle",
    "cycle.open": "open a cycle",
    "cycle.advance": "move the cycle to its next stage",
    "cycle.send_back": "send a plan back",
    "cycle.waive": "waive an open item",
    "cycle.due_dates": "set the cycle's due dates",
    "cycle.approve": "approve the plan",
    "cycle.reject": "reject the plan",
    "cycle.comment": "comment on the cycle",
    "action_item.close": "close an action item",
    "audit.view": "see the history",
    "plan.demand.submit": "submit a demand plan",
    "plan.supply.submit": "submit the supply plan",
    "plan.demand.edit": "change the demand plan",
    "plan.demand.reopen": "reopen a submitted demand plan",
    "demand.baseline.load": "load the forecast baseline",
    "plan.supply.edit": "change supply inputs",
    "plan.budget.edit": "change the budget",
    "gap.decide": "decide a gap",
    "quota_gap.decide": "decide a gap between quota and plan",
    "scenario.edit": "create or change scenarios",
    "scenario.promote": "promote a scenario into the plan",
    "products.upload": "upload products",
    "territories.upload": "upload territories",
    "prices.upload": "upload prices",
    "uploads.use": "use the uploads page",
    "uploads.others": "handle uploads somebody else made",
    "forecast.view": "see forecasts",
    "pipeline.deals.view": "see the CRM deals behind a pipeline figure",
    "forecast.run": "start a forecast run",
    "forecast.cancel": "cancel a forecast run",
    "reassessment.view": "see the reassessment",
    "reassessment.recompute": "recompute the accuracy scores",
    "users.manage": "manage users",
    "integrations.manage": "manage integrations",
    "crm.view": "see the CRM's deals",
    "crm.connect": "connect the CRM",
    "crm.sync": "sync the CRM",
    "crm.map": "map CRM deals to territories and families",
    "crm.rates": "maintain currency rates",
    "kpis.define": "define KPIs",
    "kpis.view": "see KPIs",
    "guides.edit": "edit the stage guides",
    "admin.access": "use the administration site",
}

# What each action lets a role do in the Django admin (model permissions).
ADMIN_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "masterdata.view": (
        "territories.view_region",
        "territories.view_territory",
        "territories.view_territoryassignment",
        "products.view_productfamily",
        "products.view_product",
        "cycles.view_calendarmonth",
    ),
    "territories.edit": (
        "territories.add_region",
        "territories.change_region",
        "territories.add_territory",
        "territories.change_territory",
    ),
    "assignments.edit": (
        "territories.add_territoryassignment",
        "territories.change_territoryassignment",
        "territories.delete_territoryassignment",
    ),
    "products.edit": (
        "products.add_productfamily",
        "products.change_productfamily",
        "products.add_product",
        "products.change_product",
    ),
    "prices.edit": ("products.change_product",),
    "calendar.edit": ("cycles.add_calendarmonth", "cycles.change_calendarmonth"),
    # Users are changed on the app's own Users page (audited); the admin only shows them.
    "users.manage": ("auth.view_user", "auth.view_group"),
}


def scope_of(roles: set[Role] | frozenset[Role], action: str) -> Scope | None:
    """The widest scope any of these roles has for an action, or None."""
    if action not in PERMISSIONS:
        raise KeyError(f"Unknown action {action!r}: add it to accounts.roles.PERMISSIONS")
    scopes = {PERMISSIONS[action][role] for role in roles if role in PERMISSIONS[action]}
    if Scope.ALL in scopes:
        return Scope.ALL
    return Scope.OWN_TERRITORIES if scopes else None


def who_may(action: str) -> list[Role]:
    """The roles granted an action, in the table's order of roles."""
    return [role for role in Role if role in PERMISSIONS[action]]


def actions_of(role: Role) -> set[str]:
    return {action for action, grants in PERMISSIONS.items() if role in grants}
