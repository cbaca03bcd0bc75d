"""Accuracy metrics of a plan against actuals: pure pandas / numpy, no Django.

Conventions (every function here follows them):
- error = forecast - actual, so a positive bias or tracking signal means the
  plan was too high (over-forecast).
- WAPE = sum|error| / sum(actual) x 100. Zero (or no) actuals: None.
- Bias % = sum(error) / sum(actual) x 100. Zero (or no) actuals: None.
- MASE = sum|error| / sum(scale) over the cells that have a scale, where a
  series' scale is the in-sample MAE of the 12-month seasonal naive on its
  history before the cycle (`naive_scale`). Cells without a scale (no
  history) are left out of MASE only; a zero total scale (flat histories)
  gives None rather than infinity.
- Tracking signal = cumulative error / MAD (mean absolute error) over the
  successive scored months of one aggregate; MAD 0 gives None.
- Hit rate = share of cells whose actual lies within [low, high], among the
  cells that have both bounds; no such cell: None.
- A group without cells produces no row; nothing returned is NaN (None instead).
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from reassessment.ratios import ratio as _ratio

SEASON = 12
SCORE_COLUMNS = [
    "series",
    "actual_total",
    "forecast_total",
    "abs_error",
    "error",
    "wape",
    "mase",
    "bias_pct",
    "hit_rate",
]


def wape(forecast: Sequence[float], actual: Sequence[float]) -> float | None:
    """Weighted absolute percentage error, in %."""
    f, a = np.asarray(forecast, float), np.asarray(actual, float)
    return _ratio(np.abs(f - a).sum(), a.sum())


def bias_pct(forecast: Sequence[float], actual: Sequence[float]) -> float | None:
    """Sum of errors as % of the actuals; positive = over-forecast."""
    f, a = np.asarray(forecast, float), np.asarray(actual, float)
    return _ratio((f - a).sum(), a.sum())


def mase(
    forecast: Sequence[float], actual: Sequence[float], scale: Sequence[float]
) -> float | None:
    """Sum of absolute errors over the sum of the series' naive scales (cells with a scale)."""
    f, a, s = (np.asarray(x, float) for x in (forecast, actual, scale))
    known = np.isfinite(s)
    return _ratio(np.abs(f - a)[known].sum(), s[known].sum(), scale=1.0)


def hit_rate(actual: Sequence[float], low: Sequence[float], high: Sequence[float]) -> float | None:
    """Share (0..1) of actuals inside their interval, among cells with both bounds."""
    a, lo, hi = (np.asarray(x, float) for x in (actual, low, high))
    known = np.isfinite(lo) & np.isfinite(hi)
    if not known.any():
        return None
    return float(((a >= lo) & (a <= hi))[known].mean())


def tracking_signal(errors: Sequence[float]) -> float | None:
    """Cumulative error over MAD of a sequence of errors (oldest first); MAD 0: None."""
    e = np.asarray(errors, float)
    return _ratio(e.sum(), np.abs(e).mean() if len(e) else 0.0, scale=1.0)


def naive_scale(history: np.ndarray) -> np.ndarray:
    """Per series (rows; months in columns, NaN = no record), the in-sample naive MAE.

    The 12-month seasonal naive where at least one pair 12 months apart exists;
    otherwise (short histories) the lag-1 naive; otherwise NaN (no scale).
    """
    history = np.asarray(history, float)
    seasonal = _mean_abs_diff(history, SEASON)
    lag_one = _mean_abs_diff(history, 1)
    return np.where(np.isnan(seasonal), lag_one, seasonal)


def _mean_abs_diff(history: np.ndarray, lag: int) -> np.ndarray:
    rows = history.shape[0]
    if history.ndim != 2 or history.shape[1] <= lag:
        return np.full(rows, np.nan)
    diffs = np.abs(history[:, lag:] - history[:, :-lag])
    counts = np.isfinite(diffs).sum(axis=1)
    sums = np.nansum(diffs, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def grouped_scores(cells: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Score every group of cells at once.

    `cells` has columns `by` + forecast, actual, and optionally scale, low, high
    (NaN where unknown). Returns one row per group present, columns `by` +
    SCORE_COLUMNS, with None where a metric is undefined.
    """
    if cells.empty:
        return pd.DataFrame(columns=[*by, *SCORE_COLUMNS])
    frame = _cell_terms(cells)
    sums = frame.groupby(by, sort=True, observed=True)[list(frame.columns.drop(by))].sum()
    out = pd.DataFrame(index=sums.index)
    out["series"] = sums["one"].astype(int)
    out["actual_total"] = sums["actual"]
    out["forecast_total"] = sums["forecast"]
    out["abs_error"] = sums["abs_error"]
    out["error"] = sums["error"]
    out["wape"] = _safe_div(sums["abs_error"], sums["actual"], 100.0)
    out["bias_pct"] = _safe_div(sums["error"], sums["actual"], 100.0)
    out["mase"] = _safe_div(sums["scaled_abs_error"], sums["scale"], 1.0)
    out["hit_rate"] = _safe_div(sums["hit"], sums["bounded"], 1.0)
    return without_nan(out.reset_index())


def _cell_terms(cells: pd.DataFrame) -> pd.DataFrame:
    forecast = cells["forecast"].astype(float).to_numpy()
    actual = cells["actual"].astype(float).to_numpy()
    error = forecast - actual
    scale = _column(cells, "scale")
    low, high = _column(cells, "low"), _column(cells, "high")
    has_scale = np.isfinite(scale)
    bounded = np.isfinite(low) & np.isfinite(high)
    terms = {
        "one": np.ones(len(cells)),
        "actual": actual,
        "forecast": forecast,
        "error": error,
        "abs_error": np.abs(error),
        "scaled_abs_error": np.where(has_scale, np.abs(error), 0.0),
        "scale": np.where(has_scale, scale, 0.0),
        "bounded": bounded.astype(float),
        "hit": (bounded & (actual >= low) & (actual <= high)).astype(float),
    }
    keys = cells[[c for c in cells.columns if c not in _VALUE_COLUMNS]]
    return pd.concat([keys.reset_index(drop=True), pd.DataFrame(terms)], axis=1)


_VALUE_COLUMNS = {"forecast", "actual", "scale", "low", "high"}


def _column(cells: pd.DataFrame, name: str) -> np.ndarray:
    if name not in cells:
        return np.full(len(cells), np.nan)
    return cells[name].astype(float).to_numpy()


def _safe_div(numerator: pd.Series, denominator: pd.Series, factor: float) -> pd.Series:
    valid = (denominator != 0) & denominator.notna()
    return (numerator / denominator.where(valid) * factor).where(valid)


def tracking_signals(
    frame: pd.DataFrame, by: list[str], *, order: str, error: str = "error"
) -> pd.Series:
    """Tracking signal of each row: cumulative error / MAD of its group up to its `order`.

    Vectorised over all groups; rows with MAD 0 get None. Returns a Series aligned
    with `frame`'s index.
    """
    if frame.empty:
        return pd.Series([], dtype=object, index=frame.index)
    ordered = frame.sort_values([*by, order])
    groups = ordered.groupby(by, sort=False, observed=True)[error]
    cumulative = groups.cumsum()
    mad = ordered[error].abs().groupby([ordered[c] for c in by], observed=True).cumsum() / (
        groups.cumcount() + 1
    )
    signal = (cumulative / mad.where(mad != 0)).reindex(frame.index)
    return signal.astype(object).where(signal.notna(), None)  # type: ignore[call-overload]  # pandas takes None as `other`; pandas-stubs 2.3 does not


def without_nan(frame: pd.DataFrame) -> pd.DataFrame:
    """NaN / inf become None (object columns), so callers never see NaN."""
    frame = frame.replace([np.inf, -np.inf], np.nan)
    return frame.astype(object).where(frame.notna(), None)  # type: ignore[call-overload]  # pandas takes None as `other`; pandas-stubs 2.3 does not
