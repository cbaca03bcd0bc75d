"""Rolling-origin backtest of a group of series and its accuracy measures.

MASE scales the absolute error by the in-sample seasonal-naive error (lag-1
naive when the history is shorter than two seasons), so 1.0 means "as good as
seasonal naive was in sample". WAPE is the absolute error over the actual
volume; bias is the signed error over the actual volume (+ = over-forecast).
"""

import numpy as np
import pandas as pd

from forecasting.engine.candidates import SEASON, BacktestPlan, CandidateSet, build_models


def cross_validate(
    history: pd.DataFrame,
    candidates: CandidateSet,
    plan: BacktestPlan,
    *,
    refit: bool,
    levels: list[int] | None = None,
):
    """statsforecast's cross-validation of all series of one group at once (with the
    models' intervals at `levels`, to calibrate them)."""
    from statsforecast import StatsForecast
    from statsforecast.models import Naive

    sf = StatsForecast(
        models=build_models(candidates), freq="MS", n_jobs=1, fallback_model=Naive()
    )
    cv = sf.cross_validation(
        df=history, h=plan.horizon, n_windows=plan.windows, step_size=plan.step, refit=refit,
        level=levels or None,
    )  # fmt: skip
    return cv.reset_index(drop=True) if "unique_id" in cv.columns else cv.reset_index()


def add_combinations(cv: pd.DataFrame, combined: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Each combination (name -> methods) as more columns: the mean of its methods' points,
    or their median when the name says "Median" (a blend's parts are combinations before
    it), and likewise of their interval bounds where every part has them, as the final
    forecast combines them; without the bounds a combination's intervals could not be
    calibrated on the backtest."""
    for name, parts in combined.items():  # in order: a blend's parts come before it
        columns = {}
        for suffix in ("", *_bound_suffixes(cv, parts)):
            members = cv[[f"{part}{suffix}" for part in parts]]
            columns[f"{name}{suffix}"] = getattr(members, _kind(name))(axis=1)
        cv = cv.assign(**columns)
    return cv


def _bound_suffixes(cv: pd.DataFrame, parts: tuple[str, ...]) -> list[str]:
    """The interval columns' suffixes ("-lo-80", ...) that every part has."""
    first = parts[0]
    suffixes = [
        column[len(first) :]
        for column in cv.columns
        if column.startswith((f"{first}-lo-", f"{first}-hi-"))
    ]
    return [s for s in suffixes if all(f"{part}{s}" in cv.columns for part in parts)]


def _kind(name: str) -> str:
    return "median" if name.startswith("Median") else "mean"


def scales(history: pd.DataFrame, cutoffs: pd.DataFrame) -> pd.Series:
    """Per series: the mean absolute in-sample (seasonal) naive error before the first origin."""
    first = cutoffs.groupby("unique_id")["cutoff"].min()
    train = history[history["ds"] <= history["unique_id"].map(first)]
    grouped = train.groupby("unique_id", sort=True)["y"]
    seasonal = (train["y"] - grouped.shift(SEASON)).abs().groupby(train["unique_id"]).mean()
    naive = (train["y"] - grouped.shift(1)).abs().groupby(train["unique_id"]).mean()
    level = train["y"].abs().groupby(train["unique_id"]).mean()
    long_enough = grouped.size() > 2 * SEASON
    scale = seasonal.where(long_enough, naive)
    scale = scale.where(scale > 0, level)
    return scale.where(scale > 0, 1.0).fillna(1.0).rename("scale")


def scores(cv: pd.DataFrame, methods: list[str], scale: pd.Series) -> pd.DataFrame:
    """One row per (series, method): mase, wape, bias over all origins."""
    tables = []
    for method in methods:
        error = cv[method].clip(lower=0).fillna(0) - cv["y"]
        sums = (
            pd.DataFrame({"abs": error.abs(), "signed": error, "y": cv["y"].abs()})
            .groupby(cv["unique_id"], sort=True)
            .agg(["sum", "count"])
        )
        volume = sums[("y", "sum")].where(sums[("y", "sum")] > 0)
        mae = sums[("abs", "sum")] / sums[("abs", "count")]
        tables.append(
            pd.DataFrame(
                {
                    "method": method,
                    "mase": mae / scale.reindex(mae.index),
                    "wape": sums[("abs", "sum")] / volume,
                    "bias": sums[("signed", "sum")] / volume,
                }
            )
        )
    return pd.concat(tables).rename_axis("unique_id").reset_index()


def last_origin(cv: pd.DataFrame | None, chosen: dict[str, str]) -> pd.DataFrame:
    """Each series' chosen-method forecast from its last backtest origin."""
    if cv is None or not len(cv):
        return pd.DataFrame(columns=["unique_id", "ds", "forecast"])
    last = cv[cv["cutoff"] == cv.groupby("unique_id")["cutoff"].transform("max")]
    method = last["unique_id"].map(chosen)
    values = np.full(len(last), np.nan)
    for name in method.dropna().unique():
        mask = (method == name).to_numpy()
        values[mask] = last.loc[mask, name].to_numpy()
    return pd.DataFrame(
        {"unique_id": last["unique_id"].to_numpy(), "ds": last["ds"].to_numpy(),
         "forecast": np.clip(values, 0, None)}
    )  # fmt: skip
