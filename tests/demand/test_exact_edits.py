"""A percent edit moves the edited total by exactly that percent; override and consensus agree.

Issue 13, defect 5: +10% on a level whose figures have decimals (a statistical
baseline) rounded every cell first and scaled the rounded sum, and a cell whose
rounded value did not move got no override, so the level showed override 1,099
beside consensus 1,100.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from cycles import services as cycle_services
from cycles.models import PlanValue
from cycles.stages import Stage
from demand.baseline import baseline_load
from tests.cycles.conftest import MONTH, add_actuals
from tests.demand.conftest import add_reason_codes, done_run
from tests.demand.test_grid_and_api import client_for, grid
from tests.demand.test_overrides import edit

pytestmark = pytest.mark.django_db

# Family 0 holds products 0, 2 and 4: a tiny SKU beside two with decimals.
POINTS = {0: 1.0, 2: 500.45, 4: 499.45}


def fractional_point(index: int, territory_id: int, month: date) -> float:
    return POINTS.get(index, 100.25)


@pytest.fixture
def fractional_cycle(manager, company):
    """Demand planning with a baseline that has decimals, as a forecast run leaves it."""
    add_reason_codes()
    add_actuals(company, date(2026, 10, 1))
    cycle = cycle_services.cycle_open(actor=manager, month=MONTH)
    cycle = cycle_services.cycle_advance(
        actor=manager, cycle_id=cycle.pk, stage=Stage.DATA_GATHERING
    )
    done_run(cycle, company, point=fractional_point)
    baseline_load(actor=manager, cycle_id=cycle.pk)
    cycle.refresh_from_db()
    return cycle


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
    assert level_total(fractional_cycle, "consensus", **cells) == Decimal(1101)  # 1,100.99; rounded cells first gave 1,100


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
