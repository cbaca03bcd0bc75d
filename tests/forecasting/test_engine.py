"""The forecast engine on series whose structure we know: class, method, accuracy, edge cases."""

import re

import numpy as np
import pandas as pd
import pytest

from forecasting.engine import EngineConfig, forecast_series
from tests.forecasting import synthetic as syn

REGULAR_METHODS = {
    "SeasonalNaive",
    "AutoETS",
    "DOTheta",
    "AutoCES",
    "Mean of AutoETS + AutoCES + DOTheta",
    "Median of AutoETS + AutoCES + DOTheta",
    "Median of AutoETS + AutoCES + DOTheta + SeasonalNaive",
    "Blend of ETS+CES+DOTheta mean and +SN median",
    "Mean of AutoETS + DOTheta",
    "Mean of AutoETS + SeasonalNaive",
}
CROSTON_FAMILY = {"CrostonOptimized", "ADIDA", "IMAPA", "TSB"}


def run(history: pd.DataFrame, **config):
    result = forecast_series(history, config=EngineConfig(**config), end=syn.END)
    return result.selections.set_index("unique_id"), result.forecasts


def holdout_mase(actual: np.ndarray, forecast: np.ndarray, train: np.ndarray) -> float:
    scale = np.mean(np.abs(train[12:] - train[:-12]))
    return float(np.mean(np.abs(actual - forecast)) / scale)


def test_pure_seasonal_series_is_smooth_and_forecast_close_to_its_pattern():
    values = syn.seasonal(60)
    chosen, forecasts = run(syn.series("s", values[:48]))
    row = chosen.loc["s"]
    assert row.demand_class == "smooth"
    assert row.method in REGULAR_METHODS
    assert row.mase < 1.2
    # The next year follows the known pattern within a few percent.
    error = np.abs(forecasts["point"].to_numpy() - values[48:]) / values[48:]
    assert error.mean() < 0.10


def test_a_trend_is_followed_and_beats_seasonal_naive_out_of_sample():
    values = syn.trending(60)
    chosen, forecasts = run(syn.series("t", values[:48]))
    assert chosen.loc["t"].method != "SeasonalNaive"
    naive = values[36:48]
    ours = holdout_mase(values[48:], forecasts["point"].to_numpy(), values[:48])
    theirs = holdout_mase(values[48:], naive, values[:48])
    assert ours < 0.8 * theirs


def test_intermittent_demand_gets_a_croston_family_method_near_the_mean_rate():
    values = syn.intermittent(48)
    chosen, forecasts = run(syn.series("i", values))
    row = chosen.loc["i"]
    assert row.demand_class in {"intermittent", "lumpy"}
    assert row.method in CROSTON_FAMILY
    assert forecasts["point"].mean() == pytest.approx(values.mean(), rel=0.6)


def test_short_history_competes_short_methods_and_says_how_long_it_is():
    chosen, forecasts = run(syn.series("short", syn.seasonal(20)))
    row = chosen.loc["short"]
    assert row.demand_class == "short"
    assert row.method in {"Naive", "HistoricAverage", "AutoETS", "DOTheta"}
    assert "20 months of history" in row.reason
    assert len(forecasts) == 12


def test_a_new_product_with_three_months_holds_its_level_and_says_why():
    chosen, forecasts = run(syn.series("new", [40, 55, 60]))
    row = chosen.loc["new"]
    assert (row.demand_class, row.method) == ("new", "Naive")
    assert "3 months of history: too short to backtest" in row.reason
    assert forecasts["point"].tolist() == [60.0] * 12


def test_a_series_of_zeros_gets_zeros():
    chosen, forecasts = run(syn.series("zero", np.zeros(30)))
    assert chosen.loc["zero"].demand_class == "all_zero"
    assert chosen.loc["zero"].method == "Zero"
    assert len(forecasts) == 12
    assert (forecasts[["point", "lo80", "hi80", "lo95", "hi95"]] == 0).all().all()


def test_a_product_that_stopped_selling_is_discontinued_and_forecast_at_zero():
    values = np.concatenate([syn.seasonal(30), np.zeros(8)])
    chosen, forecasts = run(syn.series("gone", values))
    assert chosen.loc["gone"].demand_class == "discontinued"
    assert "No sales in the last 8 months" in chosen.loc["gone"].reason
    assert forecasts["point"].sum() == 0


def test_one_spike_does_not_blow_up_the_forecast():
    values = syn.seasonal(48)
    values[40] = values[40] * 12
    chosen, forecasts = run(syn.series("spike", values))
    usual_peak = np.delete(values, 40).max()
    assert forecasts["point"].max() < 1.5 * usual_peak
    assert chosen.loc["spike"].method in REGULAR_METHODS
    assert "was far above anything in the history" in chosen.loc["spike"].reason


def test_missing_months_count_as_months_without_sales():
    history = syn.series("gaps", syn.seasonal(48)).drop(index=[10, 11, 30])
    chosen, forecasts = run(history)
    assert chosen.loc["gaps"].months == 48
    assert forecasts["ds"].min() == pd.Timestamp("2026-11-01")
    assert len(forecasts) == 12


def test_leading_zeros_are_not_history():
    values = np.concatenate([np.zeros(20), syn.seasonal(40)])
    chosen, _ = run(syn.series("late", values))
    assert chosen.loc["late"].months == 40


def test_negative_history_and_forecasts_are_clipped_to_zero():
    values = syn.intermittent(48) - 2
    _, forecasts = run(syn.series("neg", values))
    assert (forecasts[["point", "lo80", "lo95"]] >= 0).all().all()


def test_intervals_nest_around_the_point():
    _, forecasts = run(syn.series("s", syn.seasonal(48)))
    f = forecasts
    assert (f.lo95 <= f.lo80).all() and (f.lo80 <= f.point).all()
    assert (f.point <= f.hi80).all() and (f.hi80 <= f.hi95).all()
    assert (f.hi95 > f.lo95).any()


def test_the_reason_names_the_winner_the_losers_the_backtests_and_the_score():
    chosen, _ = run(syn.series("s", syn.seasonal(60)))
    row = chosen.loc["s"]
    assert row.reason.startswith("Smooth demand, 60 months of history: ")
    assert "on 3 rolling backtests of 12 months" in row.reason
    assert re.search(r"MASE \d+\.\d\d", row.reason)
    assert set(row.scores) == REGULAR_METHODS


def test_backtest_origins_keep_three_seasons_of_history_and_shorten_to_get_three():
    chosen, _ = run(syn.series("s", syn.seasonal(48)))
    assert "on 3 rolling backtests of 6 months" in chosen.loc["s"].reason
    chosen, _ = run(syn.series("s", syn.seasonal(42)))
    assert "on 1 rolling backtest of 6 months" in chosen.loc["s"].reason
    chosen, _ = run(syn.series("s", syn.seasonal(40)))
    assert "on 1 rolling backtest of 4 months" in chosen.loc["s"].reason


def test_history_is_capped():
    chosen, _ = run(syn.series("long", syn.seasonal(120)), max_history=60)
    assert chosen.loc["long"].months == 60


def test_arima_competes_only_when_switched_on():
    chosen, _ = run(syn.series("s", syn.seasonal(48)), use_arima=True)
    assert "AutoARIMA" in chosen.loc["s"].scores


def test_many_series_at_once_are_deterministic_and_a_class_of_one_is_forecast_as_alone():
    histories = [
        syn.series("a", syn.seasonal(48, seed=4)),
        syn.series("b", syn.trending(48)),
        syn.series("c", syn.intermittent(48)),
    ]
    together = forecast_series(pd.concat(histories), end=syn.END)
    again = forecast_series(pd.concat(histories), end=syn.END)
    alone = forecast_series(histories[2], end=syn.END)
    pd.testing.assert_frame_equal(together.forecasts, again.forecasts)
    pd.testing.assert_frame_equal(together.selections, again.selections)
    c = together.forecasts[together.forecasts.unique_id == "c"].reset_index(drop=True)
    pd.testing.assert_frame_equal(c, alone.forecasts)


def test_series_of_one_class_share_the_method_that_backtests_best_over_the_group():
    histories = pd.concat(
        syn.series(f"s{seed}", syn.seasonal(48, noise=0.15, seed=seed)) for seed in range(6)
    )
    chosen = forecast_series(histories, end=syn.END).selections.set_index("unique_id")
    pooled = chosen[chosen.reason.str.contains("over the 6 series of smooth demand")]
    assert len(pooled) >= 4
    assert pooled.method.nunique() == 1
    assert pooled.method.iat[0] in REGULAR_METHODS
    assert pooled.reason.str.contains("on this series MASE ").all()
    alone = forecast_series(histories, config=EngineConfig(pool=False), end=syn.END)
    assert not alone.selections.reason.str.contains("backtested together").any()


def test_a_product_discontinued_in_the_master_data_is_forecast_at_zero():
    history = syn.series("gone", syn.seasonal(48))
    stops = {"gone": pd.Timestamp("2026-09-01")}
    result = forecast_series(history, end=syn.END, stops=stops)
    row = result.selections.iloc[0]
    assert (row.demand_class, row.method) == ("discontinued", "Zero")
    assert row.reason == "Discontinued from 2026-09 in the product master: the forecast is zero"
    assert result.forecasts["point"].sum() == 0


def test_a_discontinuation_inside_the_horizon_zeroes_the_months_from_then():
    history = syn.series("ending", syn.seasonal(48))
    stops = {"ending": pd.Timestamp("2027-03-01")}
    forecasts = forecast_series(history, end=syn.END, stops=stops).forecasts
    before = forecasts[forecasts.ds < "2027-03-01"]
    after = forecasts[forecasts.ds >= "2027-03-01"]
    assert (before["point"] > 0).all() and len(before) == 4
    assert (after[["point", "hi95"]] == 0).all().all()


def test_the_default_blend_forecasts_the_mean_of_its_two_combinations():
    """Held as the group's choice, the default blend forecasts the mean of the
    ETS+CES+DOTheta mean and the ETS+CES+DOTheta+SN median fitted on the same history."""
    from statsforecast import StatsForecast

    from forecasting.engine.candidates import BLEND, REGULAR, build_models

    history = pd.concat(
        [syn.series(f"s{i}", syn.seasonal(60, seed=i, noise=0.15)) for i in range(5)]
    )
    chosen, forecasts = run(history, switch_margin=1.0, own_margin=1.0)
    blended = chosen.index[chosen.method == BLEND]
    assert len(blended) == 5
    sf = StatsForecast(models=build_models(REGULAR), freq="MS", n_jobs=1)
    fits = sf.forecast(df=history[history.unique_id.isin(blended)], h=12)
    fits = fits.set_index(["unique_id", "ds"])
    mean = fits[["AutoETS", "AutoCES", "DOTheta"]].mean(axis=1)
    median = fits[["AutoETS", "AutoCES", "DOTheta", "SeasonalNaive"]].median(axis=1)
    ours = forecasts.set_index(["unique_id", "ds"]).loc[fits.index, "point"]
    assert ours.to_numpy() == pytest.approx(((mean + median) / 2).clip(lower=0).to_numpy())
