"""The constrained supply plan: hand-checked cases and invariants."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supply.projection import SupplyInput, SupplyInputError, project, weeks_of_cover


def test_ample_capacity_makes_demand_plus_the_target_build():
    plan = project(
        SupplyInput(
            demand=[100, 100, 100],
            capacity=[500] * 3,
            opening_inventory=0,
            target_units=[50, 50, 50],
        )
    )
    assert plan.production == [150, 100, 100]
    assert plan.closing_inventory == [50, 50, 50] and plan.shortage == [0, 0, 0]
    assert plan.flags == [[], [], []]


def test_a_short_month_is_prebuilt_in_the_latest_earlier_month_with_spare_capacity():
    plan = project(
        SupplyInput(demand=[100, 100, 300], capacity=[200, 200, 200], opening_inventory=0)
    )
    assert plan.production == [100, 200, 200]
    assert plan.closing_inventory == [0, 100, 0] and plan.shortage == [0, 0, 0]
    assert plan.flags[2] == ["demand exceeds capacity"]


def test_what_no_month_can_make_is_shortage():
    plan = project(SupplyInput(demand=[100, 400], capacity=[150, 150], opening_inventory=20))
    assert plan.production == [150, 150]
    assert plan.shortage == [0, 180] and plan.closing_inventory == [70, 0]
    assert "shortage of 180 units" in plan.flags[1]


def test_target_in_weeks_of_cover_uses_the_months_ahead():
    demand = [130, 130, 130, 130, 130]
    plan = project(
        SupplyInput(demand=demand, capacity=[1000] * 5, opening_inventory=0, target_weeks=[2] * 5)
    )
    weekly = 130 / (52 / 12)
    assert plan.target_inventory[0] == pytest.approx(2 * weekly)
    assert plan.weeks_of_cover[0] == pytest.approx(2.0)


def test_opening_stock_above_target_is_used_before_producing():
    plan = project(SupplyInput(demand=[100, 100], capacity=[500, 500], opening_inventory=250))
    assert plan.production == [0, 0] and plan.closing_inventory == [150, 50]


def test_minimum_production_runs_even_without_need_and_excess_cover_is_flagged():
    plan = project(
        SupplyInput(
            demand=[10, 10, 10, 10],
            capacity=[500] * 4,
            opening_inventory=0,
            min_production=[200] * 4,
            max_cover_weeks=8,
        )
    )
    assert plan.production == [200] * 4
    assert any("above the maximum of 8" in flag for flag in plan.flags[0])


def test_inventory_below_target_is_flagged():
    plan = project(
        SupplyInput(
            demand=[100, 100], capacity=[100, 100], opening_inventory=0, target_units=[50, 50]
        )
    )
    assert "inventory below target" in plan.flags[0]


def test_no_demand_ahead_means_no_cover_figure():
    assert weeks_of_cover(100, [0, 0, 0], 0) is None


@pytest.mark.parametrize(
    ("plan_input", "message"),
    [
        (
            SupplyInput(demand=[1, 2], capacity=[1], opening_inventory=0),
            "capacity has 1 months, demand has 2",
        ),
        (
            SupplyInput(demand=[1, -2], capacity=[1, 1], opening_inventory=0),
            "demand in month 2 is negative",
        ),
        (
            SupplyInput(demand=[1], capacity=[1], opening_inventory=-5),
            "Opening inventory is negative",
        ),
    ],
)
def test_bad_inputs_are_named(plan_input, message):
    with pytest.raises(SupplyInputError, match=message):
        project(plan_input)


months = st.integers(min_value=1, max_value=12)


@given(
    months.flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 1000), min_size=n, max_size=n),
            st.lists(st.integers(0, 1000), min_size=n, max_size=n),
            st.integers(0, 2000),
        )
    )
)
def test_stock_balances_and_production_respects_capacity(case):
    demand, capacity, opening = case
    plan = project(SupplyInput(demand=demand, capacity=capacity, opening_inventory=opening))
    inventory = opening
    for t, d in enumerate(demand):
        assert plan.production[t] <= capacity[t] + 1e-9
        inventory = inventory + plan.production[t] - (d - plan.shortage[t])
        assert inventory == pytest.approx(plan.closing_inventory[t])
    if all(opening + sum(capacity[: t + 1]) >= sum(demand[: t + 1]) for t in range(len(demand))):
        assert sum(plan.shortage) == 0, "capacity could cover demand month by month"


def test_zero_capacity_ships_only_the_opening_stock_and_the_rest_is_shortage():
    plan = project(SupplyInput(demand=[50, 50, 50], capacity=[0, 0, 0], opening_inventory=70))
    assert plan.production == [0, 0, 0]
    assert plan.closing_inventory == [20, 0, 0] and plan.shortage == [0, 30, 50]
    assert all("demand exceeds capacity" in flags for flags in plan.flags)


def test_opening_stock_far_above_maximum_cover_is_flagged_and_nothing_is_made():
    plan = project(
        SupplyInput(
            demand=[100] * 4, capacity=[500] * 4, opening_inventory=2000, max_cover_weeks=6
        )
    )
    assert plan.production == [0, 0, 0, 0]
    assert any("above the maximum of 6" in flag for flag in plan.flags[0])


def test_units_given_for_a_month_win_over_weeks_of_cover():
    plan = project(
        SupplyInput(
            demand=[130] * 3,
            capacity=[1000] * 3,
            opening_inventory=0,
            target_weeks=[2, 2, 2],
            target_units=[None, 10, None],
        )
    )
    assert plan.target_inventory[1] == 10
    assert plan.target_inventory[0] == pytest.approx(2 * 130 / (52 / 12))


def test_hand_checked_shortfall_with_prebuild_over_two_months():
    plan = project(
        SupplyInput(demand=[100, 100, 100, 500], capacity=[250] * 4, opening_inventory=0)
    )
    # month 4 wants 500, makes 250; 250 carried back: month 3 makes 150 more (250), month 2
    # the remaining 100 (200); inventory builds 0, 100, 250 and is used up in month 4.
    assert plan.production == [100, 200, 250, 250]
    assert plan.closing_inventory == [0, 100, 250, 0] and plan.shortage == [0] * 4


def test_minimum_production_above_capacity_is_refused_with_the_month():
    with pytest.raises(SupplyInputError, match="Minimum production 300 in month 2"):
        project(
            SupplyInput(
                demand=[1, 1], capacity=[500, 200], opening_inventory=0, min_production=[0, 300]
            )
        )


@given(
    months.flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 1000), min_size=n, max_size=n),
            st.lists(st.integers(0, 1000), min_size=n, max_size=n),
            st.lists(st.integers(0, 500), min_size=n, max_size=n),
            st.lists(st.integers(0, 8), min_size=n, max_size=n),
            st.integers(0, 2000),
        )
    )
)
def test_balance_holds_every_month_with_targets_and_minimums(case):
    demand, capacity, minimum, weeks, opening = case
    minimum = [min(m, c) for m, c in zip(minimum, capacity, strict=True)]
    plan = project(
        SupplyInput(
            demand=demand,
            capacity=capacity,
            opening_inventory=opening,
            target_weeks=weeks,
            min_production=minimum,
        )
    )
    inventory = opening
    for t, d in enumerate(demand):
        assert minimum[t] - 1e-9 <= plan.production[t] <= capacity[t] + 1e-9
        assert plan.shortage[t] >= 0 and plan.closing_inventory[t] >= 0
        inventory = inventory + plan.production[t] - (d - plan.shortage[t])
        assert inventory == pytest.approx(plan.closing_inventory[t])


def test_a_half_unit_shortage_reads_the_same_in_the_flag_and_the_table():
    from cycles.templatetags.numbers import units

    plan = project(SupplyInput(demand=[1506.5], capacity=[100], opening_inventory=0))
    assert plan.shortage == [1406.5]
    assert plan.flags[0] == ["demand exceeds capacity", "shortage of 1,407 units"]
    assert units(plan.shortage[0]) == "1,407"


def test_after_a_capacity_squeeze_spare_capacity_rebuilds_stock_to_target_as_early_as_it_can():
    # Snacks: capacity cut from 120 to 60 in months 5-7, demand 100, target 150 units
    capacity = [120] * 4 + [60] * 3 + [120] * 5
    plan = project(
        SupplyInput(
            demand=[100] * 12, capacity=capacity, opening_inventory=150, target_units=[150] * 12
        )
    )
    # before the cut the spare 20 a month is pre-built; during it stock falls 40 a month
    assert plan.production[:7] == [120, 120, 120, 120, 60, 60, 60]
    assert plan.closing_inventory[:7] == [170, 190, 210, 230, 190, 150, 110]
    # afterwards production stays at capacity until stock is back to target, then follows demand
    assert plan.production[7:] == [120, 120, 100, 100, 100]
    assert plan.closing_inventory[7:] == [130, 150, 150, 150, 150]
    assert [bool(flags) for flags in plan.flags[7:]] == [True, False, False, False, False]
