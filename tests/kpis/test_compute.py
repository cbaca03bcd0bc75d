"""KPI figures from totals, against hand-computed values: plain Python."""

from datetime import date

import pytest

from kpis.compute import inventory_vs_target_pct, shortage_pct, timeliness, vs_budget_pct


def test_plan_against_budget_in_percent():
    assert vs_budget_pct(110.0, 100.0) == pytest.approx(10.0)
    assert vs_budget_pct(95.0, 100.0) == pytest.approx(-5.0)
    assert vs_budget_pct(0.0, 100.0) == pytest.approx(-100.0)


def test_no_budget_is_no_figure_not_zero():
    assert vs_budget_pct(50.0, 0.0) is None


def test_shortage_as_share_of_demand():
    assert shortage_pct(3.0, 120.0) == pytest.approx(2.5)
    assert shortage_pct(0.0, 0.0) is None


def test_inventory_above_and_below_its_target():
    assert inventory_vs_target_pct(80.0, 100.0) == pytest.approx(-20.0)
    assert inventory_vs_target_pct(125.0, 100.0) == pytest.approx(25.0)
    assert inventory_vs_target_pct(10.0, 0.0) is None


DUE = {
    "data_gathering": date(2026, 5, 5),
    "demand_planning": date(2026, 5, 11),
    "supply_planning": date(2026, 5, 14),
    "reconciliation": date(2026, 5, 19),
    "sign_off": date(2026, 5, 21),
}


def test_a_closed_cycle_counts_every_stage():
    closed = {
        "data_gathering": date(2026, 5, 4),  # early
        "demand_planning": date(2026, 5, 11),  # on the day
        "supply_planning": date(2026, 5, 16),  # 2 days late
        "reconciliation": date(2026, 5, 19),
        "sign_off": date(2026, 5, 24),  # 3 days late
    }
    result = timeliness(DUE, closed, today=date(2026, 7, 1))
    assert result.on_time_pct == pytest.approx(60.0)
    assert result.days_late == 3.0  # the worst slip (sign-off), not 2 + 3


def test_an_open_cycle_counts_only_stages_due_or_closed():
    closed = {"data_gathering": date(2026, 5, 6)}
    result = timeliness(DUE, closed, today=date(2026, 5, 13))
    # data gathering 1 day late, demand planning still open 2 days after its due date
    assert result.on_time_pct == pytest.approx(0.0)
    assert result.days_late == 2.0


def test_nothing_due_yet_is_no_data():
    result = timeliness(DUE, {}, today=date(2026, 5, 1))
    assert (result.on_time_pct, result.days_late) == (None, None)
