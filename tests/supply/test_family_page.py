"""The family's supply page: the plan a Supply Planner reads, month by month."""

import re

import pytest

from accounts.roles import Role
from cycles.stages import Stage
from tests.supply.plan_data import open_cycle, squeezed_family

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[list[str]]:
    """The month table's rows as the cells' text."""
    rows = re.findall(r"<tr><td>\d{4}-\d{2}</td>(.*?)</tr>", html)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]


def test_after_a_squeeze_the_page_shows_stock_rebuilt_at_capacity_and_no_flag_once_at_target(
    company, client, users_by_role
):
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)
    family = squeezed_family(cycle, company)
    client.force_login(users_by_role[Role.SUPPLY_PLANNER])
    html = client.get(f"/supply/{cycle.pk}/family/{family.pk}/").content.decode()
    # columns: demand, capacity, production, inventory, target, cover, shortage, flags
    after = _rows(html)[7:]
    assert [row[2] for row in after] == ["120", "120", "100", "100", "100"]
    assert [row[3] for row in after] == ["130", "150", "150", "150", "150"]
    assert [row[-1] for row in after] == ["inventory below target", "", "", "", ""]
