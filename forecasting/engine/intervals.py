"""Prediction intervals calibrated on the backtest, so an 80% band covers about 80%.

The models' own intervals assume their model is right; averaged over a combination or
fitted on a few seasons they were measured too narrow (the 80% band covered 60-70% of
held-out months, bench/forecast_bench.py). Over the series of one group (a demand class
backtested together) we measure, for the method each series will use, how far each
backtest actual fell from the point in units of the band's half-width on its side; the
band is then scaled by the quantile of those ratios that covers the nominal share.

One factor for every month ahead left the far months short (the 80% band covered 80% of
the first quarter's held-out months but 74% of the second half year's on M1), so the
factor is measured per horizon bucket: months 1-3, 4-6 and 7 onwards ahead. A bucket
with too few backtest months takes the factor of the nearest nearer bucket measured, or
the group's factor over all months.
"""

import numpy as np
import pandas as pd

LIMITS = (0.5, 4.0)  # never narrow a band to under half, nor widen it beyond 4x
MIN_POINTS = 24  # fewer backtest months than this: keep the model's own band
BUCKET_ENDS = (3, 6)  # months ahead that close a bucket: 1-3, 4-6, 7 and beyond
BUCKETS = len(BUCKET_ENDS) + 1

Factors = dict[int, tuple[float, ...]]  # level -> one factor per horizon bucket


def bucket_of(months_ahead: np.ndarray) -> np.ndarray:
    """The horizon bucket (0, 1, 2) of each number of months ahead (1 = next month)."""
    return np.searchsorted(BUCKET_ENDS, np.asarray(months_ahead), side="left")


def factors(
    cv: pd.DataFrame, methods: dict[str, str], groups: dict[str, str], levels
) -> dict[str, Factors]:
    """Per series: level -> the factors that scale its band in each horizon bucket (1.0
    where not measurable)."""
    out: dict[str, Factors] = {uid: {} for uid in methods}
    for level in levels:
        ratios = _ratios(cv, methods, level)
        ratios["group"] = ratios["unique_id"].map(groups)
        per_group: dict[object, tuple[float, ...]] = {  # by group name; also asked for None
            group: _bucket_factors(rows, level) for group, rows in ratios.groupby("group")
        }
        for uid in methods:
            out[uid][level] = per_group.get(groups.get(uid), (1.0,) * BUCKETS)
    return out


def _ratios(cv: pd.DataFrame, methods: dict[str, str], level: int) -> pd.DataFrame:
    """Each backtest month's distance from the point in half-widths, with its bucket."""
    chosen = cv["unique_id"].map(methods)
    ahead = _months_ahead(cv)
    parts = []
    for method in chosen.dropna().unique():
        rows = cv[chosen == method]
        lo, hi = f"{method}-lo-{level}", f"{method}-hi-{level}"
        if lo not in rows or hi not in rows:
            continue
        point, y = rows[method], rows["y"]
        half = np.where(y >= point, rows[hi] - point, point - rows[lo])
        parts.append(
            pd.DataFrame({
                "unique_id": rows["unique_id"].to_numpy(),
                "bucket": bucket_of(ahead[rows.index]),
                "ratio": np.abs(y - point) / np.where(half > 0, half, np.nan),
            })
        )  # fmt: skip
    if not parts:
        return pd.DataFrame({"unique_id": [], "bucket": [], "ratio": []})
    return pd.concat(parts).replace([np.inf, -np.inf], np.nan).dropna(subset=["ratio"])


def _months_ahead(cv: pd.DataFrame) -> pd.Series:
    """1 for the first month after each backtest origin; all 1 when the origin is unknown."""
    if "cutoff" not in cv or "ds" not in cv:
        return pd.Series(1, index=cv.index)
    ds, cutoff = pd.to_datetime(cv["ds"]), pd.to_datetime(cv["cutoff"])
    return (ds.dt.year - cutoff.dt.year) * 12 + ds.dt.month - cutoff.dt.month


def _bucket_factors(rows: pd.DataFrame, level: int) -> tuple[float, ...]:
    pooled = _factor(rows["ratio"], level)
    measured: list[float] = []
    for bucket in range(BUCKETS):
        ratios = rows.loc[rows["bucket"] == bucket, "ratio"]
        if len(ratios) >= MIN_POINTS:
            measured.append(_factor(ratios, level))
        else:
            measured.append(measured[-1] if measured else pooled)
    return tuple(measured)


def _factor(ratios: pd.Series, level: int) -> float:
    if len(ratios) < MIN_POINTS:
        return 1.0
    return float(np.clip(np.quantile(ratios, level / 100), *LIMITS))


def widen(frame: pd.DataFrame, scale: dict[str, Factors], levels) -> pd.DataFrame:
    """Scale each series' bands around its point (columns lo80/hi80/lo95/hi95), month by
    month with the factor of that month's horizon bucket."""
    out = frame.copy()
    order = out["ds"] if "ds" in out else pd.Series(np.arange(len(out)), index=out.index)
    ahead = order.groupby(out["unique_id"]).rank(method="first").astype(int)
    buckets = bucket_of(ahead.to_numpy())
    for level in levels:
        table = {u: s.get(level, (1.0,) * BUCKETS) for u, s in scale.items()}
        f = np.array([
            table[u][b] if u in table else 1.0
            for u, b in zip(out["unique_id"], buckets, strict=True)
        ])  # fmt: skip
        lo, hi = f"lo{level}", f"hi{level}"
        out[lo] = out["point"] - f * (out["point"] - out[lo])
        out[hi] = out["point"] + f * (out[hi] - out["point"])
    return out


def reason(scale: Factors) -> str:
    """E.g. '; intervals scaled x1.4 (80%) and x1.2 to x1.8 by months ahead (95%) to cover
    their share of the backtest months'; empty when the bands were kept."""
    words = []
    for level, by_bucket in scale.items():
        if all(abs(f - 1.0) < 0.05 for f in by_bucket):
            continue
        low, high = min(by_bucket), max(by_bucket)
        if high - low < 0.05:
            words.append(f"x{low:.1f} ({level}%)")
        else:
            words.append(f"x{by_bucket[0]:.1f} to x{by_bucket[-1]:.1f} by months ahead ({level}%)")
    if not words:
        return ""
    return f"; intervals scaled {' and '.join(words)} to cover their share of the backtest months"
