"""A planner's home page shows the forecast error and bias of their own region and territories."""

import html
from datetime import date

import pytest

from accounts.roles import Role
from cycles.models import Cycle
from reassessment.models import AccuracyScore

pytestmark = pytest.mark.django_db
NOVEMBER = date(2026, 11, 1)


def score(cycle: Cycle, level: str, key: int, wape: float, bias: float, month=NOVEMBER) -> None:
    AccuracyScore.objects.create(
        cycle=cycle, cycle_month=cycle.month, month=month, lag=1, level=level, key=key,
        series=10, actual_total=100, forecast_total=100 + bias, abs_error=wape,
        wape=wape, bias_pct=bias,
    )  # fmt: skip


@pytest.fixture
def scored(company, users_by_role):
    """Scores of the October plan for November: the company, both regions, two territories."""
    cycle = Cycle.objects.create(
        month=date(2026, 10, 1), owner=users_by_role[Role.SALES_OPS_MANAGER]
    )
    mine, other = company.territories[0], company.territories[-1]
    assert mine.region_id != other.region_id
    score(cycle, "company", 0, 22.2, 4.2)
    score(cycle, "region", mine.region_id, 18.4, -3.1)
    score(cycle, "region", other.region_id, 31.7, 9.9)
    score(cycle, "territory", mine.pk, 15.25, -6.04)
    score(cycle, "territory", other.pk, 40.0, 12.0)
    score(cycle, "territory", mine.pk, 99.0, 99.0, month=date(2026, 10, 1))  # older: not shown
    return mine, other


def rows(client, user) -> dict[str, list[str]]:
    client.force_login(user)
    page = html.unescape(client.get("/").content.decode())
    if 'id="my-accuracy"' not in page:
        return {}
    table = page.split('id="my-accuracy"', 1)[1].split("</tbody>", 1)[0]
    found = {}
    for row in table.split('<tr class="scope-')[1:]:
        cells = [c.split("</td>", 1)[0] for c in row.split("<td")[1:]]
        found[row.split('"', 1)[0] + ":" + cells[0].split(">", 1)[1]] = [
            c.split(">", 1)[1] for c in cells[1:]
        ]
    return found


def test_a_planner_sees_their_region_and_territory_beside_the_company(
    client, scored, user_with_role, company
):
    mine, other = scored
    planner = user_with_role(Role.DEMAND_PLANNER, territories=[mine])
    found = rows(client, planner)
    assert found["company:<em>Company</em>"] == ["Nov 2026", "22.2 %", "4.2 %"]
    region = f'region:<strong>{mine.region.name}</strong> <span class="muted">(region)</span>'
    assert found[region] == ["Nov 2026", "18.4 %", "-3.1 %"]
    assert found[f"territory:{mine.name}"] == ["Nov 2026", "15.3 %", "-6.0 %"]
    assert not any(other.name in key or other.region.name in key for key in found)


def test_a_territory_not_scored_yet_says_so(client, scored, user_with_role, company):
    planner = user_with_role(Role.DEMAND_PLANNER, territories=[company.territories[1]])
    found = rows(client, planner)
    assert found[f"territory:{company.territories[1].name}"] == ["not scored yet", "—", "—"]


def test_roles_without_territories_see_no_scope_table(client, scored, users_by_role):
    assert rows(client, users_by_role[Role.FINANCE]) == {}
