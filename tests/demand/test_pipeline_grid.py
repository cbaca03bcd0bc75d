"""The Pipeline rows of the demand grid and the deals behind a cell, through the API."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from crm.models import Deal
from tests.fixtures.pipeline import crm_deal

pytestmark = pytest.mark.django_db
DEC = "2026-12"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def grid(user, cycle, **params):
    params.setdefault("measures", "baseline,consensus,pipeline,pipeline_learned")
    response = client_for(user).get(f"/api/demand/cycles/{cycle.pk}/grid/", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def deals(company, crm_stages):
    """Proposal (60%) for 10 x SKU 0 in territory 0 at 500; Qualified (20%) for 1,000 of
    family 1 without lines in territory 1; Proposal for 5 x SKU 0 in territory 1 at 100."""
    t0, t1 = company.territories[:2]
    sku = company.products[0]
    return {
        "a": crm_deal(
            crm_stages["proposal"],
            territory=t0,
            value="500",
            lines=[(sku, 10, 50)],
            name="Alpha order",
            organization="Alpha Ltd",
            owner_name="Ann",
        ),
        "b": crm_deal(
            crm_stages["qualified"],
            territory=t1,
            value="1000",
            family=company.families[1],
            name="Beta framework",
        ),
        "c": crm_deal(
            crm_stages["proposal"],
            territory=t1,
            value="100",
            lines=[(sku, 5, 20)],
            name="Gamma top-up",
        ),
    }


def row(rows, **fields):
    return next(r for r in rows if all(r["filters"].get(k) == v for k, v in fields.items()))


def test_pipeline_rows_weigh_open_deals_in_their_close_month_at_every_level(
    demand_cycle, manager, company, deals
):
    family0, family1 = (f.pk for f in company.families)
    t0 = company.territories[0]
    company_rows = grid(manager, demand_cycle, territory_level="company")["rows"]
    assert row(company_rows, family=family0)["values"]["pipeline"][DEC] == 9.0  # 6 + 3 units
    sku_rows = grid(manager, demand_cycle, territory_level="territory", product_level="sku")
    cell = row(sku_rows["rows"], product=company.products[0].pk, territory=t0.pk)
    assert cell["values"]["pipeline"] == {DEC: 6.0}
    assert cell["totals"]["pipeline"]["total"] == 6.0
    revenue = grid(manager, demand_cycle, territory_level="region", units="revenue")
    assert row(revenue["rows"], family=family1)["values"]["pipeline"][DEC] == 200.0
    assert revenue["total"]["values"]["pipeline"][DEC] == 300.0 + 200.0 + 60.0


def test_the_learned_row_uses_the_companys_won_and_lost_history(
    demand_cycle, manager, company, crm_stages, deals
):
    # Of 10 deals that reached Proposal, 2 were won: (2 x 100 + 10 x 60) / 20 = 40%.
    for won in (True,) * 2 + (False,) * 8:
        stage = crm_stages["won"] if won else crm_stages["proposal"]
        crm_deal(stage, status=Deal.Status.WON if won else Deal.Status.LOST, close=None)
    rows = grid(manager, demand_cycle, territory_level="territory", product_level="sku")["rows"]
    cell = row(rows, product=company.products[0].pk, territory=company.territories[0].pk)
    assert cell["values"]["pipeline"][DEC] == 6.0
    assert cell["values"]["pipeline_learned"][DEC] == pytest.approx(4.0)


def test_deleted_won_and_out_of_horizon_deals_are_not_in_the_pipeline(
    demand_cycle, manager, company, crm_stages, deals
):
    t0, sku = company.territories[0], company.products[0]
    crm_deal(crm_stages["proposal"], territory=t0, lines=[(sku, 100, 1)], deleted_upstream=True)
    crm_deal(crm_stages["won"], territory=t0, lines=[(sku, 100, 1)], status=Deal.Status.WON)
    crm_deal(crm_stages["proposal"], territory=t0, lines=[(sku, 100, 1)], close=date(2028, 1, 5))
    rows = grid(manager, demand_cycle, territory_level="territory", product_level="sku")["rows"]
    cell = row(rows, product=sku.pk, territory=t0.pk)
    assert cell["totals"]["pipeline"]["total"] == 6.0


def deals_behind(user, cycle, **params):
    return client_for(user).get(f"/api/demand/cycles/{cycle.pk}/pipeline-deals/", params)


def test_the_deals_behind_a_cell_are_listed_with_their_weighted_figures(
    demand_cycle, manager, company, deals
):
    t0 = company.territories[0]
    found = deals_behind(
        manager, demand_cycle, family=company.families[0].pk, territory=t0.pk, month=DEC
    )
    assert found.status_code == 200, found.content
    [alpha] = found.json()["deals"]
    assert (alpha["name"], alpha["organization"], alpha["owner"]) == (
        "Alpha order",
        "Alpha Ltd",
        "Ann",
    )
    assert (alpha["stage"], alpha["likelihood"], alpha["expected_close"]) == (
        "Proposal",
        "60.00",
        "2026-12-10",
    )
    assert (alpha["weighted_units"], alpha["weighted_revenue"]) == ("6.000", "300.00")
    assert found.json()["hidden"] == 0


def test_a_planner_sees_the_deals_of_their_territories_only(
    demand_cycle, users_by_role, company, deals
):
    planner = users_by_role[Role.DEMAND_PLANNER]  # plans territory 0
    region = company.regions[0].pk
    found = deals_behind(
        planner, demand_cycle, family=company.families[0].pk, region=region, month=DEC
    ).json()
    assert [d["name"] for d in found["deals"]] == ["Alpha order"]
    assert found["hidden"] == 1  # Gamma top-up, in territory 1: counted, not shown
    other = deals_behind(planner, demand_cycle, territory=company.territories[1].pk, month=DEC)
    assert other.status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_every_role_that_sees_the_grid_sees_the_deals_behind_a_company_cell(
    demand_cycle, users_by_role, company, deals, role
):
    found = deals_behind(users_by_role[role], demand_cycle, month=DEC)
    assert found.status_code == 200
    names = {d["name"] for d in found.json()["deals"]}
    expected = (
        {"Alpha order"}
        if role is Role.DEMAND_PLANNER
        else {"Alpha order", "Beta framework", "Gamma top-up"}
    )
    assert names == expected


def test_a_month_that_is_not_a_month_is_refused_in_words(demand_cycle, manager, deals):
    found = deals_behind(manager, demand_cycle, month="December")
    assert found.status_code == 400
    assert "month" in found.json()
