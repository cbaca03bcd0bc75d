"""Working days of a month and the horizon of a cycle. Plain Python."""

import calendar
import re
from datetime import date

MONTH_TEXT = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.]0?1)?")


class NotAMonth(ValueError):
    """The text is not a month as people write one (YYYY-MM)."""


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_index(month: date) -> int:
    """Months as consecutive integers (year x 12 + month - 1): differences are month counts."""
    return month.year * 12 + month.month - 1


def month_of(index: int) -> date:
    """The first day of the month a month_index stands for."""
    return date(int(index) // 12, int(index) % 12 + 1, 1)


def read_month(text: str) -> date:
    """The month `text` names: 2027-01, 2027-1, 2027/01 or 2027-01-01; else NotAMonth.

    The one reader of typed months, for files, forms and query strings alike.
    """
    found = MONTH_TEXT.fullmatch(str(text).strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        raise NotAMonth("not a month: write it as YYYY-MM")
    return date(int(found.group(1)), int(found.group(2)), 1)


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
