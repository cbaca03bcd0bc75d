"""Demand classes: which kind of series is this, and so which methods may compete.

Syntetos-Boylan classes by ADI (average months between sales) and CV2 (squared
coefficient of variation of the non-zero sales), plus the cases a planner
meets before any of those apply: no sales at all, a discontinued product, a
new product and a short history. Plain numpy.
"""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49
NEW_BELOW = 12  # months of history
SHORT_BELOW = 36  # a seasonal backtest needs two seasons to fit and one to test
DISCONTINUED_AFTER = 6  # months without sales at the end


class DemandClass(StrEnum):
    SMOOTH = "smooth"
    ERRATIC = "erratic"
    INTERMITTENT = "intermittent"
    LUMPY = "lumpy"
    SHORT = "short"
    NEW = "new"
    DISCONTINUED = "discontinued"
    ALL_ZERO = "all_zero"


@dataclass(frozen=True)
class Profile:
    demand_class: DemandClass
    months: int  # history length after leading zeros are trimmed
    adi: float
    cv2: float
    trailing_zeros: int


def adi_cv2(y: np.ndarray) -> tuple[float, float]:
    sales = y[y > 0]
    if len(sales) == 0:
        return float("inf"), 0.0
    adi = len(y) / len(sales)
    mean = sales.mean()
    cv2 = float((sales.std() / mean) ** 2) if mean > 0 else 0.0
    return float(adi), cv2


def trailing_zero_count(y: np.ndarray) -> int:
    nonzero = np.flatnonzero(y > 0)
    return len(y) - 1 - int(nonzero[-1]) if len(nonzero) else len(y)


def classify(y: np.ndarray) -> Profile:
    """The class of one trimmed history (oldest month first)."""
    months = len(y)
    adi, cv2 = adi_cv2(y)
    trailing = trailing_zero_count(y)
    return Profile(_class_of(y, adi, cv2, trailing), months, adi, cv2, trailing)


def _class_of(y: np.ndarray, adi: float, cv2: float, trailing: int) -> DemandClass:
    months = len(y)
    if months == 0 or not (y > 0).any():
        return DemandClass.ALL_ZERO
    before = y[: months - trailing]
    usual_gap = adi_cv2(before)[0]
    if trailing >= max(DISCONTINUED_AFTER, 3 * usual_gap):
        return DemandClass.DISCONTINUED
    if months < NEW_BELOW:
        return DemandClass.NEW
    intermittent = adi > ADI_CUTOFF
    if intermittent and months > 24:
        return DemandClass.LUMPY if cv2 > CV2_CUTOFF else DemandClass.INTERMITTENT
    if months < SHORT_BELOW:
        return DemandClass.SHORT
    return DemandClass.ERRATIC if cv2 > CV2_CUTOFF else DemandClass.SMOOTH
