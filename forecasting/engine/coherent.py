"""A run's forecasts made to add up across the hierarchy, by the method that backtests best.

In: every SKU x territory series' history, final forecasts and last-origin backtest
forecasts (from the engine), and each series' family x region. The totals (each family x
region, the company) get their own engine forecasts, final and at a backtest origin
WINDOW months back; hierarchy.choose scores each reconciliation method on that window and
hierarchy.reconcile applies the chosen one to the final forecasts. Pure pandas, no Django.
"""

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from forecasting.engine import hierarchy, late
from forecasting.engine.candidates import SEASON, EngineConfig
from forecasting.engine.run import forecast_series

WINDOW = 6  # months of the reconciliation backtest: the last ones every backtest covers


@dataclass
class Coherent:
    points: pd.DataFrame  # unique_id, ds, point: the reconciled SKU x territory forecasts
    decision: hierarchy.Decision
    totals: dict[str, list[float]]  # company and each family x region, month by month
    months: list[str]  # YYYY-MM of the forecast months


def make_coherent(
    history: pd.DataFrame,
    points: pd.DataFrame,
    backtests: pd.DataFrame,
    cell_of: dict[str, str],
    *,
    end: pd.Timestamp,
    config: EngineConfig | None = None,
    reported: dict[str, pd.Timestamp] | None = None,
) -> Coherent:
    """history: unique_id, ds, y; points: unique_id, ds, point; backtests: unique_id, ds,
    forecast; cell_of: SKU x territory id -> family x region label; reported: series whose
    territory has reported only up to an earlier month than `end`, and that month.

    The totals are learned up to the last month every territory reported: a total missing
    one territory's month would read as a drop in sales."""
    config = config or EngineConfig()
    h = hierarchy.build(cell_of)
    end = min([pd.Timestamp(end), *(pd.Timestamp(m) for m in (reported or {}).values())])
    months = pd.date_range(end=end, periods=config.max_history, freq="MS")
    actual = h.add_up(_wide(history, "y", h.bottom, months))
    horizon = sorted(points["ds"].unique())
    final = _wide(points, "point", h.bottom, horizon)
    base = np.vstack([_upper_forecasts(h, actual, months, horizon, config), final])
    if len(h.bottom) < 2 or len(months) <= WINDOW + SEASON:
        decision = hierarchy.Decision(hierarchy.BOTTOM_UP, {}, "one series: nothing to add up")
        return _result(h, final, decision, horizon)
    tested = _backtest_base(h, history, backtests, actual, months, config)
    window = actual[:, -WINDOW:]
    decision = hierarchy.choose(h, tested, window, _scales(actual[:, :-WINDOW]))
    bottom = hierarchy.reconcile(h, base, decision.method, window - tested)
    return _result(h, bottom, decision, horizon)


def _result(h, bottom: np.ndarray, decision, horizon) -> Coherent:
    n_upper = 1 + len(h.cells)
    bottom = np.round(bottom, 3)  # as stored: the totals are the sums of the stored months
    totals = h.add_up(bottom)[:n_upper]
    labels = [hierarchy.COMPANY, *h.cells]
    frame = pd.DataFrame(bottom, index=h.bottom, columns=pd.DatetimeIndex(horizon))
    points = frame.stack().rename("point").rename_axis(["unique_id", "ds"]).reset_index()  # type: ignore[call-overload]  # stack() of one column level is a Series (the stubs say DataFrame)
    return Coherent(
        points,
        decision,
        {
            label: [round(float(v), 3) for v in row]
            for label, row in zip(labels, totals, strict=True)
        },
        [f"{pd.Timestamp(m):%Y-%m}" for m in horizon],
    )


def _wide(frame: pd.DataFrame, column: str, uids: list[str], months) -> np.ndarray:
    ds = pd.to_datetime(frame["ds"]).dt.to_period("M").dt.to_timestamp()
    table = frame.assign(ds=ds).pivot_table(
        index="unique_id", columns="ds", values=column, aggfunc="sum"
    )
    return (
        table.reindex(index=uids, columns=pd.DatetimeIndex(months))
        .fillna(0.0)
        .clip(lower=0)
        .to_numpy()
    )


def _long(h, values: np.ndarray, months) -> pd.DataFrame:
    labels = [hierarchy.COMPANY, *h.cells]
    frame = pd.DataFrame(values, index=labels, columns=pd.DatetimeIndex(months))
    return frame.stack().rename("y").rename_axis(["unique_id", "ds"]).reset_index()  # type: ignore[call-overload]  # stack() of one column level is a Series (the stubs say DataFrame)


def _upper_forecasts(h, actual: np.ndarray, months, horizon: list, config: EngineConfig):
    """The engine's forecasts of the company and of each family x region total for the
    forecast months (`horizon`), from the last month of `months`."""
    n_upper = 1 + len(h.cells)
    history = _long(h, actual[:n_upper], months)
    last = months[-1]
    steps = late.months_behind(last, pd.Timestamp(horizon[-1]))
    result = forecast_series(history, config=replace(config, horizon=steps), end=last)
    return _wide(result.forecasts, "point", [hierarchy.COMPANY, *h.cells], horizon)


def _backtest_base(h, history, backtests, actual, months, config: EngineConfig) -> np.ndarray:
    """Base forecasts of the last WINDOW months: the totals forecast from WINDOW months
    back, each SKU x territory series by its own last backtest (the last month before
    the window repeated for series that had none)."""
    n_upper = 1 + len(h.cells)
    cut = months[-WINDOW - 1]
    upper = _long(h, actual[:n_upper, :-WINDOW], months[:-WINDOW])
    result = forecast_series(upper, config=replace(config, horizon=WINDOW), end=cut)
    labels = [hierarchy.COMPANY, *h.cells]
    window = months[-WINDOW:]
    upper_base = _wide(result.forecasts, "point", labels, window)
    bottom = _wide(backtests, "forecast", h.bottom, window) if len(backtests) else None
    tested = _covering(backtests, window)
    naive = np.repeat(actual[n_upper:, -WINDOW - 1 : -WINDOW], WINDOW, axis=1)
    missing = np.array([u not in tested for u in h.bottom])
    bottom = naive if bottom is None else np.where(missing[:, None], naive, bottom)
    return np.vstack([upper_base, bottom])


def _covering(backtests: pd.DataFrame, window) -> set[str]:
    """The series whose last backtest forecast every month of the window (a short one, or
    one that ends later than the window, does not)."""
    if not len(backtests):
        return set()
    inside = backtests[pd.to_datetime(backtests["ds"]).isin(window)]
    months = inside.groupby("unique_id")["ds"].nunique()
    return set(months[months == len(window)].index)


def _scales(history: np.ndarray) -> np.ndarray:
    """Per node: in-sample seasonal-naive MAE (lag 1 under two seasons), else the level."""
    lag = SEASON if history.shape[1] > 2 * SEASON else 1
    scale = np.abs(history[:, lag:] - history[:, :-lag]).mean(axis=1)
    level = np.abs(history).mean(axis=1)
    scale = np.where(scale > 0, scale, level)
    return np.where(scale > 0, scale, 1.0)
