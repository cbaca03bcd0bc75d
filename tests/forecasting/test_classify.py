"""Demand classes by ADI / CV2 and the special cases, in plain numpy."""

import numpy as np
import pytest

from forecasting.engine.classify import DemandClass, classify

SMOOTH = np.full(48, 100.0) + np.tile([0, 5, -5, 3], 12)
ERRATIC = np.tile([10.0, 200.0, 30.0, 400.0], 12)
INTERMITTENT = np.tile([0.0, 0.0, 5.0, 6.0], 12)
LUMPY = np.tile([0.0, 0.0, 1.0, 90.0], 12)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (SMOOTH, DemandClass.SMOOTH),
        (ERRATIC, DemandClass.ERRATIC),
        (INTERMITTENT, DemandClass.INTERMITTENT),
        (LUMPY, DemandClass.LUMPY),
        (SMOOTH[:20], DemandClass.SHORT),
        (SMOOTH[:5], DemandClass.NEW),
        (np.zeros(0), DemandClass.ALL_ZERO),
        (np.concatenate([SMOOTH, np.zeros(6)]), DemandClass.DISCONTINUED),
    ],
)
def test_each_shape_gets_its_class(values, expected):
    assert classify(values).demand_class is expected


def test_a_pause_shorter_than_usual_gaps_is_not_discontinuation():
    sparse = np.tile([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 9.0], 6)[:-1]
    profile = classify(sparse)
    assert profile.trailing_zeros == 7
    assert profile.demand_class is DemandClass.INTERMITTENT  # still forecast, not written off
