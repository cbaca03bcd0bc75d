"""The grid page says plainly when, and why, the plan cannot be edited."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from cycles import services
from cycles.models import Cycle
from cycles.stages import Stage
from tests.fixtures.demand import MONTH

pytestmark = pytest.mark.django_db

EDIT_CONTROLS = ('id="change-row"', "Re-import Excel", "Enter or typing edits a consensus cell")


def page_of(user, cycle=None) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/demand/{cycle.pk}/" if cycle else "/demand/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_released_plan_shows_no_edit_control_and_says_it_is_locked(demand_cycle, manager):
    Cycle.objects.filter(pk=demand_cycle.pk).update(
        stage=Stage.SIGN_OFF,
        status=Cycle.Status.RELEASED,
        released_at=datetime(2026, 12, 3, 15, tzinfo=UTC),
    )
    html = page_of(manager, demand_cycle)
    assert "Released on 2026-12-03: this plan is locked." in html
    assert not [control for control in EDIT_CONTROLS if control in html]
    assert "<h2>Submission</h2>" not in html  # nothing was submitted, nothing can be


def test_in_data_gathering_the_page_says_when_demand_opens(manager, company):
    cycle = services.cycle_open(actor=manager, month=MONTH)
    html = page_of(manager)
    assert cycle.stage == Stage.DATA_GATHERING
    assert "opens in Demand planning; the cycle is in Data gathering." in html
    assert not [control for control in EDIT_CONTROLS if control in html]


def test_a_role_that_does_not_edit_demand_gets_a_read_only_page(demand_cycle, users_by_role):
    from accounts.roles import Role

    html = page_of(users_by_role[Role.FINANCE], demand_cycle)
    assert "Your role does not edit demand" in html
    assert not [control for control in EDIT_CONTROLS if control in html]


def test_in_demand_planning_a_planner_gets_the_edit_controls(demand_cycle, planners):
    html = page_of(planners[0], demand_cycle)
    assert 'id="edit-lock"' not in html
    assert all(control in html for control in EDIT_CONTROLS)


def test_a_cycle_without_forecast_says_what_creates_the_baseline(manager, planners, company):
    services.cycle_open(actor=manager, month=MONTH)
    html = page_of(manager)
    assert "There is no statistical baseline for S&amp;OP 2026-11 yet" in html
    assert 'href="/forecasting/runs/" id="forecast-runs-link"' in html
    planner_view = page_of(planners[0])
    assert "There is no statistical baseline" in planner_view
    assert "forecast-runs-link" not in planner_view


def test_a_cycle_with_its_baseline_loaded_has_no_such_message(demand_cycle, manager):
    assert "There is no statistical baseline" not in page_of(manager, demand_cycle)
