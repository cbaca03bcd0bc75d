"""The supply grid names a garbled row version instead of answering 500, and saves nothing."""

import pytest

from accounts.roles import Role
from cycles.models import PlanValue
from cycles.stages import Stage
from tests.supply.plan_data import open_cycle

pytestmark = pytest.mark.django_db


def test_a_garbled_row_version_is_refused_and_nothing_is_saved(company, client, users_by_role):
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)
    client.force_login(users_by_role[Role.SUPPLY_PLANNER])
    response = client.post(
        f"/supply/{cycle.pk}/family/{company.families[0].pk}/inputs/",
        {"capacity__2026-11": "25", "v__capacity__2026-11": "abc"},
        follow=True,
    )
    assert response.status_code == 400  # a hidden field no one types: the page says why
    assert "Field v__capacity__2026-11 holds “abc”" in response.content.decode()
    assert not PlanValue.objects.filter(measure="capacity").exists()
