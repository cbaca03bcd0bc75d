"""An annual budget spread over months and territories lands exactly (plain Python)."""

from decimal import Decimal

import pytest

from reconciliation.budget_spread import MONEY_STEP, UNIT_STEP, SpreadError, spread


def test_units_spread_in_whole_units_and_sum_exactly_to_the_year():
    months = {m: w for m, w in enumerate([3, 3, 3, 5, 5, 5, 7, 7, 7, 2, 2, 1])}
    cells = spread(Decimal(1000), months, UNIT_STEP)
    assert sum(cells.values()) == Decimal(1000)
    assert all(value == value.to_integral_value() for value in cells.values())
    # in proportion to the profile, each cell within one unit of its exact share
    for month, weight in months.items():
        assert abs(cells[month] - Decimal(1000) * weight / 50) < 1


def test_the_units_left_by_rounding_go_to_the_largest_remainders_then_the_earlier_month():
    # 100 over twelve even months: 8 each is 96; the 4 left go to the first four months
    cells = spread(Decimal(100), dict.fromkeys(range(12), 1), UNIT_STEP)
    assert [cells[m] for m in range(12)] == [9] * 4 + [8] * 8
    # 10 over weights 1, 2, 3: shares 1.67, 3.33, 5 -> 1, 3, 5 and the last unit to the first
    assert list(spread(Decimal(10), {"a": 1, "b": 2, "c": 3}, UNIT_STEP).values()) == [2, 3, 5]


def test_revenue_is_spread_to_the_cent_and_sums_exactly():
    cells = spread(Decimal("1000000.01"), dict.fromkeys(range(36), 1), MONEY_STEP)
    assert sum(cells.values()) == Decimal("1000000.01")
    assert {value.as_tuple().exponent for value in cells.values()} == {-2}


def test_a_profile_without_sales_spreads_evenly():
    cells = spread(Decimal(24), dict.fromkeys("abcdef", 0), UNIT_STEP)
    assert set(cells.values()) == {4}


@pytest.mark.parametrize(
    "total, step, words",
    [
        (Decimal("10.5"), UNIT_STEP, "not a whole number of 1"),
        (Decimal("10.001"), MONEY_STEP, "not a whole number of 0.01"),
        (Decimal(-5), UNIT_STEP, "negative"),
    ],
)
def test_a_year_that_cannot_land_exactly_is_refused(total, step, words):
    with pytest.raises(SpreadError, match=words):
        spread(total, {"a": 1, "b": 1}, step)
