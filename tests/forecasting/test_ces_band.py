"""AutoCES's cheap band: statsforecast's point forecasts, a band from its own errors."""

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import AutoCES

from forecasting.engine.ces_band import AutoCESBand
from tests.forecasting import synthetic as syn

LEVELS = [80, 95]


def history(noise: float, uid: str = "s") -> pd.DataFrame:
    frame = syn.series(uid, syn.seasonal(48) + np.random.default_rng(3).normal(0, noise, 48))
    return frame.assign(ds=pd.to_datetime(frame["ds"]))


def forecast(model, df: pd.DataFrame) -> pd.DataFrame:
    sf = StatsForecast(models=[model], freq="MS", n_jobs=1)
    return sf.forecast(df=df, h=12, level=LEVELS)


def test_the_point_forecast_is_statsforecasts_autoces():
    df = history(noise=2.0)
    ours = forecast(AutoCESBand(season_length=12, alias="AutoCES"), df)
    theirs = forecast(AutoCES(season_length=12, alias="AutoCES"), df)
    np.testing.assert_allclose(ours["AutoCES"], theirs["AutoCES"])


def test_the_band_nests_around_the_point_and_widens_with_the_months_ahead():
    f = forecast(AutoCESBand(season_length=12, alias="AutoCES"), history(noise=2.0))
    lo95, lo80, point = f["AutoCES-lo-95"], f["AutoCES-lo-80"], f["AutoCES"]
    hi80, hi95 = f["AutoCES-hi-80"], f["AutoCES-hi-95"]
    assert ((lo95 < lo80) & (lo80 < point) & (point < hi80) & (hi80 < hi95)).all()
    width = (hi80 - lo80).to_numpy()
    assert (np.diff(width) > 0).all()
    assert np.isclose(width[-1], width[0] * np.sqrt(12))  # a random walk's spread


def test_a_noisier_history_gets_a_wider_band():
    model = AutoCESBand(season_length=12, alias="AutoCES")
    calm, noisy = forecast(model, history(noise=1.0)), forecast(model, history(noise=6.0))
    assert (noisy["AutoCES-hi-80"] - noisy["AutoCES-lo-80"]).iloc[0] > 2 * (
        calm["AutoCES-hi-80"] - calm["AutoCES-lo-80"]
    ).iloc[0]


def test_the_backtest_gets_the_same_band_at_every_origin():
    sf = StatsForecast(models=[AutoCESBand(season_length=12, alias="AutoCES")], freq="MS")
    cv = sf.cross_validation(df=history(noise=2.0), h=6, n_windows=3, step_size=3, level=LEVELS,
                             refit=False)  # fmt: skip
    assert cv["cutoff"].nunique() == 3
    assert (cv["AutoCES-lo-95"] < cv["AutoCES"]).all() and (
        cv["AutoCES"] < cv["AutoCES-hi-95"]
    ).all()
