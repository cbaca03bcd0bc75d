"""Working days of a month and the horizon of a cycle. Plain Python."""

import calendar
from datetime import date

# Typed months are read in sop_planner.months (the shared helpers import no app); kept here too.
from sop_planner.months import MONTH_TEXT, NotAMonth, read_month  # noqa: F401


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_index(month: date) -> int:
    """Months as consecutive integers (year x 12 + month - 1): differences are month counts."""
    return month.year * 12 + month.month - 1


def month_of(index: int) -> date:
    """The first day of the month a month_index stands for."""
    return date(int(index) // 12, int(index) % 12 + 1, 1)


def add_months(month: date, count: int) -> date:
    return month_of(month_index(month) + count)


def horizon(month: date, length: int = 12) -> list[date]:
    """The months a cycle for `month` plans: M .. M+length-1."""
    return [add_months(month_start(month), offset) for offset in range(length)]


def working_days(month: date, holidays: frozenset[date] = frozenset()) -> list[date]:
    """Monday to Friday of the month, less the company's holidays."""
    _, last = calendar.monthrange(month.year, month.month)
    days = (date(month.year, month.month, d) for d in range(1, last + 1))
    return [day for day in days if day.weekday() < 5 and day not in holidays]


def nth_working_day(month: date, n: int, holidays: frozenset[date] = frozenset()) -> date:
    """The n-th working day (1-based); past the month's end, its last working day."""
    days = working_days(month, holidays)
    return days[min(max(n, 1), len(days)) - 1]


def due_dates(
    month: date, working_days_due: list[int], holidays: frozenset[date] = frozenset()
) -> list[date]:
    """The due date of each stage: the n-th working day of the month, one n per stage."""
    return [nth_working_day(month, n, holidays) for n in working_days_due]
