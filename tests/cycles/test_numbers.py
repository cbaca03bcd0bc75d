"""Figures for people: rounded once, the same way everywhere, with thousands separators."""

from decimal import Decimal

import numpy as np
import pytest

from cycles.numbers import whole
from cycles.templatetags.numbers import units


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1406.5, "1,407"),
        (7027.5, "7,028"),
        (Decimal("1406.5000"), "1,407"),
        (-564550, "-564,550"),
        (12229695.4, "12,229,695"),
        (-0.4, "0"),
        (None, ""),
        (np.float64(1406.5), "1,407"),
        (np.int64(-2500), "-2,500"),
    ],
)
def test_a_figure_is_rounded_half_up_with_thousands_separators(value, text):
    assert whole(value) == text


def test_the_template_filter_leaves_no_figure_empty_for_a_dash():
    assert units(None) == "" and units("not a number") == "" and units(1460641) == "1,460,641"
