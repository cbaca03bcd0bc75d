"""The supply input grid reads figures as people type them, and a refused grid comes back
as typed: every figure kept, the bad cell named by family, measure and month."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from cycles.models import PlanValue
from cycles.stages import Stage
from tests.supply.plan_data import open_cycle, values

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(users_by_role, company):
    return open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)


def post_grid(client, user, cycle, family, fields: dict):
    client.force_login(user)
    return client.post(f"/supply/{cycle.pk}/family/{family.pk}/inputs/", fields, follow=True)


def test_a_garbled_row_version_is_refused_and_nothing_is_saved(
    cycle, company, client, users_by_role
):
    response = post_grid(
        client,
        users_by_role[Role.SUPPLY_PLANNER],
        cycle,
        company.families[0],
        {"capacity__2026-11": "25", "v__capacity__2026-11": "abc"},
    )
    assert response.status_code == 400  # a hidden field no one types: the page says why
    assert "Field v__capacity__2026-11 “abc”: Enter a whole number." in response.content.decode()
    assert not PlanValue.objects.filter(measure="capacity").exists()


def test_10_500_typed_in_the_grid_is_saved_as_ten_thousand_five_hundred(
    cycle, company, client, users_by_role
):
    response = post_grid(
        client,
        users_by_role[Role.SUPPLY_PLANNER],
        cycle,
        company.families[0],
        {"capacity__2026-11": "10,500", "target_weeks__2026-12": "1,250.5"},
    )
    assert response.status_code == 200
    assert "2 figure(s) saved." in response.content.decode()
    assert list(values(cycle, "capacity").values()) == [Decimal(10500)]
    assert list(values(cycle, "target_weeks").values()) == [Decimal("1250.5")]


def test_a_bad_cell_is_named_and_every_typed_figure_comes_back(
    cycle, company, client, users_by_role
):
    family = company.families[0]
    typed = {f"capacity__2027-{m:02d}": f"{m},000" for m in range(1, 10)}
    typed["min_production__2027-03"] = "10,5"
    response = post_grid(client, users_by_role[Role.SUPPLY_PLANNER], cycle, family, typed)
    body = response.content.decode()
    assert response.status_code == 400
    assert (
        f"{family}, Minimum production, 2027-03 “10,5”: not a number written with a decimal "
        "point, comma for thousands" in body
    )
    for name, text in typed.items():
        assert f'name="{name}" value="{text}"' in body
    assert 'value="10,5" inputmode="decimal" size="9" aria-invalid="true"' in body
    assert values(cycle, "capacity") == {}  # all or nothing


def test_a_frozen_grid_comes_back_with_the_typed_figures_and_the_reason(
    cycle, company, client, users_by_role
):
    type(cycle).objects.filter(pk=cycle.pk).update(stage=Stage.RECONCILIATION)
    response = post_grid(
        client,
        users_by_role[Role.SUPPLY_PLANNER],
        cycle,
        company.families[0],
        {"capacity__2027-01": "7,000"},
    )
    body = response.content.decode()
    assert response.status_code in (400, 403)
    assert "frozen in Reconciliation" in body
    assert 'name="capacity__2027-01" value="7,000"' in body
