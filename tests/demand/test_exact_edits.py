"""A percent edit moves the edited total by exactly that percent; override and consensus agree.

Issue 13, defect 5: +10% on a level whose figures have decimals (a statistical
baseline) rounded every cell first and scaled the rounded sum, and a cell whose
rounded value did not move got no override, so the level showed override 1,099
beside consensus 1,100.
"""

from decimal import Decimal

import pytest
from django.db.models import Sum

from cycles.models import PlanValue
from tests.fixtures.demand import client_for, edit, grid

pytestmark = pytest.mark.django_db


def level_total(cycle, measure: str, **filters) -> Decimal:
    rows = PlanValue.objects.filter(cycle=cycle, measure=measure, valid_to_seq=None, **filters)
    return rows.aggregate(total=Sum("value"))["total"] or Decimal(0)


def leaf_figures(cycle, measure: str, **filters) -> dict:
    rows = PlanValue.objects.filter(cycle=cycle, measure=measure, valid_to_seq=None, **filters)
    return dict(rows.values_list("product_id", "value"))


def test_plus_ten_percent_moves_the_total_by_ten_percent_to_the_unit(
    fractional_cycle, manager, company
):
    cells = {"product__family": company.families[0], "territory": company.territories[0]}
    cells["month"] = fractional_cycle.month
    before = level_total(fractional_cycle, "consensus", **cells)
    assert before == Decimal("1000.90")
    level = {"family": company.families[0].pk, "territory": company.territories[0].pk}
    edit(manager, fractional_cycle, level, mode="percent", value=10)
    # 1,100.99 rounded once; rounding the cells first gave 1,100
    assert level_total(fractional_cycle, "consensus", **cells) == Decimal(1101)


def test_every_cell_of_the_edited_level_shows_the_override_it_has(
    fractional_cycle, manager, company
):
    cells = {"product__family": company.families[0], "territory": company.territories[0]}
    cells["month"] = fractional_cycle.month
    level = {"family": company.families[0].pk, "territory": company.territories[0].pk}
    edit(manager, fractional_cycle, level, mode="percent", value=10)
    consensus = leaf_figures(fractional_cycle, "consensus", **cells)
    assert leaf_figures(fractional_cycle, "override", **cells) == consensus
    assert sorted(consensus.values()) == [Decimal(1), Decimal(549), Decimal(551)]


def test_the_grid_shows_ten_percent_and_equal_override_and_consensus_after_an_api_edit(
    fractional_cycle, manager, company
):
    params = {"family": company.families[0].pk, "territory": company.territories[0].pk}
    params.update(product_level="family", territory_level="territory")
    row = grid(manager, fractional_cycle, **params)["rows"][0]
    month = f"{fractional_cycle.month:%Y-%m}"
    body = {
        **row["filters"],
        "first_month": f"{month}-01",
        "last_month": f"{month}-01",
        "mode": "percent",
        "value": "10",
        "reason_code": "customer-intelligence",
        "expected_versions": {month: row["versions"][month]},
    }
    url = f"/api/demand/cycles/{fractional_cycle.pk}/overrides/"
    response = client_for(manager).post(url, body, format="json")
    assert response.status_code == 201
    assert Decimal(response.json()["total_after"]) == Decimal(1101)
    after = grid(manager, fractional_cycle, **params)["rows"][0]["values"]
    assert after["consensus"][month] == 1101 == after["override"][month]
