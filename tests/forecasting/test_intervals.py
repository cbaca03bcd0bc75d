"""Intervals calibrated on the backtest: a band that missed too often is widened, one that
was far too wide is narrowed, and the reason says so."""

import numpy as np
import pandas as pd
import pytest

from forecasting.engine import intervals


def backtest(half_width: float, spread: float, series: int = 4, months: int = 12):
    """Backtest rows whose actuals scatter `spread` around the point, with bands of
    +-half_width (80%) and +-1.5 half_width (95%)."""
    rng = np.random.default_rng(3)
    rows = []
    for s in range(series):
        point = np.full(months, 100.0)
        y = point + rng.normal(0, spread, months)
        rows.append(
            pd.DataFrame({
                "unique_id": f"s{s}", "y": y, "M": point,
                "M-lo-80": point - half_width, "M-hi-80": point + half_width,
                "M-lo-95": point - 1.5 * half_width, "M-hi-95": point + 1.5 * half_width,
            })
        )  # fmt: skip
    return pd.concat(rows, ignore_index=True)


def coverage(cv, scale, level):
    frame = pd.DataFrame({"unique_id": cv["unique_id"], "point": cv["M"]})
    frame[f"lo{level}"], frame[f"hi{level}"] = cv[f"M-lo-{level}"], cv[f"M-hi-{level}"]
    other = 95 if level == 80 else 80
    frame[f"lo{other}"], frame[f"hi{other}"] = frame[f"lo{level}"], frame[f"hi{level}"]
    wide = intervals.widen(frame, scale, (level,))
    return float(cv["y"].between(wide[f"lo{level}"], wide[f"hi{level}"]).mean())


@pytest.mark.parametrize(("half_width", "direction"), [(5.0, "wider"), (20.0, "narrower")])
def test_bands_are_scaled_to_cover_their_share_of_the_backtest(half_width, direction):
    cv = backtest(half_width, spread=10.0)
    methods = {f"s{s}": "M" for s in range(4)}
    scale = intervals.factors(cv, methods, dict.fromkeys(methods, "smooth"), (80, 95))
    f80 = scale["s0"][80][0]
    assert (f80 > 1.5) if direction == "wider" else (f80 < 0.8)
    assert coverage(cv, scale, 80) == pytest.approx(0.8, abs=0.05)
    assert "intervals scaled x" in intervals.reason(scale["s0"])


def test_too_few_backtest_months_keep_the_models_own_band():
    cv = backtest(2.0, spread=10.0, series=1, months=6)
    scale = intervals.factors(cv, {"s0": "M"}, {"s0": "smooth"}, (80, 95))
    assert scale["s0"] == {80: (1.0, 1.0, 1.0), 95: (1.0, 1.0, 1.0)}
    assert intervals.reason(scale["s0"]) == ""


def growing_backtest(series: int = 12, origins: int = 3, horizon: int = 12):
    """Backtest rows whose bands keep one width while the actuals scatter more the further
    ahead they are (spread 3 x months ahead), as real forecasts do."""
    rng = np.random.default_rng(5)
    rows = []
    for s in range(series):
        for o in range(origins):
            cutoff = pd.Timestamp(2020, 1 + 3 * o, 1)
            ds = pd.date_range(cutoff + pd.offsets.MonthBegin(1), periods=horizon, freq="MS")
            ahead = np.arange(1, horizon + 1)
            y = 100.0 + rng.normal(0, 3.0 * ahead)
            rows.append(
                pd.DataFrame({
                    "unique_id": f"s{s}", "ds": ds, "cutoff": cutoff, "y": y, "M": 100.0,
                    "M-lo-80": 90.0, "M-hi-80": 110.0, "M-lo-95": 85.0, "M-hi-95": 115.0,
                })
            )  # fmt: skip
    return pd.concat(rows, ignore_index=True)


def test_far_months_get_wider_bands_than_near_ones_and_each_bucket_covers_its_share():
    cv = growing_backtest()
    methods = {f"s{s}": "M" for s in range(12)}
    scale = intervals.factors(cv, methods, dict.fromkeys(methods, "smooth"), (80, 95))
    near, middle, far = scale["s0"][80]
    assert near < middle < far
    frame = cv.rename(columns={"M": "point"})[["unique_id", "ds", "cutoff", "point", "y"]]
    frame[["lo80", "hi80", "lo95", "hi95"]] = cv[["M-lo-80", "M-hi-80", "M-lo-95", "M-hi-95"]]
    per_origin = [intervals.widen(part, scale, (80, 95)) for _, part in frame.groupby("cutoff")]
    wide = pd.concat(per_origin)
    ds, cutoff = wide["ds"].dt, wide["cutoff"].dt
    ahead = (ds.year - cutoff.year) * 12 + ds.month - cutoff.month
    covered = wide["y"].between(wide["lo80"], wide["hi80"])
    for months in ((1, 3), (4, 6), (7, 12)):
        share = covered[ahead.between(*months)].mean()
        assert share == pytest.approx(0.8, abs=0.07), months
    assert "by months ahead (80%)" in intervals.reason(scale["s0"])


def test_a_bucket_beyond_the_backtest_takes_the_nearest_measured_factor():
    cv = growing_backtest(horizon=6)
    methods = {f"s{s}": "M" for s in range(12)}
    near, middle, far = intervals.factors(cv, methods, dict.fromkeys(methods, "smooth"), (80,))[
        "s0"
    ][80]
    assert far == middle > near


def test_a_combination_chosen_by_the_backtest_gets_its_bands_calibrated_too():
    """The default regular method is a combination: its bands are the mean of its parts'
    bounds, and they too must be measured and widened where they missed."""
    from forecasting.engine.backtest import add_combinations

    cv = backtest(5.0, spread=10.0)
    cv = cv.assign(**{c.replace("M", "N", 1): cv[c] + 1.0 for c in cv.columns if c[0] == "M"})
    cv = add_combinations(cv, {"Mean of M + N": ("M", "N")})

    assert cv["Mean of M + N-lo-80"].to_numpy() == pytest.approx(cv["M-lo-80"] + 0.5)
    methods = {f"s{s}": "Mean of M + N" for s in range(4)}
    scale = intervals.factors(cv, methods, dict.fromkeys(methods, "smooth"), (80, 95))
    assert scale["s0"][80][0] > 1.5


def test_a_blend_is_the_mean_of_the_combinations_it_names_with_their_bounds():
    from forecasting.engine.backtest import add_combinations

    cv = backtest(5.0, spread=10.0)
    for offset, name in ((1.0, "N"), (4.0, "O")):
        cv = cv.assign(**{c.replace("M", name, 1): cv[c] + offset for c in cv if c[0] == "M"})
    cv = add_combinations(
        cv,
        {
            "Mean of M + N": ("M", "N"),
            "Median of M + N + O": ("M", "N", "O"),
            "Blend": ("Mean of M + N", "Median of M + N + O"),
        },
    )

    # mean M + 0.5, median M + 1: the blend is M + 0.75, points and bounds alike
    assert cv["Blend"].to_numpy() == pytest.approx(cv["M"] + 0.75)
    assert cv["Blend-hi-95"].to_numpy() == pytest.approx(cv["M-hi-95"] + 0.75)
