"""Ratios of sums already taken (WAPE, forecast value added, the tracking alarm).

Plain Python, so that the pages reading stored scores need no numpy or pandas;
`reassessment.metrics` computes the sums and uses these same functions.
"""

import math

TRACKING_SIGNAL_LIMIT = 4.0  # beyond +/- this, the bias is persistent, not noise


def ratio(numerator: float, denominator: float, scale: float = 100.0) -> float | None:
    """numerator / denominator x scale; None where the denominator is 0, missing or not finite."""
    if not denominator or not math.isfinite(denominator):
        return None
    return float(numerator / denominator * scale)


def wape_from_totals(abs_error: float, actual_total: float) -> float | None:
    """WAPE from sums already taken (stored scores summed over months)."""
    return ratio(abs_error, actual_total)


def fva_points(
    before_abs_error: float, after_abs_error: float, actual_total: float
) -> float | None:
    """Forecast value added in WAPE points: error before minus error after, over the actuals."""
    return ratio(before_abs_error - after_abs_error, actual_total)


def tracking_alarm(signal: float | None) -> bool:
    """A tracking signal outside +/- the limit: the plan is persistently too high or low."""
    return signal is not None and abs(signal) > TRACKING_SIGNAL_LIMIT
