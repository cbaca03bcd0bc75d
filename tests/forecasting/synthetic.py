"""Synthetic monthly series with known structure, in the engine's long format."""

import numpy as np
import pandas as pd

END = pd.Timestamp("2026-10-01")


def months(count: int, end: pd.Timestamp = END) -> pd.DatetimeIndex:
    return pd.date_range(end=end, periods=count, freq="MS")


def series(uid: str, values) -> pd.DataFrame:
    values = np.asarray(values, dtype=float)
    return pd.DataFrame({"unique_id": uid, "ds": months(len(values)), "y": values})


def seasonal(count: int = 48, *, level=100.0, amplitude=0.4, noise=0.03, seed=1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(count)
    return np.round(
        level * (1 + amplitude * np.sin(2 * np.pi * t / 12)) * rng.lognormal(0, noise, count)
    )


def trending(count: int = 48, *, seed=2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(count)
    return np.round(
        (50 + 3 * t) * (1 + 0.2 * np.sin(2 * np.pi * t / 12)) + rng.normal(0, 2, count)
    )


def intermittent(count: int = 48, *, rate=0.35, seed=3) -> np.ndarray:
    return np.random.default_rng(seed).poisson(rate, count).astype(float) * 4
