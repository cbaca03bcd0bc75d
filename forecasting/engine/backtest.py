"""Rolling-origin backtest of a group of series and its accuracy measures.

MASE scales the absolute error by the in-sample seasonal-naive error (lag-1
naive when the history is shorter than two seasons), so 1.0 means "as good as
seasonal naive was in sample". WAPE is the absolute error over the actual
volume; bias is the signed error over the actual volume (+ = over-forecast).
"""

import pandas as pd

from forecasting.engine.candidates import SEASON, BacktestPlan, CandidateSet, build_models


def cross_validate(
    history: pd.DataFrame, candidates: CandidateSet, plan: BacktestPlan, *, refit: bool
):
    """statsforecast's cross-validation of all series of one group at once."""
    from statsforecast import StatsForecast
    from statsforecast.models import Naive

    sf = StatsForecast(
        models=build_models(candidates), freq="MS", n_jobs=1, fallback_model=Naive()
    )
    cv = sf.cross_validation(
        df=history, h=plan.horizon, n_windows=plan.windows, step_size=plan.step, refit=refit
    )
    return cv.reset_index(drop=True) if "unique_id" in cv.columns else cv.reset_index()


def add_combinations(cv: pd.DataFrame, combined: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Each combination (name -> methods) as one more column: the mean of its methods."""
    if not combined:
        return cv
    return cv.assign(**{name: cv[list(parts)].mean(axis=1) for name, parts in combined.items()})


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
