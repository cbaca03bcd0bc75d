"""Choosing among backtest scores: lowest MASE, ties by bias, and the benchmark's margin."""

import pandas as pd

from forecasting.engine.select import pool_all, rank_all

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


def test_a_group_shares_its_best_mean_method_unless_a_series_own_best_is_clearly_better():
    rows = {"a": (0.5, 0.9), "b": (0.8, 0.7), "c": (1.0, 0.45), "d": (0.6, 0.9)}
    table = scores(
        *[(uid, "SeasonalNaive", 1.0, 0.3, 0.0) for uid in rows],
        *[(uid, "AutoETS", ets, 0.2, 0.0) for uid, (ets, _) in rows.items()],
        *[(uid, "DOTheta", theta, 0.2, 0.0) for uid, (_, theta) in rows.items()],
    )
    groups = dict.fromkeys(rows, "smooth")
    choices = pool_all(table, groups, METHODS, own_margin=0.5)
    # Mean MASE over the group: AutoETS 0.725, DOTheta 0.7375.
    assert choices["a"].method == "AutoETS" and choices["a"].pool.size == 4
    assert choices["b"].method == "AutoETS"  # its own DOTheta 0.7 is not 50% below 0.8
    assert choices["c"].method == "DOTheta" and choices["c"].declined is not None  # 0.45 < 0.5
    alone = pool_all(table[table.unique_id == "b"], {"b": "smooth"}, METHODS)
    assert alone["b"].method == "DOTheta" and alone["b"].pool is None
