"""The version comparison opens on the plan's latest step, sums each measure, and filters by measure."""

import re
from datetime import date

import pytest

from accounts.roles import Role
from cycles.models import PlanValue
from cycles.plan_services import plan_value_set
from cycles.stages import Stage
from tests.fixtures.cycles import baseline_from_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplied(cycle, walk, planners, company, users_by_role, manager):
    """The baseline (#1), an override of 42 in demand planning (#1 -> #2), then a capacity of 500
    in supply planning."""
    cycle = baseline_from_run(walk(cycle, Stage.DEMAND_PLANNING), company, manager)
    figure = {
        "product_id": company.products[0].pk,
        "territory_id": company.territories[0].pk,
        "month": date(2026, 12, 1),
        "expected_row_version": 0,
    }
    plan_value_set(actor=planners[0], cycle_id=cycle.pk, measure="override", value=42, **figure)
    cycle = walk(cycle, Stage.SUPPLY_PLANNING)
    supply = users_by_role[Role.SUPPLY_PLANNER]
    plan_value_set(actor=supply, cycle_id=cycle.pk, measure="capacity", value=500, **figure)
    return cycle


def _table(body: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', body, re.S).group(0)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody>")[1].split("</tbody>")[0], re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in rows
    ]


def test_the_comparison_opens_on_the_latest_step_that_changed_the_plan(client, manager, supplied):
    client.force_login(manager)
    body = client.get(f"/cycles/{supplied.pk}/compare/").content.decode()
    assert re.search(r'name="a".*?<option value="2" selected>', body, re.S)
    assert re.search(r'name="b".*?<option value="now" selected>', body, re.S)
    assert _table(body, "change-summary") == [["Capacity", "1", "500"]]
    assert [row[0] for row in _table(body, "changes")] == ["Capacity"]


def test_the_comparison_sums_each_measure_and_names_it(client, manager, supplied):
    client.force_login(manager)
    body = client.get(f"/cycles/{supplied.pk}/compare/?a=1&b=now").content.decode()
    assert _table(body, "change-summary") == [
        ["Capacity", "1", "500"],
        ["Demand override", "1", "42"],
    ]
    changes = _table(body, "changes")
    assert [row[0] for row in changes] == ["Capacity", "Demand override"]
    assert "2 changed figures" in body


def test_the_comparison_lists_one_measure_when_asked(client, manager, supplied):
    client.force_login(manager)
    url = f"/cycles/{supplied.pk}/compare/?a=1&b=now&measure=override"
    body = client.get(url).content.decode()
    assert [row[0] for row in _table(body, "changes")] == ["Demand override"]
    assert "1 changed figure" in body and len(_table(body, "change-summary")) == 2
    odd = client.get(f"/cycles/{supplied.pk}/compare/?a=1&b=now&measure=zz").content.decode()
    assert "Ignored measure “zz”: there is no such measure." in odd
    assert len(_table(odd, "changes")) == 2


def test_a_change_nobody_is_known_for_shows_a_dash(client, manager, supplied):
    PlanValue.objects.filter(cycle=supplied, measure="capacity").update(changed_by=None)
    client.force_login(manager)
    body = client.get(f"/cycles/{supplied.pk}/compare/?a=1&b=now").content.decode()
    by = {row[0]: row[-1] for row in _table(body, "changes")}
    assert by["Capacity"] == "—" and by["Demand override"] != "—"


def test_a_comparison_asked_backwards_says_it_reads_from_the_earlier_version(
    client, manager, supplied
):
    client.force_login(manager)
    body = client.get(f"/cycles/{supplied.pk}/compare/?a=now&b=1", follow=True).content.decode()
    assert "Shown from the earlier version to the later one." in body
    assert re.search(r'name="a".*?<option value="1" selected>', body, re.S)
    assert re.search(r'name="b".*?<option value="now" selected>', body, re.S)
    assert _table(body, "change-summary") == [
        ["Capacity", "1", "500"],
        ["Demand override", "1", "42"],
    ]


def test_the_compare_api_answers_one_page_at_a_time(manager, supplied):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(manager)
    first = api.get(f"/api/cycles/{supplied.pk}/compare/?a=1&b=now&limit=1").json()
    assert "count" not in first  # the whole comparison is not counted unless asked
    assert [row["measure"] for row in first["results"]] == ["capacity"]
    second = api.get(first["next"]).json()
    assert [(row["measure"], row["after"]) for row in second["results"]] == [
        ("override", "42.0000")
    ]
    assert second["next"] is None
    counted = api.get(f"/api/cycles/{supplied.pk}/compare/?a=1&b=now&limit=1&count=true")
    assert counted.json()["count"] == 2


def test_the_compare_page_lists_the_changes_a_page_at_a_time(
    client, manager, supplied, monkeypatch
):
    from cycles import compare_views

    monkeypatch.setattr(compare_views, "CHANGES_PER_PAGE", 1)
    client.force_login(manager)
    body = client.get(f"/cycles/{supplied.pk}/compare/?a=1&b=now").content.decode()
    assert [row[0] for row in _table(body, "changes")] == ["Capacity"]
    assert "2 changed figures, 1-1 shown" in body
    next_url = re.search(r'id="changes-next" href="([^"]+)"', body).group(1).replace("&amp;", "&")
    body = client.get(f"/cycles/{supplied.pk}/compare/{next_url}").content.decode()
    assert [row[0] for row in _table(body, "changes")] == ["Demand override"]
    assert "2-2 shown" in body and 'id="changes-next"' not in body
