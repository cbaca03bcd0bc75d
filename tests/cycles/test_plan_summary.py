"""The sign-off page's "The plan" table: each measure counted the way it adds up."""

from datetime import date

import pytest

from accounts.roles import Role
from cycles.measures import Aggregation, measure, over_horizon
from cycles.stages import Stage
from tests.supply.plan_data import open_cycle, put

OCT, NOV, DEC = date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)


def test_flows_add_up_over_the_months():
    figure = over_horizon(measure("shortage"), {OCT: (10.0, 2), NOV: (5.0, 2)})
    assert (figure.value, figure.basis) == (15.0, "total over 2 months")


def test_a_stock_is_its_last_months_level_not_a_sum_of_months():
    figure = over_horizon(measure("projected_inventory"), {OCT: (100.0, 2), DEC: (40.0, 2)})
    assert (figure.value, figure.basis) == (40.0, "as of Dec 2026")


def test_weeks_of_cover_are_averaged_not_added():
    figure = over_horizon(measure("target_weeks"), {OCT: (8.0, 2), NOV: (4.0, 1)})
    assert (figure.value, figure.basis) == (4.0, "average over 2 months")


@pytest.mark.parametrize("code", ["opening_inventory", "inventory_target", "projected_inventory"])
def test_inventory_measures_are_stocks(code):
    assert measure(code).aggregation is Aggregation.STOCK


def test_a_price_has_no_horizon_figure_of_its_own():
    with pytest.raises(ValueError, match="weighted"):
        over_horizon(measure("price"), {OCT: (9.0, 1)})


def _row(page: str, code: str) -> str:
    return page.split(f'data-measure="{code}"')[1].split("</tr>")[0]


def test_the_signoff_plan_table_does_not_add_up_stocks_or_weeks(company, client, users_by_role):
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SIGN_OFF)
    product, territory = company.products[0], company.territories[0]
    for month, stock, weeks, units in zip(
        cycle.horizon()[:3], [1000, 1500, 1200], [4, 6, 5], [700, 800, 900], strict=True
    ):
        put(cycle, "projected_inventory", product, territory, month, stock)
        put(cycle, "target_weeks", product, territory, month, weeks)
        put(cycle, "production", product, territory, month, units)
    client.force_login(users_by_role[Role.EXECUTIVE])
    page = client.get(f"/cycles/{cycle.pk}/sign-off/").content.decode()
    plan = page.split('id="plan-summary"')[1]
    assert ">1,200<" in _row(plan, "projected_inventory") and "as of Jan 2027" in plan
    assert ">5.0<" in _row(plan, "target_weeks") and "average over 3 months" in plan
    assert ">2,400<" in _row(plan, "production") and "total over 3 months" in plan
    assert "Figures" not in plan  # the raw count of cells is not an executive's figure
