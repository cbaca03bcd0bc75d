"""Supply inputs and the computed supply plan, through the services and the plan store."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from cycles import measures
from cycles.stages import Stage
from sop_planner.errors import Conflict, DomainError, NotAllowed
from supply import selectors, services
from tests.supply.plan_data import (
    family_capacity,
    open_cycle,
    put_consensus,
    squeezed_family,
    values,
)

DEC, JAN = date(2026, 12, 1), date(2027, 1, 1)


@pytest.fixture
def supply_cycle(company, users_by_role):
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)
    family = company.families[0]
    first, second = company.products[0], company.products[2]  # both in family 0
    put_consensus(cycle, first, company.territories[0], [60] * 12)
    put_consensus(cycle, second, company.territories[3], [40] * 12)
    family_capacity(cycle, family, [120, 120, 50] + [100] * 9)
    return cycle


@pytest.fixture
def planner(users_by_role):
    return users_by_role[Role.SUPPLY_PLANNER]


def test_consensus_is_summed_per_family_and_month_across_products_and_territories(
    supply_cycle, company
):
    inputs = selectors.supply_inputs_all(supply_cycle)
    assert inputs[company.families[0].pk].demand == [100.0] * 12
    assert inputs[company.families[0].pk].capacity[:3] == [120.0, 120.0, 50.0]


def test_computing_the_plan_stores_production_inventory_and_shortage_per_family(
    supply_cycle, planner, company
):
    services.supply_plan_compute(actor=planner, cycle_id=supply_cycle.pk)
    anchor = selectors.family_anchors()[company.families[0].pk]
    production = values(supply_cycle, "production")
    key = (anchor.product_id, anchor.territory_id)
    # January can make 50 of 100: December pre-builds 20 more, November 20; 10 stay short
    assert [production[(*key, m)] for m in supply_cycle.horizon()[:3]] == [120, 120, 50]
    assert values(supply_cycle, "projected_inventory")[(*key, DEC)] == Decimal(40)
    assert values(supply_cycle, "shortage")[(*key, JAN)] == Decimal(10)
    assert AuditEvent.objects.filter(action="supply.plan_computed").count() == 1


def test_computing_twice_changes_no_figure_the_second_time(supply_cycle, planner):
    services.supply_plan_compute(actor=planner, cycle_id=supply_cycle.pk)
    services.supply_plan_compute(actor=planner, cycle_id=supply_cycle.pk)
    last = AuditEvent.objects.filter(action="supply.plan_computed").order_by("pk").last()
    assert last.after["figures_changed"] == 0


def test_the_plan_is_computed_only_in_supply_planning(company, users_by_role, planner):
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.DEMAND_PLANNING)
    with pytest.raises(DomainError, match="computed in Supply planning"):
        services.supply_plan_compute(actor=planner, cycle_id=cycle.pk)
    assert values(cycle, "production") == {}


def test_the_grid_saves_all_figures_or_none(supply_cycle, planner, company):
    family = company.families[0]
    cells = {("min_production", DEC): ("10", 0), ("target_weeks", JAN): ("minus one", 0)}
    with pytest.raises(DomainError, match="'minus one' is not a number"):
        services.supply_inputs_save(
            actor=planner, cycle_id=supply_cycle.pk, family_id=family.pk, cells=cells
        )
    assert values(supply_cycle, "min_production") == {}
    cells[("target_weeks", JAN)] = ("2", 0)
    services.supply_inputs_save(
        actor=planner, cycle_id=supply_cycle.pk, family_id=family.pk, cells=cells
    )
    assert sorted(values(supply_cycle, "target_weeks").values()) == [Decimal(2)]


def test_a_typed_figure_with_thousands_separators_is_saved_as_written(
    supply_cycle, planner, company
):
    cells = {("min_production", DEC): ("10,500", 0), ("target_weeks", JAN): ("1,250.5", 0)}
    services.supply_inputs_save(
        actor=planner, cycle_id=supply_cycle.pk, family_id=company.families[0].pk, cells=cells
    )
    assert sorted(values(supply_cycle, "min_production").values()) == [Decimal(10500)]
    assert sorted(values(supply_cycle, "target_weeks").values()) == [Decimal("1250.5")]


def test_every_bad_typed_figure_is_named_by_measure_and_month_and_nothing_is_saved(
    supply_cycle, planner, company
):
    cells = {
        ("capacity", JAN): ("10,5", 0),
        ("min_production", DEC): ("ten", 0),
        ("target_weeks", JAN): ("2", 0),
    }
    with pytest.raises(DomainError) as refused:
        services.supply_inputs_save(
            actor=planner, cycle_id=supply_cycle.pk, family_id=company.families[0].pk, cells=cells
        )
    message = refused.value.message
    capacity, minimum = (
        measures.measure("capacity").label,
        measures.measure("min_production").label,
    )
    assert (
        f"{capacity}, {JAN:%Y-%m}: '10,5' is not a number written with a decimal point" in message
    )
    assert f"{minimum}, {DEC:%Y-%m}: 'ten' is not a number" in message
    assert values(supply_cycle, "target_weeks") == {}


def test_a_figure_changed_by_someone_else_is_not_overwritten(supply_cycle, planner, company):
    family, cell = company.families[0], ("capacity", DEC)
    with pytest.raises(Conflict, match="Nothing was overwritten"):
        services.supply_inputs_save(
            actor=planner, cycle_id=supply_cycle.pk, family_id=family.pk, cells={cell: ("9", 0)}
        )


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.SUPPLY_PLANNER])
def test_only_the_supply_planner_enters_inputs_and_computes(
    supply_cycle, users_by_role, role, company
):
    actor = users_by_role[role]
    with pytest.raises(NotAllowed):
        services.supply_plan_compute(actor=actor, cycle_id=supply_cycle.pk)
    with pytest.raises(NotAllowed):
        services.supply_inputs_save(
            actor=actor,
            cycle_id=supply_cycle.pk,
            family_id=company.families[0].pk,
            cells={("min_production", DEC): ("1", 0)},
        )
    assert values(supply_cycle, "production") == {}


def test_capacity_entered_per_sku_adds_up_to_the_family(supply_cycle, company):
    from tests.supply.plan_data import put

    put(supply_cycle, "capacity", company.products[2], company.territories[0], JAN, 30)
    inputs = selectors.supply_inputs_all(supply_cycle)
    assert inputs[company.families[0].pk].capacity[2] == 80.0  # 50 on the family + 30 on a SKU


def test_after_a_squeeze_the_stored_plan_rebuilds_stock_to_target(company, users_by_role, planner):
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)
    family = squeezed_family(cycle, company)
    services.supply_plan_compute(actor=planner, cycle_id=cycle.pk)
    anchor = selectors.family_anchors()[family.pk]
    key = (anchor.product_id, anchor.territory_id)
    months = cycle.horizon()[7:]
    assert [values(cycle, "production")[(*key, m)] for m in months] == [120, 120, 100, 100, 100]
    stock = values(cycle, "projected_inventory")
    assert [stock[(*key, m)] for m in months] == [130, 150, 150, 150, 150]
