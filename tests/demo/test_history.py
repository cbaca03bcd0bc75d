"""The demo's past cycles (demo.history): plain pandas, the same for the same seed."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from demo.generator import DemoSpec, build_company, build_sales
from demo.history import HORIZON, PLANNER_HABITS, STAGES, build_history, history_months

SPEC = DemoSpec(end_month=date(2026, 10, 1), skus=40)


@pytest.fixture(scope="module")
def inputs():
    company = build_company(SPEC)
    return company, build_sales(company, SPEC)


@pytest.fixture(scope="module")
def history(inputs):
    company, sales = inputs
    return build_history(company, SPEC, sales)


def test_twelve_cycles_the_months_before_the_open_one(history):
    assert history.cycle_months == history_months(SPEC)
    assert history.cycle_months[0] == date(2025, 11, 1)
    assert history.cycle_months[-1] == date(2026, 10, 1)


def test_same_seed_same_history(inputs, history):
    company, sales = inputs
    again = build_history(company, SPEC, sales)
    pd.testing.assert_frame_equal(history.plan, again.plan)
    assert [o.percent for o in history.overrides] == [o.percent for o in again.overrides]


def test_every_cycle_plans_twelve_months_of_every_series(inputs, history):
    _, sales = inputs
    for cycle_month, plan in history.plan.groupby("cycle_month"):
        months = sorted(plan["month"].unique())
        assert len(months) == HORIZON and months[0] == cycle_month
        series = plan.groupby(["sku", "territory"]).size()
        selling = sales[sales["period"] < cycle_month].groupby(["sku", "territory"]).ngroups
        assert len(series) >= selling * 0.9


def test_the_interval_holds_the_baseline_and_the_consensus_is_never_negative(history):
    plan = history.plan
    assert (plan["low"] <= plan["baseline"]).all() and (plan["baseline"] <= plan["high"]).all()
    assert (plan["consensus"] >= 0).all()
    assert (plan["events"] > 0).any()


def test_overridden_cells_hold_the_override_others_baseline_plus_events(history):
    spec = history.overrides[0]
    plan = history.plan[
        (history.plan["cycle_month"] == spec.cycle_month) & (history.plan["month"] == spec.month)
    ]
    merged = plan.merge(spec.cells, on=["sku", "territory"])
    assert (merged["consensus"] == merged["after"]).all()
    touched = {
        (sku, territory)
        for o in history.overrides
        if (o.cycle_month, o.month) == (spec.cycle_month, spec.month)
        for sku, territory in zip(o.cells["sku"], o.cells["territory"], strict=True)
    }
    keys = list(zip(plan["sku"], plan["territory"], strict=True))
    outside = np.array([key not in touched for key in keys])
    untouched = plan[outside & (plan["events"] == 0).to_numpy()]
    assert (untouched["consensus"] == untouched["baseline"]).all()


def test_several_planners_override_with_several_reasons(history):
    planners = {o.planner for o in history.overrides}
    reasons = {o.reason for o in history.overrides}
    assert planners == set(PLANNER_HABITS) and len(reasons) >= 5


def _error_change(history, planners_reasons: set) -> float:
    """WAPE points the chosen (planner, reason) overrides removed from their cells."""
    before = after = actual = 0.0
    plan = history.plan.set_index(["cycle_month", "month", "sku", "territory"])["actual"]
    for o in history.overrides:
        if (o.planner, o.reason) not in planners_reasons:
            continue
        keys = pd.MultiIndex.from_arrays(
            [
                [o.cycle_month] * len(o.cells),
                [o.month] * len(o.cells),
                o.cells["sku"],
                o.cells["territory"],
            ]
        )
        truth = plan.reindex(keys).fillna(0).to_numpy()
        before += np.abs(o.cells["before"].to_numpy() - truth).sum()
        after += np.abs(o.cells["after"].to_numpy() - truth).sum()
        actual += truth.sum()
    return (before - after) / actual * 100


def test_helpful_planners_move_the_plan_toward_what_happened(history):
    assert _error_change(history, {("planner-north", "customer-intelligence")}) > 0


def test_optimistic_planners_make_it_worse(history):
    assert _error_change(history, {("planner-south", "promotion")}) < 0


def test_budget_and_supply_for_every_cycle_and_family(history):
    families = history.plan["family"].nunique()
    supply = history.supply
    assert supply.groupby("cycle_month")["family"].nunique().eq(families).all()
    measures = set(supply["measure"])
    assert {
        "capacity",
        "opening_inventory",
        "production",
        "projected_inventory",
        "shortage",
    } <= measures
    assert (history.budget["units"] > 0).all()


def test_some_stages_closed_late(history):
    delays = [days for cycle in history.stage_delays.values() for days in cycle.values()]
    assert set(history.stage_delays[history.cycle_months[0]]) == set(STAGES)
    assert any(days > 0 for days in delays) and any(days <= 0 for days in delays)
