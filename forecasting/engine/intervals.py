"""Prediction intervals calibrated on the backtest, so an 80% band covers about 80%.

The models' own intervals assume their model is right; averaged over a combination or
fitted on a few seasons they were measured too narrow (the 80% band covered 60-70% of
held-out months, bench/forecast_bench.py). Over the series of one group (a demand class
backtested together) we measure, for the method each series will use, how far each
backtest actual fell from the point in units of the band's half-width on its side; the
band is then scaled by the quantile of those ratios that covers the nominal share.
"""

import numpy as np
import pandas as pd

LIMITS = (0.5, 4.0)  # never narrow a band to under half, nor widen it beyond 4x
MIN_POINTS = 24  # fewer backtest months than this: keep the model's own band


def factors(
    cv: pd.DataFrame, methods: dict[str, str], groups: dict[str, str], levels
) -> dict[str, dict[int, float]]:
    """Per series: level -> the factor that scales its band (1.0 when not measurable)."""
    ratios = {level: _ratios(cv, methods, level) for level in levels}
    group = pd.Series(groups)
    out: dict[str, dict[int, float]] = {uid: {} for uid in methods}
    for level, ratio in ratios.items():
        per_group = ratio.groupby(group.reindex(ratio.index).to_numpy()).agg(
            lambda r, level=level: _factor(r, level)
        )
        for uid in methods:
            out[uid][level] = float(per_group.get(groups.get(uid), 1.0))
    return out


def _ratios(cv: pd.DataFrame, methods: dict[str, str], level: int) -> pd.Series:
    chosen = cv["unique_id"].map(methods)
    parts = []
    for method in chosen.dropna().unique():
        rows = cv[chosen == method]
        lo, hi = f"{method}-lo-{level}", f"{method}-hi-{level}"
        if lo not in rows or hi not in rows:
            continue
        point, y = rows[method], rows["y"]
        half = np.where(y >= point, rows[hi] - point, point - rows[lo])
        ratio = pd.Series(np.abs(y - point) / np.where(half > 0, half, np.nan), index=rows.index)
        parts.append(ratio.set_axis(rows["unique_id"].to_numpy()))
    return pd.concat(parts).replace([np.inf, -np.inf], np.nan) if parts else pd.Series(dtype=float)


def _factor(ratios: pd.Series, level: int) -> float:
    ratios = ratios.dropna()
    if len(ratios) < MIN_POINTS:
        return 1.0
    return float(np.clip(np.quantile(ratios, level / 100), *LIMITS))


def widen(frame: pd.DataFrame, scale: dict[str, dict[int, float]], levels) -> pd.DataFrame:
    """Scale each series' bands around its point (columns lo80/hi80/lo95/hi95)."""
    out = frame.copy()
    for level in levels:
        f = out["unique_id"].map({u: s.get(level, 1.0) for u, s in scale.items()}).fillna(1.0)
        lo, hi = f"lo{level}", f"hi{level}"
        out[lo] = out["point"] - f * (out["point"] - out[lo])
        out[hi] = out["point"] + f * (out[hi] - out["point"])
    return out


def reason(scale: dict[int, float]) -> str:
    """E.g. '; intervals scaled x1.4 (80%) and x1.6 (95%) to cover their share of the
    backtest months'; empty when the bands were kept."""
    changed = {level: f for level, f in scale.items() if abs(f - 1.0) >= 0.05}
    if not changed:
        return ""
    words = " and ".join(f"x{f:.1f} ({level}%)" for level, f in changed.items())
    return f"; intervals scaled {words} to cover their share of the backtest months"
