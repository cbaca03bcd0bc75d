"""The generic per-figure endpoint is no side door: each measure keeps its stage's rules.

Overrides and events belong to demand planning's own endpoints (reason code,
territory scope, submissions, consensus recompute); supply inputs and budgets
go through the supply and budget services on the family's anchor cell;
computed measures are never entered.
"""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import AuditEvent
from cycles import services
from cycles.measures import MEASURES
from cycles.models import PlanValue
from cycles.stages import Stage

pytestmark = pytest.mark.django_db

SUPPLY_INPUTS = {
    "capacity",
    "opening_inventory",
    "inventory_target",
    "target_weeks",
    "min_production",
    "max_cover",
}


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _figure(company, measure: str, territory: int = 0, product: int = 0) -> dict:
    return {
        "measure": measure,
        "product": company.products[product].pk,
        "territory": company.territories[territory].pk,
        "month": "2026-12-01",
        "value": "99999",
        "expected_row_version": 0,
    }


def _nothing_written() -> bool:
    return (
        not PlanValue.objects.exists()
        and not AuditEvent.objects.filter(action="plan.value_set").exists()
    )


def test_an_override_on_a_submitted_territory_is_refused_and_writes_nothing(
    cycle, walk, planners, company
):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    territory = company.territories[2]
    services.plan_submit(
        actor=planners[2], cycle_id=cycle.pk, plan="demand", territory_id=territory.pk
    )
    response = _api(planners[2]).post(
        f"/api/cycles/{cycle.pk}/values/", _figure(company, "override", 2), format="json"
    )
    assert response.status_code == 403
    assert f"/api/demand/cycles/{cycle.pk}/overrides/" in response.json()["detail"]
    assert _nothing_written()


def test_the_analyst_cannot_override_a_territory_through_the_generic_endpoint(
    cycle, walk, users_by_role, company
):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    response = _api(users_by_role[Role.SALES_OPS_ANALYST]).post(
        f"/api/cycles/{cycle.pk}/values/", _figure(company, "override", 3), format="json"
    )
    assert response.status_code == 403
    assert "reason code" in response.json()["detail"]
    assert _nothing_written()


def test_events_are_refused_naming_the_events_endpoint(cycle, walk, planners, company):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    response = _api(planners[0]).post(
        f"/api/cycles/{cycle.pk}/values/", _figure(company, "events"), format="json"
    )
    assert response.status_code == 403
    assert f"/api/demand/cycles/{cycle.pk}/events/" in response.json()["detail"]
    assert _nothing_written()


def test_a_supply_input_off_the_family_anchor_is_refused_naming_the_anchor(
    cycle, walk, users_by_role, company
):
    cycle = walk(cycle, Stage.SUPPLY_PLANNING)
    api = _api(users_by_role[Role.SUPPLY_PLANNER])
    response = api.post(
        f"/api/cycles/{cycle.pk}/values/", _figure(company, "capacity", 1, 2), format="json"
    )
    assert response.status_code == 400
    assert company.products[0].sku in response.json()["detail"]
    assert not PlanValue.objects.filter(measure="capacity").exists()


def test_finance_enters_a_budget_figure_and_a_stale_one_is_refused(
    cycle, walk, users_by_role, company
):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    api = _api(users_by_role[Role.FINANCE])
    figure = {**_figure(company, "budget_units", 1), "value": "12.5"}
    first = api.post(f"/api/cycles/{cycle.pk}/values/", figure, format="json")
    assert first.status_code == 200 and first.json()["row_version"] == 1
    assert first.json()["value"].startswith("12.5")
    stale = api.post(f"/api/cycles/{cycle.pk}/values/", {**figure, "value": "99"}, format="json")
    assert stale.status_code == 409 and "reload" in stale.json()["detail"]


def _expected_status(stage: Stage, role: Role, measure: str) -> int:
    if stage is Stage.SUPPLY_PLANNING and role is Role.SUPPLY_PLANNER and measure in SUPPLY_INPUTS:
        return 200
    if role is Role.FINANCE and measure in {"budget_units", "budget_revenue"}:
        return 200
    return 403


@pytest.mark.parametrize("stage", [Stage.DEMAND_PLANNING, Stage.SUPPLY_PLANNING])
@pytest.mark.parametrize("role", list(Role))
def test_each_role_enters_only_the_measures_a_stage_service_takes_through_the_api(
    role, stage, cycle, walk, users_by_role, company
):
    cycle = walk(cycle, stage)
    api = _api(users_by_role[role])
    answers = {
        code: api.post(
            f"/api/cycles/{cycle.pk}/values/", _figure(company, code), format="json"
        ).status_code
        for code in MEASURES
    }
    assert answers == {code: _expected_status(stage, role, code) for code in MEASURES}


def test_a_budget_figure_off_the_family_anchor_is_refused_and_writes_nothing(
    cycle, walk, users_by_role, company
):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    response = _api(users_by_role[Role.FINANCE]).post(
        f"/api/cycles/{cycle.pk}/values/", _figure(company, "budget_units", 1, 2), format="json"
    )
    assert response.status_code == 400
    assert f"first product, {company.products[0].sku}" in response.json()["detail"]
    assert _nothing_written()


def test_a_capacity_entered_through_the_api_shows_in_the_supply_grid(
    cycle, walk, users_by_role, company, client
):
    cycle = walk(cycle, Stage.SUPPLY_PLANNING)
    planner = users_by_role[Role.SUPPLY_PLANNER]
    figure = {**_figure(company, "capacity"), "value": "321"}
    response = _api(planner).post(f"/api/cycles/{cycle.pk}/values/", figure, format="json")
    assert response.status_code == 200
    client.force_login(planner)
    page = client.get(f"/supply/{cycle.pk}/family/{company.families[0].pk}/").content.decode()
    assert 'name="capacity__2026-12" value="321"' in page
