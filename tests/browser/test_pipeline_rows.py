"""A planner sees the Pipeline rows in the demand grid and opens the deals behind a cell."""

import pytest

from tests.fixtures.pipeline import crm_deal

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_planner_opens_the_deals_behind_a_pipeline_cell(
    demand_cycle, planners, login, company, crm_stages
):
    own, other = company.territories[0], company.territories[1]
    sku = company.products[0]
    crm_deal(
        crm_stages["proposal"],
        territory=own,
        value="500",
        lines=[(sku, 10, 50)],
        name="Alpha order",
        organization="Alpha Ltd",
        owner_name="Ann",
    )
    crm_deal(
        crm_stages["proposal"],
        territory=other,
        value="100",
        lines=[(sku, 5, 20)],
        name="Gamma top-up",
    )
    page = login(planners[0])
    page.goto("/demand/")
    page.wait_for_selector("#demand-grid-app[data-loaded]")
    family = company.families[0]
    row_id = f"{family.pk}-{own.region_id}:pipeline"
    pipeline_cell = page.locator(f'.ag-row[row-id="{row_id}"] .ag-cell[col-id="h_2026-12"]').first
    assert pipeline_cell.inner_text() == "9"  # 10 x 60% + 5 x 60%, both territories of the region
    assert page.locator(f'.ag-row[row-id="{family.pk}-{own.region_id}:pipeline_learned"]').count()
    pipeline_cell.click()
    page.wait_for_selector("#pipeline-deals:not([hidden]) tbody tr")
    listed = page.inner_text("#pipeline-deals")
    assert "Alpha order" in listed and "Alpha Ltd" in listed and "Proposal" in listed
    assert "Gamma top-up" not in listed
    assert "1 more deal(s) in territories you do not plan" in listed
