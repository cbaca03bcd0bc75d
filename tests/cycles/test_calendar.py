from datetime import date

import pytest

from cycles.calendar import add_months, horizon, nth_working_day, working_days


def test_horizon_is_twelve_months_from_the_planning_month():
    months = horizon(date(2026, 11, 15))
    assert months[0] == date(2026, 11, 1) and months[-1] == date(2027, 10, 1)
    assert len(months) == 12


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [
        (date(2026, 1, 1), -1, date(2025, 12, 1)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
        (date(2026, 5, 1), 25, date(2028, 6, 1)),
    ],
)
def test_adding_months_crosses_years(month, count, expected):
    assert add_months(month, count) == expected


def test_working_days_skip_weekends_and_holidays():
    december = date(2026, 12, 1)
    holidays = frozenset({date(2026, 12, 25)})
    assert len(working_days(december)) == 23
    assert len(working_days(december, holidays)) == 22


def test_third_working_day_skips_a_holiday_on_the_first():
    january = date(2027, 1, 1)  # a Friday
    assert nth_working_day(january, 1) == date(2027, 1, 1)
    assert nth_working_day(january, 3, frozenset({date(2027, 1, 1)})) == date(2027, 1, 6)


def test_a_working_day_past_the_month_end_is_the_last_one():
    assert nth_working_day(date(2026, 2, 1), 40) == date(2026, 2, 27)
