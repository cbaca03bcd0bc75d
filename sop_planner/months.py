"""Months as people type them (2027-01). Plain Python, read the same way by every form,
file and query string."""

import re
from datetime import date

MONTH_TEXT = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.]0?1)?")


class NotAMonth(ValueError):
    """The text is not a month as people write one (YYYY-MM)."""


def read_month(text: str) -> date:
    """The month `text` names: 2027-01, 2027-1, 2027/01 or 2027-01-01; else NotAMonth.

    The one reader of typed months, for files, forms and query strings alike.
    """
    found = MONTH_TEXT.fullmatch(str(text).strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        raise NotAMonth("not a month: write it as YYYY-MM")
    return date(int(found.group(1)), int(found.group(2)), 1)
