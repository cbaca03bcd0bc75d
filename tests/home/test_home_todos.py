"""Each role's home page says what that person must do in the cycle, by when, with a link."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.roles import Role
from collaboration.models import ActionItem, Notification
from cycles import services
from cycles.models import Cycle
from cycles.stages import Stage
from tests.factories import mark_released
from tests.supply.plan_data import open_cycle

pytestmark = pytest.mark.django_db
DECEMBER = date(2026, 12, 1)


def home(client, user) -> str:
    client.force_login(user)
    return client.get("/").content.decode()


@pytest.fixture
def cycle(users_by_role, company):
    """S&OP 2026-12 in demand planning; demand due Wed 9 Dec (set by the owner)."""
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.DEMAND_PLANNING, DECEMBER)
    cycle.stage_due = {**cycle.stage_due, "demand_planning": "2026-12-09"}
    cycle.save()
    return cycle


def test_a_planner_is_told_which_territories_to_submit_by_when(
    client, cycle, user_with_role, company
):
    planner = user_with_role(Role.DEMAND_PLANNER, territories=company.territories[:2])
    names = f"{company.territories[0].name}, {company.territories[1].name}"
    body = home(client, planner)
    assert f'<a href="/demand/{cycle.pk}/">Submit {names}</a>' in body
    assert "by Wed 9 Dec" in body


def test_a_submitted_territory_leaves_the_planners_list(client, cycle, users_by_role, company):
    planner = users_by_role[Role.DEMAND_PLANNER]
    services.cycle_waive_item(
        actor=cycle.owner, cycle_id=cycle.pk, stage=cycle.stage,
        item=f"baseline:{company.territories[0].pk}", reason="No forecast in this test",
    )  # fmt: skip
    services.plan_submit(
        actor=planner, cycle_id=cycle.pk, plan="demand", territory_id=company.territories[0].pk
    )
    body = home(client, planner)
    assert f"Submit {company.territories[0].name}" not in body
    assert "Nothing is waiting for you in S&amp;OP 2026-12 right now." in body


def test_finance_is_told_to_enter_the_budget_for_the_months_without_one(
    client, cycle, users_by_role
):
    body = home(client, users_by_role[Role.FINANCE])
    link = f'<a href="/reconciliation/{cycle.pk}/">Enter the budget for Dec 2026-Nov 2027</a>'
    assert link in body


def test_an_executive_sees_the_approval_coming_and_then_due(client, cycle, users_by_role):
    executive = users_by_role[Role.EXECUTIVE]
    body = home(client, executive)
    assert f'<a href="/cycles/{cycle.pk}/sign-off/">Approve the 2026-12 plan</a>' in body
    assert "once the cycle reaches Sign off" in body
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.SIGN_OFF.value)
    assert "once the cycle reaches Sign off" not in home(client, executive)


def test_the_supply_planner_sees_the_supply_plan_to_submit(client, cycle, users_by_role):
    body = home(client, users_by_role[Role.SUPPLY_PLANNER])
    assert f'<a href="/supply/{cycle.pk}/">Submit the supply plan</a>' in body


def test_the_owner_is_told_to_move_the_cycle_on(client, cycle, users_by_role):
    body = home(client, users_by_role[Role.SALES_OPS_MANAGER])
    assert '<a href="/cycles/">Move S&amp;OP 2026-12 on from Demand planning</a>' in body
    assert "by Wed 9 Dec" in body


def test_after_a_release_the_manager_is_pointed_to_the_next_cycle_and_the_reassessment(
    client, cycle, users_by_role
):
    mark_released(cycle)
    body = home(client, users_by_role[Role.SALES_OPS_MANAGER])
    assert '<a href="/cycles/">Open the 2027-01 cycle</a>' in body
    assert '<a href="/reassessment/">Reassess S&amp;OP 2026-12 once the Dec 2026' in body
    assert "Move S&amp;OP" not in body


def test_open_action_items_and_unread_mentions_are_on_the_home_page(client, cycle, users_by_role):
    finance, manager = users_by_role[Role.FINANCE], users_by_role[Role.SALES_OPS_MANAGER]
    ActionItem.objects.create(
        cycle=cycle, title="Check the Q1 price list", owner=finance, created_by=manager,
        due_date=date(2026, 12, 11),
    )  # fmt: skip
    ActionItem.objects.create(
        cycle=cycle, title="Done already", owner=finance, created_by=manager,
        done_at=timezone.now(),
    )  # fmt: skip
    Notification.objects.create(
        user=finance, cycle=cycle, kind=Notification.Kind.MENTION,
        message="Sam mentioned you: @finance can you check Highlands?",
    )  # fmt: skip
    body = home(client, finance)
    assert "Check the Q1 price list" in body and "by Fri 11 Dec" in body
    assert "Done already" not in body
    assert "@finance can you check Highlands?" in body
