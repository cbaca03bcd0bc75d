"""AutoCES with a band the engine can afford (issue 17: speed).

statsforecast draws AutoCES's intervals from 5,000 simulated paths in a Python loop, at
the final fit and again at every backtest origin: 40-120 ms a series where the point
forecast takes 2 ms, two thirds of a whole run's time (10,000 series: about 1,500 of 2,250
CPU seconds). The engine never takes a model's band as given: it rescales every band by
factors measured on the backtest, per horizon bucket (intervals.py). So AutoCES's band is
the one of a random walk with the spread of its own in-sample errors, point +- z * sigma *
sqrt(months ahead), computed in microseconds; the calibration then sets its width.

Imported by candidates.build_models only, so pure callers do not load statsforecast.
"""

import numpy as np
from scipy.stats import norm
from statsforecast.models import AutoCES


class AutoCESBand(AutoCES):
    """statsforecast's AutoCES, point forecasts unchanged, with the cheap band above."""

    def forecast(self, y, h, X=None, X_future=None, level=None, fitted=False):
        res = super().forecast(y=y, h=h, X=X, X_future=X_future, fitted=True)
        return _with_band(res, y, level, fitted)

    def forward(self, y, h, X=None, X_future=None, level=None, fitted=False):
        res = super().forward(y=y, h=h, X=X, X_future=X_future, fitted=True)
        return _with_band(res, y, level, fitted)


def _with_band(res: dict, y: np.ndarray, level, fitted: bool) -> dict:
    """`res` with lo-/hi- entries per level (in statsforecast's key order), and its
    in-sample fit only when asked for."""
    out = {"mean": res["mean"], **({"fitted": res["fitted"]} if fitted else {})}
    if not level:
        return out
    errors = np.asarray(y, dtype=float) - res["fitted"]
    sigma = float(np.nanstd(errors)) if np.isfinite(errors).any() else 0.0
    spread = sigma * np.sqrt(np.arange(1, len(res["mean"]) + 1))
    levels = sorted(level)
    z = {lv: norm.ppf(0.5 + lv / 200) for lv in levels}
    lows = {f"lo-{lv}": res["mean"] - z[lv] * spread for lv in reversed(levels)}
    highs = {f"hi-{lv}": res["mean"] + z[lv] * spread for lv in levels}
    return {**out, **lows, **highs}
