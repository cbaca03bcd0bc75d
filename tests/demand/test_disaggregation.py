"""Edits at any level land on the leaves exactly, in proportion, and never negative."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from demand.disaggregation import DisaggregationError, Edit, EditMode, apply_edit, spread_total

weights = st.lists(st.floats(min_value=0, max_value=1e5, allow_nan=False), min_size=1, max_size=40)
totals = st.integers(min_value=0, max_value=10**7)


@given(weights, totals)
def test_leaves_always_add_up_to_the_total_and_are_never_negative(ws, total):
    leaves = spread_total(ws, total)
    assert sum(leaves) == total and min(leaves) >= 0 and len(leaves) == len(ws)


@given(weights, totals)
def test_each_leaf_is_within_one_unit_of_its_exact_share(ws, total):
    leaves = spread_total(ws, total)
    weight_sum = sum(ws)
    exact = [total * w / weight_sum if weight_sum else total / len(ws) for w in ws]
    assert all(abs(leaf - share) < 1 + 1e-6 for leaf, share in zip(leaves, exact, strict=True))


@given(st.lists(st.integers(0, 10**5), min_size=1, max_size=30), st.integers(-(10**5), 10**5))
def test_adding_units_changes_the_total_by_exactly_that_or_refuses(current, delta):
    baseline = [float(v) for v in current]
    try:
        result = apply_edit(current, baseline, Edit(EditMode.ADD, delta))
    except DisaggregationError:
        assert -delta > sum(current)
        return
    assert sum(result) == sum(current) + delta and min(result) >= 0


@given(st.lists(st.integers(0, 10**5), min_size=1, max_size=30), st.floats(-100, 300))
def test_a_percentage_keeps_the_mix_and_rounds_the_total_once(current, percent):
    result = apply_edit(current, [1.0] * len(current), Edit(EditMode.PERCENT, percent))
    expected_total = int(sum(current) * (1 + percent / 100) + 0.5)
    assert abs(sum(result) - expected_total) <= 1 and min(result) >= 0


def test_set_spreads_by_the_baseline_with_largest_remainders():
    assert spread_total([1, 1, 1], 100) == [34, 33, 33]
    assert spread_total([3, 1], 10) == [8, 2]  # 7.5 / 2.5: the tie goes to the first leaf
    assert apply_edit([5, 5], [30.0, 10.0], Edit(EditMode.SET, 12)) == [9, 3]


def test_zero_baseline_spreads_evenly():
    assert spread_total([0, 0, 0, 0], 10) == [3, 3, 2, 2]


def test_a_cut_takes_from_the_cells_that_have_demand():
    assert apply_edit([10, 0, 30], [0.0, 50.0, 0.0], Edit(EditMode.ADD, -20)) == [5, 0, 15]


def test_a_cut_larger_than_the_total_is_refused_with_the_numbers():
    with pytest.raises(DisaggregationError, match="Cannot take 50 units from a total of 40"):
        apply_edit([10, 30], [1.0, 1.0], Edit(EditMode.ADD, -50))


def test_plus_five_percent_on_a_row():
    assert apply_edit([100, 200, 0], [1.0, 1.0, 1.0], Edit(EditMode.PERCENT, 5)) == [105, 210, 0]


def test_a_negative_total_is_refused():
    with pytest.raises(DisaggregationError, match="negative"):
        apply_edit([1, 2], [1.0, 1.0], Edit(EditMode.SET, -3))


@given(st.lists(st.integers(0, 10**5), min_size=1, max_size=30), weights, totals)
def test_reapplying_the_same_total_changes_no_cell(current, ws, total):
    ws = (ws * len(current))[: len(current)]
    once = apply_edit(current, ws, Edit(EditMode.SET, total))
    assert apply_edit(once, ws, Edit(EditMode.SET, total)) == once


@given(st.lists(st.integers(0, 10**5), min_size=1, max_size=30))
def test_adding_nothing_or_zero_percent_changes_no_cell(current):
    baseline = [1.0] * len(current)
    assert apply_edit(current, baseline, Edit(EditMode.ADD, 0)) == current
    assert apply_edit(current, baseline, Edit(EditMode.PERCENT, 0)) == current
