"""Choosing among backtest scores: lowest MASE, ties by bias, and the benchmark's margin."""

import pandas as pd

from forecasting.engine.select import rank_all

METHODS = ["SeasonalNaive", "AutoETS", "DOTheta"]


def scores(*rows):
    return pd.DataFrame(rows, columns=["unique_id", "method", "mase", "wape", "bias"])


def test_the_lowest_mase_wins_and_a_tie_goes_to_the_smaller_bias():
    table = scores(
        ("a", "SeasonalNaive", 1.0, 0.3, 0.1),
        ("a", "AutoETS", 0.8, 0.2, 0.2),
        ("a", "DOTheta", 0.8, 0.2, -0.05),
    )
    choice = rank_all(table, METHODS)["a"]
    assert choice.method == "DOTheta"
    assert choice.ranking == ("DOTheta", "AutoETS", "SeasonalNaive")


def test_seasonal_naive_must_win_by_the_margin_to_be_chosen():
    close = scores(("a", "SeasonalNaive", 0.9, 0.3, 0.0), ("a", "AutoETS", 1.0, 0.3, 0.0))
    clear = scores(("a", "SeasonalNaive", 0.7, 0.3, 0.0), ("a", "AutoETS", 1.0, 0.3, 0.0))
    passed_over = rank_all(close, METHODS, benchmark_margin=0.2)["a"]
    assert (passed_over.method, passed_over.benchmark_passed_over) == ("AutoETS", "SeasonalNaive")
    assert rank_all(clear, METHODS, benchmark_margin=0.2)["a"].method == "SeasonalNaive"
    assert rank_all(close, METHODS, benchmark_margin=0.0)["a"].method == "SeasonalNaive"
