"""Every role x every cycle action x every stage, through the service, the API and the UI.

A role the table does not allow is refused (NotAllowed / 403 / an error message)
and nothing changes. An allowed role is never refused for its role: it either
acts, or is stopped by the stage or the gate with a message saying so.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import AuditEvent
from cycles import gates, services
from cycles.models import Cycle, GateWaiver, PlanVersion, SignOffDecision, StageSubmission
from cycles.stages import Stage
from sop_planner.errors import DomainError, NotAllowed
from tests.fixtures.cycles import MONTH, load_baseline, load_budget

pytestmark = pytest.mark.django_db

SOM, DP, SP, EXE = Role.SALES_OPS_MANAGER, Role.DEMAND_PLANNER, Role.SUPPLY_PLANNER, Role.EXECUTIVE
# Who may take each action: the business's statement, independent of accounts.roles.
PERMITTED = {
    "open": {SOM},
    "advance": {SOM},
    "send_back": {SOM},
    "waive": {SOM},
    "submit_demand": {DP},
    "submit_supply": {SP},
    "approve": {EXE},
    "reject": {EXE},
}
NEW_MONTH = date(2027, 1, 1)
# Where an allowed role's action goes through in a fresh cycle (no actuals, no submissions;
# the first territory's baseline and the horizon's budget loaded). Opening is never among
# them: every cell has a cycle in progress.
SUCCEEDS = {
    ("waive", Stage.DATA_GATHERING),
    ("waive", Stage.DEMAND_PLANNING),
    ("waive", Stage.SUPPLY_PLANNING),
    ("submit_demand", Stage.DEMAND_PLANNING),
    ("submit_supply", Stage.SUPPLY_PLANNING),
    ("advance", Stage.RECONCILIATION),
    ("send_back", Stage.RECONCILIATION),
    ("approve", Stage.SIGN_OFF),
    ("reject", Stage.SIGN_OFF),
}


@dataclass
class Cell:
    cycle: Cycle
    territory_id: int

    def item(self) -> str:
        items = gates.open_items(self.cycle)
        return items[0] if items else "nothing open"


def call_service(action: str, user, cell: Cell) -> None:
    cycle = cell.cycle
    calls = {
        "open": lambda: services.cycle_open(actor=user, month=NEW_MONTH),
        "advance": lambda: services.cycle_advance(
            actor=user, cycle_id=cycle.pk, stage=cycle.stage
        ),
        "send_back": lambda: services.cycle_send_back(
            actor=user, cycle_id=cycle.pk, stage=cycle.stage, to="demand_planning", reason="x"
        ),
        "waive": lambda: services.cycle_waive_item(
            actor=user, cycle_id=cycle.pk, stage=cycle.stage, item=cell.item(), reason="x"
        ),
        "submit_demand": lambda: services.plan_submit(
            actor=user, cycle_id=cycle.pk, plan="demand", territory_id=cell.territory_id
        ),
        "submit_supply": lambda: services.plan_submit(
            actor=user, cycle_id=cycle.pk, plan="supply"
        ),
        "approve": lambda: services.cycle_approve(actor=user, cycle_id=cycle.pk),
        "reject": lambda: services.cycle_reject(actor=user, cycle_id=cycle.pk, comment="x"),
    }
    calls[action]()


def api_request(action: str, cell: Cell) -> tuple[str, dict]:
    base, stage = f"/api/cycles/{cell.cycle.pk}", cell.cycle.stage
    return {
        "open": ("/api/cycles/open/", {"month": NEW_MONTH.isoformat()}),
        "advance": (f"{base}/advance/", {"stage": stage}),
        "send_back": (
            f"{base}/send-back/",
            {"stage": stage, "to": "demand_planning", "reason": "x"},
        ),
        "waive": (f"{base}/waive/", {"stage": stage, "item": cell.item(), "reason": "x"}),
        "submit_demand": (f"{base}/submit/", {"plan": "demand", "territory": cell.territory_id}),
        "submit_supply": (f"{base}/submit/", {"plan": "supply"}),
        "approve": (f"{base}/approve/", {}),
        "reject": (f"{base}/reject/", {"comment": "x"}),
    }[action]


def ui_request(action: str, cell: Cell) -> tuple[str, dict]:
    base, stage = f"/cycles/{cell.cycle.pk}", cell.cycle.stage
    return {
        "open": ("/cycles/open/", {"month": "2027-01"}),
        "advance": (f"{base}/advance/", {"stage": stage}),
        "send_back": (
            f"{base}/send-back/",
            {"stage": stage, "to": "demand_planning", "reason": "x"},
        ),
        "waive": (f"{base}/waive/", {"stage": stage, "item": cell.item(), "reason": "x"}),
        "submit_demand": (f"{base}/submit/", {"plan": "demand", "territory": cell.territory_id}),
        "submit_supply": (f"{base}/submit/", {"plan": "supply"}),
        "approve": (f"{base}/decide/", {"decision": "approve"}),
        "reject": (f"{base}/decide/", {"decision": "reject", "comment": "x"}),
    }[action]


def fingerprint() -> tuple:
    return (
        list(Cycle.objects.values_list("stage", "status", "move_count", "version_seq")),
        *(
            model.objects.count()
            for model in (AuditEvent, StageSubmission, GateWaiver, SignOffDecision, PlanVersion)
        ),
    )


def cells(manager, company):
    """A fresh cycle in each stage, rolled back after each use."""
    for stage in Stage:
        with transaction.atomic():
            cycle = services.cycle_open(actor=manager, month=MONTH)
            Cycle.objects.filter(pk=cycle.pk).update(stage=stage.value)
            cycle.refresh_from_db()
            load_baseline(cycle, company.territories[0], company.products[0])
            load_budget(cycle, company.territories[0], company.products[0])
            yield stage, Cell(cycle, company.territories[0].pk)
            transaction.set_rollback(True)


def outcome_via_service(action, user, cell) -> str:
    try:
        call_service(action, user, cell)
    except NotAllowed as error:
        return "denied: " + error.message
    except DomainError:
        return "refused for stage or gate"
    return "done"


def outcome_via_http(client, path: str, data: dict, *, api: bool) -> str:
    if api:
        status = client.post(path, data, format="json").status_code
        if status == 403:
            return "denied"
        assert status in (200, 201, 400, 409), (path, status)
        return "done" if status in (200, 201) else "refused for stage or gate"
    body = client.post(path, data, follow=True).content.decode()
    if "may not " in body or "only for the territories" in body:
        return "denied"
    return "done" if "message-success" in body else "refused for stage or gate"


def check_cell(role, action, stage, outcome: str, before: tuple) -> None:
    if role in PERMITTED[action]:
        assert not outcome.startswith("denied"), (role, action, stage, outcome)
        assert (outcome == "done") == ((action, stage) in SUCCEEDS), (action, stage, outcome)
    else:
        assert outcome.startswith("denied"), (role, action, stage, outcome)
        assert fingerprint() == before, f"{role} {action} in {stage} changed something"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_matrix_through_the_service(role, users_by_role, company, manager):
    user = users_by_role[role]
    for stage, cell in cells(manager, company):
        for action in PERMITTED:
            with transaction.atomic():
                before = fingerprint()
                check_cell(role, action, stage, outcome_via_service(action, user, cell), before)
                transaction.set_rollback(True)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_matrix_through_the_api(role, users_by_role, company, manager):
    client = APIClient()
    client.force_authenticate(users_by_role[role])
    for stage, cell in cells(manager, company):
        for action in PERMITTED:
            with transaction.atomic():
                before = fingerprint()
                path, data = api_request(action, cell)
                check_cell(
                    role, action, stage, outcome_via_http(client, path, data, api=True), before
                )
                transaction.set_rollback(True)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_matrix_through_the_ui(role, users_by_role, company, manager, client):
    client.force_login(users_by_role[role])
    for stage, cell in cells(manager, company):
        for action in PERMITTED:
            with transaction.atomic():
                before = fingerprint()
                path, data = ui_request(action, cell)
                check_cell(
                    role, action, stage, outcome_via_http(client, path, data, api=False), before
                )
                transaction.set_rollback(True)


def test_an_allowed_action_in_its_stage_really_happens_through_the_api(
    users_by_role, company, manager
):
    client = APIClient()
    client.force_authenticate(manager)
    cycle = services.cycle_open(actor=manager, month=MONTH)
    item = gates.open_items(cycle)[0]
    response = client.post(
        f"/api/cycles/{cycle.pk}/waive/",
        {"stage": "data_gathering", "item": item, "reason": "late ERP"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert item not in response.json()["open_items"]
