"""A planner's home page shows the forecast error and bias of their own region and territories."""

import html

import pytest

from accounts.roles import Role

pytestmark = pytest.mark.django_db


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
