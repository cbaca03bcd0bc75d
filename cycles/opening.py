"""When a new cycle may be opened: one rule for the board's button, the page and the API.

One cycle at a time: a new one opens once the one in progress is released.
The month is the one after the latest cycle, or a month near today (a
company starting out, or catching up after a gap); a cycle for the year 9173
would become "the latest" and bury the real one.
"""

from datetime import date

from django.utils import timezone

from cycles.calendar import add_months, month_start
from cycles.models import Cycle

MONTHS_BACK = 60  # history a company may still plan for when it starts out
MONTHS_AHEAD = 12  # one planning horizon ahead of today


def month_to_open() -> date:
    """The month the board offers: the one after the latest cycle, or this month."""
    latest = _latest_month()
    return add_months(latest, 1) if latest else month_start(timezone.localdate())


def cycle_open_refusal(month: date | None = None) -> str | None:
    """Why no cycle may be opened now (for `month`, when given), or None when it may."""
    in_progress = Cycle.objects.filter(status=Cycle.Status.OPEN).order_by("-month").first()
    if in_progress is not None:
        return (
            f"{in_progress} is still in progress ({in_progress.stage_enum.label}); "
            "the next cycle opens once it is released."
        )
    if month is None:
        return None
    return _month_refusal(month_start(month))


def _month_refusal(month: date) -> str | None:
    latest, expected = _latest_month(), month_to_open()
    if month == expected:
        return None
    if latest is not None and month <= latest:
        return (
            f"A cycle for {month:%Y-%m} cannot be opened: the latest cycle is "
            f"{latest:%Y-%m}; the next one is {expected:%Y-%m}."
        )
    today = month_start(timezone.localdate())
    if add_months(today, -MONTHS_BACK) <= month <= add_months(today, MONTHS_AHEAD):
        return None
    return (
        f"A cycle for {month:%Y-%m} cannot be opened: open {expected:%Y-%m}, or a month from "
        f"{add_months(today, -MONTHS_BACK):%Y-%m} to {add_months(today, MONTHS_AHEAD):%Y-%m}."
    )


def _latest_month() -> date | None:
    return Cycle.objects.order_by("-month").values_list("month", flat=True).first()
