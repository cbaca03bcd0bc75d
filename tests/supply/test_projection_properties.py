"""Invariants of the supply plan over generated inputs (seeded, several hundred each)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supply.projection import WEEKS_PER_MONTH, SupplyInput, project

TOLERANCE = 1e-6
seeded = settings(
    derandomize=True, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
figures = st.one_of(st.integers(0, 1000), st.floats(0, 1000).map(lambda v: round(v, 1)))


@st.composite
def supply_inputs(draw) -> SupplyInput:
    months = draw(st.integers(1, 12))

    def series(values):
        return draw(st.lists(values, min_size=months, max_size=months))

    capacity = series(figures)
    minimum = [min(low, high) for low, high in zip(series(figures), capacity, strict=True)]
    targets_in_units = draw(st.booleans())
    return SupplyInput(
        demand=series(figures),
        capacity=capacity,
        opening_inventory=draw(st.integers(0, 3000)),
        target_weeks=None if targets_in_units else series(st.integers(0, 8)),
        target_units=series(st.integers(0, 2000)) if targets_in_units else None,
        min_production=draw(st.sampled_from([None, minimum, [0] * months])),
        max_cover_weeks=draw(st.one_of(st.none(), st.integers(1, 16))),
    )


def _minimum(plan_input: SupplyInput) -> list[float]:
    return list(plan_input.min_production or [0] * len(plan_input.demand))


def _max_inventory(plan_input: SupplyInput, month: int) -> float:
    demand = plan_input.demand
    ahead = list(demand[month + 1 : month + 4]) or [demand[month]]
    weekly = sum(ahead) / len(ahead) / WEEKS_PER_MONTH
    if plan_input.max_cover_weeks is None or weekly <= 0:
        return float("inf")
    return plan_input.max_cover_weeks * weekly


def _shortage_at_full_capacity(plan_input: SupplyInput) -> float:
    """The least shortage any plan can have: make all you can, ship all you have."""
    stock, short = plan_input.opening_inventory, 0.0
    for demand, capacity in zip(plan_input.demand, plan_input.capacity, strict=True):
        short += max(0.0, demand - stock - capacity)
        stock = max(0.0, stock + capacity - demand)
    return short


@seeded
@given(supply_inputs())
def test_production_never_leaves_minimum_and_capacity(plan_input):
    plan = project(plan_input)
    for made, low, high in zip(
        plan.production, _minimum(plan_input), plan_input.capacity, strict=True
    ):
        assert low - TOLERANCE <= made <= high + TOLERANCE


@seeded
@given(supply_inputs())
def test_stock_balances_exactly_every_month(plan_input):
    plan = project(plan_input)
    inventory = plan_input.opening_inventory
    for t, demand in enumerate(plan_input.demand):
        assert 0 <= plan.shortage[t] <= demand and plan.closing_inventory[t] >= 0
        inventory = inventory + plan.production[t] - (demand - plan.shortage[t])
        assert plan.closing_inventory[t] == pytest.approx(inventory, abs=TOLERANCE)


@seeded
@given(supply_inputs())
def test_no_month_has_spare_capacity_while_stock_is_below_target_and_cover(plan_input):
    plan = project(plan_input)
    for t, made in enumerate(plan.production):
        spare = made < plan_input.capacity[t] - TOLERANCE
        below = plan.closing_inventory[t] < plan.target_inventory[t] - TOLERANCE
        under_max = plan.closing_inventory[t] < _max_inventory(plan_input, t) - TOLERANCE
        assert not (spare and below and under_max), f"month {t + 1}"


@seeded
@given(supply_inputs())
def test_shortage_only_where_capacity_and_stock_could_not_meet_demand(plan_input):
    plan = project(plan_input)
    assert sum(plan.shortage) == pytest.approx(
        _shortage_at_full_capacity(plan_input), abs=TOLERANCE
    )
    for t, short in enumerate(plan.shortage):
        if short > TOLERANCE:
            assert plan.production[t] == pytest.approx(plan_input.capacity[t], abs=TOLERANCE)


@settings(derandomize=True, max_examples=50, deadline=None)
@given(supply_inputs())
def test_the_same_inputs_give_the_same_plan(plan_input):
    assert project(plan_input) == project(plan_input)
