"""Invariants of the one plan arithmetic (demand.plan_arith), on random plans. No database.

A plan here is a few families of SKUs x a few regions of territories x months,
each leaf cell a baseline (with decimals, as a forecast leaves it), events
(promotions up, dips and phase-outs down) and maybe an override. An edit hits
a random level (family or SKU x company, region or territory) over its months.
"""

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from math import floor

from hypothesis import given, settings
from hypothesis import strategies as st

from demand.disaggregation import DisaggregationError, Edit, EditMode
from demand.plan_arith import Parts, consensus_of, edit_cells, undo_cells

PROPERTY = settings(derandomize=True, max_examples=300, deadline=None)
MONTHS = ("2026-11", "2026-12", "2027-01")
Key = tuple[int, int, str]  # sku, territory, month


def figures(low: int, high: int):
    return st.decimals(min_value=low, max_value=high, places=4)


@st.composite
def plans(draw) -> tuple[dict, dict, dict]:
    """(cells, family of each SKU, region of each territory)."""
    family_of = {sku: draw(st.integers(0, 2)) for sku in range(draw(st.integers(1, 6)))}
    region_of = {place: draw(st.integers(0, 1)) for place in range(draw(st.integers(1, 4)))}
    months = MONTHS[: draw(st.integers(1, 3))]
    cell = st.builds(
        Parts,
        baseline=st.none() | figures(0, 5_000),
        events=st.none() | figures(-300, 800),
        override=st.none() | figures(0, 6_000),
    )
    cells = {(s, t, m): draw(cell) for s in family_of for t in region_of for m in months}
    return cells, family_of, region_of


@st.composite
def levels(draw, family_of: dict, region_of: dict):
    """A filter on the leaf keys: a family or SKU (or all) x a region or territory (or all)."""
    product = draw(st.sampled_from(["all", "family", "sku"]))
    place = draw(st.sampled_from(["all", "region", "territory"]))
    family = draw(st.sampled_from(sorted(set(family_of.values()))))
    sku = draw(st.sampled_from(sorted(family_of)))
    region = draw(st.sampled_from(sorted(set(region_of.values()))))
    territory = draw(st.sampled_from(sorted(region_of)))

    def covers(key: Key) -> bool:
        s, t, _ = key
        by_product = {"all": True, "family": family_of[s] == family, "sku": s == sku}[product]
        by_place = {"all": True, "region": region_of[t] == region, "territory": t == territory}[
            place
        ]
        return by_product and by_place

    return covers


edits = st.one_of(
    st.builds(Edit, st.just(EditMode.SET), st.decimals(min_value=0, max_value=100_000, places=2)),
    st.builds(
        Edit, st.just(EditMode.ADD), st.decimals(min_value=-20_000, max_value=20_000, places=2)
    ),
    st.builds(
        Edit, st.just(EditMode.PERCENT), st.decimals(min_value=-100, max_value=300, places=2)
    ),
)


def whole(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


def expected_total(before: Decimal, edit: Edit) -> int:
    """The edited level's new total: the exact figure asked for, rounded once to the unit."""
    exact = Fraction(before)
    value = Fraction(edit.value)
    if edit.mode is EditMode.SET:
        return whole(value)
    if edit.mode is EditMode.ADD:
        return whole(exact + value)
    return whole(exact * (1 + value / 100))


def applied(cells: dict, changes: dict) -> dict:
    return {
        **cells,
        **{k: replace(cells[k], override=c.override_after) for k, c in changes.items()},
    }


def month_total(cells: dict, keys, month: str) -> Decimal:
    return sum((cells[k].consensus for k in keys if k[2] == month), Decimal(0))


def edit_or_refusal(cells: dict, edit: Edit):
    try:
        return edit_cells(cells, edit)
    except DisaggregationError:
        return None


@PROPERTY
@given(data=st.data())
def test_an_edit_moves_each_months_total_exactly_as_asked_to_the_unit(data):
    cells, family_of, region_of = data.draw(plans())
    covers, edit = data.draw(levels(family_of, region_of)), data.draw(edits)
    level = {k: cells[k] for k in cells if covers(k)}
    changes = edit_or_refusal(level, edit)
    if changes is None:  # a cut below zero: refused, nothing to check but that it was one
        assert edit.mode is not EditMode.SET
        return
    after = applied(cells, changes)
    for month in {k[2] for k in level}:
        before_total = month_total(cells, level, month)
        assert month_total(after, level, month) == expected_total(before_total, edit)
    assert {k: after[k] for k in cells if k not in level} == {
        k: cells[k] for k in cells if k not in level
    }


@PROPERTY
@given(data=st.data(), percent=st.decimals(min_value=-100, max_value=300, places=2))
def test_a_percent_edit_moves_the_total_by_that_percent_within_half_a_unit(data, percent):
    cells, family_of, region_of = data.draw(plans())
    covers = data.draw(levels(family_of, region_of))
    level = {k: cells[k] for k in cells if covers(k)}
    after = applied(cells, edit_cells(level, Edit(EditMode.PERCENT, percent)))
    for month in {k[2] for k in level}:
        asked = Fraction(month_total(cells, level, month)) * (1 + Fraction(percent) / 100)
        assert abs(Fraction(month_total(after, level, month)) - asked) <= Fraction(1, 2)


@PROPERTY
@given(data=st.data())
def test_every_level_under_an_edit_is_whole_and_the_sum_of_its_children(data):
    cells, family_of, region_of = data.draw(plans())
    covers, edit = data.draw(levels(family_of, region_of)), data.draw(edits)
    level = {k: cells[k] for k in cells if covers(k)}
    changes = edit_or_refusal(level, edit)
    if changes is None:
        return
    after = applied(cells, changes)
    leaves = {k: after[k].consensus for k in level}
    assert all(value == int(value) for value in leaves.values())
    rollups = [
        lambda k: (k[0], k[1], k[2]),  # SKU x territory
        lambda k: (family_of[k[0]], k[1], k[2]),  # family x territory
        lambda k: (family_of[k[0]], region_of[k[1]], k[2]),  # family x region
        lambda k: (region_of[k[1]], k[2]),  # region (all products)
        lambda k: k[2],  # the level's month total
    ]
    for child_of, parent_of in pairwise(rollups):
        children, parents = _sum_by(leaves, child_of), _sum_by(leaves, parent_of)
        up = {child_of(k): parent_of(k) for k in leaves}
        assert _sum_by(children, up.__getitem__) == parents
        assert all(total == int(total) for total in parents.values())


def _sum_by(values: dict, key_of) -> dict:
    sums: dict = {}
    for key, value in values.items():
        sums[key_of(key)] = sums.get(key_of(key), Decimal(0)) + value
    return sums


@PROPERTY
@given(data=st.data())
def test_consensus_of_every_cell_follows_the_composition_rule(data):
    cells, family_of, region_of = data.draw(plans())
    covers, edit = data.draw(levels(family_of, region_of)), data.draw(edits)
    level = {k: cells[k] for k in cells if covers(k)}
    changes = edit_or_refusal(level, edit) or {}
    after = applied(cells, changes)
    for key, change in changes.items():
        parts = after[key]
        rule = consensus_of(baseline=parts.baseline, events=parts.events, override=parts.override)
        assert change.consensus_after == rule == parts.consensus
        assert change.consensus_before == cells[key].consensus


@PROPERTY
@given(data=st.data())
def test_set_add_percent_then_undo_restores_every_cell_exactly(data):
    cells, family_of, region_of = data.draw(plans())
    history, plan = [], cells
    for _ in range(data.draw(st.integers(1, 3))):
        covers, edit = data.draw(levels(family_of, region_of)), data.draw(edits)
        changes = edit_or_refusal({k: plan[k] for k in plan if covers(k)}, edit)
        if changes is not None:
            history.append((plan, changes))
            plan = applied(plan, changes)
    for before, changes in reversed(history):
        plan = {**plan, **undo_cells(changes, plan)}
        assert plan == before
    assert plan == cells
    assert {k: p.consensus for k, p in plan.items()} == {k: p.consensus for k, p in cells.items()}
