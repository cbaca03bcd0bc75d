"""The board's "waiting on" names the planners who plan a territory today: a planner
whose assignment ended (moved to another territory) is history, not asked to act."""

import html
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from cycles.models import Cycle
from cycles.stages import Stage
from territories.models import TerritoryAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(user_with_role, company):
    """Ann planned the second territory until yesterday; Ben plans it from today."""
    today = timezone.localdate()
    territory = company.territories[1]
    ann = user_with_role(Role.DEMAND_PLANNER, username="ann")
    ben = user_with_role(Role.DEMAND_PLANNER, username="ben")
    TerritoryAssignment.objects.create(
        territory=territory, user=ann, valid_to=today - timedelta(days=1)
    )
    TerritoryAssignment.objects.create(territory=territory, user=ben, valid_from=today)
    return territory, ann.get_full_name(), ben.get_full_name()


def waiting_row(client, manager, cycle, territory) -> str:
    client.force_login(manager)
    body = html.unescape(client.get(f"/cycles/?cycle={cycle.pk}").content.decode())
    start = body.index(f"<tr><td>{territory.name}</td>")
    return body[start : body.index("</tr>", start)]


@pytest.mark.parametrize("stage", [Stage.DATA_GATHERING, Stage.DEMAND_PLANNING])
def test_the_board_waits_on_todays_planner_not_the_one_who_moved(
    client, manager, cycle, moved, stage
):
    Cycle.objects.filter(pk=cycle.pk).update(stage=stage)

    territory, ann, ben = moved

    row = waiting_row(client, manager, cycle, territory)

    assert ben in row
    assert ann not in row
