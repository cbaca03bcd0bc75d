"""Demand vs supply vs budget, gaps and scenario deltas, on hand-made figures (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconciliation.plan_math import (
    Delta,
    FamilyData,
    RegionCell,
    apply_deltas,
    evaluate,
    find_gaps,
    kpis,
    roll_up,
)
from supply.projection import SupplyInput

LABELS = ["2026-11", "2026-12"]


def family(demand_a, demand_b, capacity, budget_revenue=(0, 0), price=10.0, cost=6.0):
    def cell(demand, budget):
        return RegionCell(
            demand=list(demand),
            revenue=[d * price for d in demand],
            cost=[d * cost for d in demand],
            budget_units=[0.0, 0.0],
            budget_revenue=list(budget),
        )

    total = [a + b for a, b in zip(demand_a, demand_b, strict=True)]
    supply = SupplyInput(demand=total, capacity=list(capacity), opening_inventory=0)
    return FamilyData(supply, {1: cell(demand_a, budget_revenue), 2: cell(demand_b, (0, 0))})


def by_family_month(families):
    return roll_up(evaluate(families), lambda key: (key[0], key[2]))


def gaps(families, shortage_pct=2, revenue_pct=5):
    return find_gaps(
        by_family_month(families),
        shortage_pct=shortage_pct,
        revenue_pct=revenue_pct,
        names={7: "Bikes"},
        month_labels=LABELS,
    )


def test_what_cannot_be_made_is_short_in_every_region_in_proportion_to_demand():
    figures = evaluate({7: family([60, 60], [40, 40], [100, 80])})
    # December: demand 100, capacity 80 (and November is full): 80% filled everywhere
    assert figures[(7, 1, 1)].supply == pytest.approx(48)
    assert figures[(7, 2, 1)].supply == pytest.approx(32)
    assert figures[(7, 1, 1)].revenue == pytest.approx(480)
    assert figures[(7, 1, 1)].margin == pytest.approx(48 * 4)


def test_a_shortage_over_two_percent_of_demand_is_a_gap_and_under_it_is_not():
    found = gaps({7: family([60, 60], [40, 40], [100, 97])})
    assert [g.key for g in found] == ["shortage:7:2026-12"]
    assert found[0].label == "Shortage of 3 units (3.0% of demand) in Bikes, 2026-12"
    assert gaps({7: family([60, 60], [40, 40], [100, 99])}) == []


def test_revenue_more_than_five_percent_below_budget_is_a_gap():
    found = gaps({7: family([60, 60], [40, 40], [100, 100], budget_revenue=(1000, 1100))})
    assert [g.key for g in found] == ["revenue:7:2026-12"]
    assert "9.1% below budget" in found[0].label


def test_thresholds_come_from_the_caller():
    families = {7: family([60, 60], [40, 40], [100, 97])}
    assert gaps(families, shortage_pct=5) == []


def test_a_scenario_changes_only_the_family_and_months_it_names():
    base = {7: family([60, 60], [40, 40], [100, 80]), 8: family([10, 10], [0, 0], [5, 5])}
    what_if = apply_deltas(base, [Delta("capacity", 7, frozenset({1}), 1.25)])
    assert what_if[7].supply.capacity == [100, 100]
    assert what_if[8] is base[8]
    assert base[7].supply.capacity == [100, 80], "the base plan is untouched"


def test_demand_and_price_deltas_move_revenue_and_margin():
    base = {7: family([60, 60], [40, 40], [500, 500])}
    scaled = apply_deltas(base, [Delta("demand", None, frozenset({0, 1}), 0.5)])
    priced = apply_deltas(base, [Delta("price", 7, frozenset({0, 1}), 1.1)])
    assert kpis(scaled, 2).revenue == pytest.approx(1000)
    assert kpis(priced, 2).revenue == pytest.approx(2200)
    assert kpis(priced, 2).margin == pytest.approx(2200 - 1200)
    assert kpis(base, 2).revenue == pytest.approx(2000)


@given(
    st.sampled_from(["capacity", "demand", "price"]),
    st.sampled_from([7, 8, None]),
    st.sets(st.integers(0, 1)),
    st.floats(0.1, 3.0),
)
def test_a_delta_changes_only_the_families_it_names_and_never_the_base(
    kind, family_id, months, factor
):
    base = {7: family([60, 60], [40, 40], [100, 80]), 8: family([10, 10], [0, 0], [5, 5])}
    snapshot = repr(base)
    what_if = apply_deltas(base, [Delta(kind, family_id, frozenset(months), factor)])
    assert repr(base) == snapshot
    for other in base:
        if family_id is not None and other != family_id:
            assert what_if[other] is base[other]
    for t in set(range(2)) - months:
        for f in base:
            assert what_if[f].supply.capacity[t] == base[f].supply.capacity[t]
            assert what_if[f].supply.demand[t] == base[f].supply.demand[t]


def test_a_units_delta_takes_a_promotion_out_of_one_region_and_month():
    base = {7: family([60, 60], [40, 40], [500, 500]), 8: family([10, 10], [0, 0], [50, 50])}
    removed = Delta("units", 7, frozenset({1}), 1.0, ((2, 1, -10.0, -100.0, -60.0),))
    what_if = apply_deltas(base, [removed])
    assert what_if[7].regions[2].demand == [40, 30] and what_if[7].supply.demand == [100, 90]
    assert what_if[7].regions[1] is base[7].regions[1] and what_if[8] is base[8]
    assert kpis(what_if, 2).revenue == pytest.approx(kpis(base, 2).revenue - 100)
    assert kpis(what_if, 2).margin == pytest.approx(kpis(base, 2).margin - 40)
    assert base[7].supply.demand == [100, 100], "the base plan is untouched"
