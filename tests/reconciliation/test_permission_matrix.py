"""Who may do what in supply and reconciliation: every role x action, through service, API and UI.

Each action is tried in the stage where it can succeed; a role without the
permission is refused and nothing changes.
"""

from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts.roles import PERMISSIONS, Role
from cycles.models import Cycle, PlanValue
from cycles.stages import Stage
from reconciliation import services
from reconciliation.models import GapDecision, Scenario, ScenarioChange
from sop_planner.errors import NotAllowed
from supply import services as supply_services
from tests.factories import CompanyFactory, UserFactory, add_reason_codes
from tests.fixtures.reconciliation import rec_cycle_build
from tests.fixtures.shared_data import module_data

pytestmark = pytest.mark.django_db
JAN = date(2027, 1, 1)
ACTIONS = {
    "compute": "plan.supply.edit",
    "budget": "plan.budget.edit",
    "decide": "gap.decide",
    "decide_many": "gap.decide",
    "scenario": "scenario.edit",
    "promote": "scenario.promote",
    "delete": "scenario.edit",
}
NO_API = {"budget", "delete"}  # entered on their pages only
STAGE = {"compute": Stage.SUPPLY_PLANNING}


def fingerprint() -> tuple:
    return (
        PlanValue.objects.count(),
        sorted(PlanValue.objects.values_list("value", flat=True)),
        GapDecision.objects.count(),
        Scenario.objects.count(),
        Scenario.objects.filter(promoted_at__isnull=False).count(),
    )


def _prepared() -> dict:
    """A cycle in reconciliation with a prepared scenario, and one user per role."""
    add_reason_codes()
    company = CompanyFactory.build_company()
    users = UserFactory.one_per_role(company)
    manager = users[Role.SALES_OPS_MANAGER]
    cycle = rec_cycle_build(company, manager)
    made = services.scenario_create(actor=manager, cycle_id=cycle.pk, name="Prepared")
    ScenarioChange.objects.create(
        scenario=made, kind="capacity", month_from=JAN, month_to=JAN, percent=10
    )
    return {
        "cycle": cycle, "company": company, "scenario": made, "manager": manager, "users": users,
    }  # fmt: skip


@pytest.fixture(scope="module")
def prepared(django_db_setup, django_db_blocker):
    """Built once for the module's 171 tests; each test's changes are rolled back after it."""
    yield from module_data(django_db_blocker, _prepared)


@pytest.fixture
def setup(prepared):
    return prepared


@pytest.fixture
def users_by_role(prepared):
    return prepared["users"]


def in_stage(setup, action: str) -> Cycle:
    cycle = setup["cycle"]
    Cycle.objects.filter(pk=cycle.pk).update(stage=STAGE.get(action, Stage.RECONCILIATION))
    return cycle


def gap_key(setup) -> str:
    return f"shortage:{setup['company'].families[0].pk}:2027-01"


def via_service(action: str, user, setup) -> None:
    cycle, company = in_stage(setup, action), setup["company"]
    calls = {
        "compute": lambda: supply_services.supply_plan_compute(actor=user, cycle_id=cycle.pk),
        "budget": lambda: services.budget_save(
            actor=user,
            cycle_id=cycle.pk,
            family_id=company.families[0].pk,
            cells={("budget_units", company.territories[0].pk, JAN): ("7", 0)},
        ),
        "decide": lambda: services.gap_decide(
            actor=user,
            cycle_id=cycle.pk,
            gap_key=gap_key(setup),
            decision="accept",
            owner_id=user.pk,
            rationale="ok",
            expected_impact="none",
        ),
        "decide_many": lambda: services.gap_decide_many(
            actor=user,
            cycle_id=cycle.pk,
            gap_keys=[gap_key(setup)],
            decision="escalate",
            owner_id=user.pk,
            rationale="ok",
            expected_impact="none",
        ),
        "scenario": lambda: services.scenario_create(actor=user, cycle_id=cycle.pk, name="New"),
        "promote": lambda: services.scenario_promote(
            actor=user, scenario_id=setup["scenario"].pk, reason="agreed"
        ),
        "delete": lambda: services.scenario_delete(actor=user, scenario_id=setup["scenario"].pk),
    }
    calls[action]()


def http_request(action: str, setup, *, api: bool) -> tuple[str, dict]:
    cycle, company = in_stage(setup, action), setup["company"]
    family, territory = company.families[0].pk, company.territories[0].pk
    scenario = setup["scenario"].pk
    decision = {
        "gap_key": gap_key(setup),
        "decision": "accept",
        "owner": setup["manager"].pk,
        "rationale": "ok",
        "expected_impact": "none",
    }
    if api:
        return {
            "compute": (f"/api/plan/cycles/{cycle.pk}/supply/compute/", {}),
            "budget": (None, {}),
            "decide": (f"/api/plan/cycles/{cycle.pk}/gaps/decide/", decision),
            "decide_many": (
                f"/api/plan/cycles/{cycle.pk}/gaps/decide-many/",
                {**decision, "gap_keys": [decision["gap_key"]]},
            ),
            "scenario": (
                f"/api/plan/cycles/{cycle.pk}/scenarios/",
                {"cycle": cycle.pk, "name": "New"},
            ),
            "promote": (f"/api/plan/scenarios/{scenario}/promote/", {"reason": "agreed"}),
        }[action]
    return {
        "compute": (f"/supply/{cycle.pk}/compute/", {}),
        "budget": (
            f"/reconciliation/{cycle.pk}/budget/{family}/",
            {f"budget_units__{territory}__2027-01": "7"},
        ),
        "decide": (f"/reconciliation/{cycle.pk}/decide/", decision),
        "decide_many": (f"/reconciliation/{cycle.pk}/decide/", decision),
        "scenario": (f"/reconciliation/{cycle.pk}/scenarios/new/", {"name": "New"}),
        "promote": (f"/reconciliation/scenario/{scenario}/promote/", {"reason": "agreed"}),
        "delete": (f"/reconciliation/scenario/{scenario}/delete/", {}),
    }[action]


def allowed(role: Role, action: str) -> bool:
    return role in PERMISSIONS[ACTIONS[action]]


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_matrix_through_the_service(role, action, users_by_role, setup):
    before = fingerprint()
    try:
        via_service(action, users_by_role[role], setup)
    except NotAllowed:
        assert not allowed(role, action), (role, action)
        assert fingerprint() == before
    else:
        assert allowed(role, action), (role, action)
        assert fingerprint() != before


@pytest.mark.parametrize("action", [a for a in ACTIONS if a not in NO_API])
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_matrix_through_the_api(role, action, users_by_role, setup):
    client = APIClient()
    client.force_authenticate(users_by_role[role])
    path, data = http_request(action, setup, api=True)
    before = fingerprint()
    status = client.post(path, data, format="json").status_code
    if allowed(role, action):
        assert status in (200, 201), (role, action, status)
    else:
        assert status == 403, (role, action, status)
        assert fingerprint() == before


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_matrix_through_the_ui(role, action, users_by_role, setup, client):
    client.force_login(users_by_role[role])
    path, data = http_request(action, setup, api=False)
    before = fingerprint()
    body = client.post(path, data, follow=True).content.decode()
    if allowed(role, action):
        assert "message-success" in body, (role, action)
    else:
        assert "may not " in body, (role, action)
        assert fingerprint() == before
