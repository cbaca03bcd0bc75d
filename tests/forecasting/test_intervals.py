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
    f80 = scale["s0"][80]
    assert (f80 > 1.5) if direction == "wider" else (f80 < 0.8)
    assert coverage(cv, scale, 80) == pytest.approx(0.8, abs=0.05)
    assert "intervals scaled x" in intervals.reason(scale["s0"])


def test_too_few_backtest_months_keep_the_models_own_band():
    cv = backtest(2.0, spread=10.0, series=1, months=6)
    scale = intervals.factors(cv, {"s0": "M"}, {"s0": "smooth"}, (80, 95))
    assert scale["s0"] == {80: 1.0, 95: 1.0}
    assert intervals.reason(scale["s0"]) == ""
