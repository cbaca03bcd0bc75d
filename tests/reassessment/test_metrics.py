"""The pure metrics against hand-computed values, zero actuals and empty groups included."""

import math

import numpy as np
import pandas as pd
import pytest

from reassessment import metrics, ratios


def test_wape_bias_and_mase_match_hand_computed_values():
    forecast, actual = [110, 90, 50], [100, 100, 40]
    assert metrics.wape(forecast, actual) == pytest.approx(30 / 240 * 100)
    assert metrics.bias_pct(forecast, actual) == pytest.approx(10 / 240 * 100)
    assert metrics.mase(forecast, actual, [5, 5, np.nan]) == pytest.approx(20 / 10)


def test_zero_actuals_give_none_not_infinity():
    assert metrics.wape([5, 0], [0, 0]) is None
    assert metrics.bias_pct([5, 0], [0, 0]) is None
    assert metrics.wape([], []) is None


def test_zero_scale_gives_none():
    assert metrics.mase([3], [1], [0.0]) is None
    assert metrics.mase([3], [1], [np.nan]) is None


def test_hit_rate_counts_only_cells_with_both_bounds():
    assert metrics.hit_rate([5, 12, 7], [4, 4, np.nan], [6, 10, 9]) == pytest.approx(0.5)
    assert metrics.hit_rate([5], [np.nan], [np.nan]) is None


def test_tracking_signal_is_cumulative_error_over_mad():
    assert metrics.tracking_signal([10, 10, -5]) == pytest.approx(15 / (25 / 3))
    assert metrics.tracking_signal([0, 0]) is None
    assert metrics.tracking_signal([]) is None


def test_naive_scale_uses_seasonal_naive_then_lag_one_for_short_histories():
    year = [float(m) for m in range(12)]
    long = np.array([year + [m + 2.0 for m in range(12)]])
    short = np.array([[1.0, 4.0, 2.0] + [np.nan] * 21])
    flat = np.array([[7.0] * 24])
    single = np.array([[3.0] + [np.nan] * 23])
    scale = metrics.naive_scale(np.vstack([long, short, flat, single]))
    assert scale[0] == pytest.approx(2.0)
    assert scale[1] == pytest.approx((3 + 2) / 2)
    assert scale[2] == 0.0
    assert math.isnan(scale[3])


def test_grouped_scores_aggregate_each_group_at_once():
    cells = pd.DataFrame(
        {
            "region": [1, 1, 2, 3],
            "forecast": [110.0, 90.0, 5.0, 4.0],
            "actual": [100.0, 100.0, 0.0, 2.0],
            "scale": [10.0, 10.0, 0.0, np.nan],
            "low": [100.0, 95.0, np.nan, 1.0],
            "high": [120.0, 99.0, np.nan, 3.0],
        }
    )
    scores = metrics.grouped_scores(cells, ["region"]).set_index("region")
    one, two, three = scores.loc[1], scores.loc[2], scores.loc[3]
    assert one["wape"] == pytest.approx(10.0)
    assert one["bias_pct"] == pytest.approx(0.0)
    assert one["mase"] == pytest.approx(1.0)
    assert one["hit_rate"] == pytest.approx(0.5)
    assert one["series"] == 2
    assert two["wape"] is None and two["bias_pct"] is None and two["mase"] is None
    assert two["hit_rate"] is None
    assert three["mase"] is None and three["hit_rate"] == pytest.approx(1.0)


def test_empty_cells_give_an_empty_frame_with_every_column():
    empty = pd.DataFrame(columns=["region", "forecast", "actual"])
    scores = metrics.grouped_scores(empty, ["region"])
    assert scores.empty
    assert list(scores.columns) == ["region", *metrics.SCORE_COLUMNS]


def test_tracking_signals_run_per_group_in_month_order():
    frame = pd.DataFrame(
        {"group": ["a", "a", "b", "a"], "month": [2, 1, 1, 3], "error": [10.0, 10.0, 0.0, -5.0]}
    )
    signals = metrics.tracking_signals(frame, ["group"], order="month").tolist()
    assert signals[1] == pytest.approx(1.0)
    assert signals[0] == pytest.approx(2.0)
    assert signals[3] == pytest.approx(15 / (25 / 3))
    assert signals[2] is None


def test_fva_points_are_wape_points_saved():
    assert ratios.fva_points(30.0, 10.0, 200.0) == pytest.approx(10.0)
    assert ratios.fva_points(30.0, 10.0, 0.0) is None
