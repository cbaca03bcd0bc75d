"""The grid API's totals, marks and per-cell composition, as the cockpit shows them."""

import pytest

from tests.fixtures.demand import client_for, grid, post_override

pytestmark = pytest.mark.django_db


def test_each_row_has_its_total_and_year_totals_and_the_scope_has_a_total_row(
    demand_cycle, manager
):
    data = grid(manager, demand_cycle)
    assert [c["key"] for c in data["total_columns"]] == ["total", "y2026", "y2027"]
    row = data["rows"][0]
    consensus = row["values"]["consensus"]
    assert row["totals"]["consensus"]["total"] == sum(consensus.values())
    assert row["totals"]["consensus"]["y2026"] == sum(
        v for m, v in consensus.items() if m.startswith("2026")
    )
    month = data["months"][0]
    assert data["total"]["values"]["consensus"][month] == sum(
        r["values"]["consensus"][month] for r in data["rows"]
    )


def test_the_total_row_covers_every_page(demand_cycle, manager):
    whole = grid(manager, demand_cycle, product_level="sku", territory_level="territory")
    page = grid(manager, demand_cycle, product_level="sku", territory_level="territory", limit=3)
    assert page["total"]["totals"] == whole["total"]["totals"]
    assert len(page["rows"]) == 3


def test_an_override_is_marked_with_who_and_why_at_every_level(demand_cycle, manager):
    row = grid(manager, demand_cycle)["rows"][0]
    assert post_override(manager, demand_cycle, row, 999).status_code == 201
    month = f"{demand_cycle.month:%Y-%m}"
    for level in ("region", "company", "territory"):
        rows = grid(manager, demand_cycle, territory_level=level)["rows"]
        marked = [r for r in rows if r["overridden"].get(month)]
        assert marked, level
        assert "set to 999 because of customer intelligence" in marked[0]["notes"][month]
        assert not any(r["overridden"].get("2027-10") for r in rows)


def test_the_composition_of_a_cell_says_how_its_consensus_is_made(demand_cycle, manager):
    row = grid(manager, demand_cycle)["rows"][0]
    post_override(manager, demand_cycle, row, 999)
    month = f"{demand_cycle.month:%Y-%m}"
    response = client_for(manager).get(
        f"/api/demand/cycles/{demand_cycle.pk}/composition/", {**row["filters"], "month": month}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    baseline = round(row["values"]["baseline"][month])
    assert body["words"] == (
        f"Baseline {baseline}; overrides make it 999 (+{999 - baseline}); consensus 999."
    )
    history = client_for(manager).get(
        f"/api/demand/cycles/{demand_cycle.pk}/overrides/", row["filters"]
    )
    assert "set to 999 because of customer intelligence" in history.json()[0]["words"]


def test_the_composition_names_a_promotion_on_the_cell(demand_cycle, manager, company):
    family, month = company.families[0], f"{demand_cycle.month:%Y-%m}"
    event = {
        "kind": "promotion",
        "name": "Summer deal",
        "family": family.pk,
        "first_month": f"{month}-01",
        "last_month": f"{month}-01",
        "uplift_percent": "50",
    }
    client = client_for(manager)
    assert (
        client.post(
            f"/api/demand/cycles/{demand_cycle.pk}/events/", event, format="json"
        ).status_code
        == 201
    )
    body = client.get(
        f"/api/demand/cycles/{demand_cycle.pk}/composition/", {"family": family.pk, "month": month}
    ).json()
    assert "events add" in body["words"] and "a promotion (Summer deal)" in body["words"]
    assert body["consensus"] == body["baseline"] + body["events"]


def exported_rows(user, cycle) -> list[tuple]:
    from io import BytesIO

    from django.test import Client
    from openpyxl import load_workbook

    client = Client()
    client.force_login(user)
    content = client.get(f"/demand/{cycle.pk}/export.xlsx").content
    return list(load_workbook(BytesIO(content))["consensus"].iter_rows(values_only=True))


def test_a_planners_export_holds_their_territories_in_whole_units_without_ids(
    demand_cycle, planners, company
):
    rows = exported_rows(planners[0], demand_cycle)
    header, body = rows[0], rows[1:]
    assert header[:4] == ("Family", "Region", "Territory", "SKU") and header[-1] == "Total"
    skus = [r for r in body if r[3]]
    assert {r[2] for r in skus} == {company.territories[0].name}
    assert all(isinstance(v, int) for r in skus for v in r[4:-1])
    assert skus[0][-1] == "=SUM(E2:P2)"


def test_the_export_totals_are_subtotal_formulas_over_the_rows(demand_cycle, manager):
    rows = exported_rows(manager, demand_cycle)
    subtotals = [r for r in rows[1:] if not r[3]]
    assert subtotals[-1][0] == "Total" and subtotals[-1][4] == f"=SUBTOTAL(9,E2:E{len(rows) - 1})"
    assert any(str(r[2]).endswith(" total") for r in subtotals)
    assert all(str(v).startswith("=SUBTOTAL(9,") for r in subtotals for v in r[4:])
