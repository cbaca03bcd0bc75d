"""Effective-date periods of assignments: overlaps and moves, in plain Python.

A period runs from `start` to `end`, both days included; a missing start means
"since always" and a missing end "until further notice".
"""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None

    def overlaps(self, other: "Period") -> bool:
        starts_before_other_ends = (
            other.end is None or self.start is None or self.start <= other.end
        )
        ends_after_other_starts = (
            self.end is None or other.start is None or self.end >= other.start
        )
        return starts_before_other_ends and ends_after_other_starts

    def words(self) -> str:
        """'2026-03-01 to 2026-05-31', 'from 2026-03-01', 'until 2026-02-28', 'always'."""
        if self.start and self.end:
            return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"
        if self.start:
            return f"from {self.start:%Y-%m-%d}"
        if self.end:
            return f"until {self.end:%Y-%m-%d}"
        return "with no dates"


class PeriodError(ValueError):
    """The dates cannot be taken; the message says why in the user's words."""


def check_order(period: Period) -> None:
    if period.start and period.end and period.end < period.start:
        raise PeriodError(
            f"The assignment would end on {period.end:%Y-%m-%d}, before it starts on "
            f"{period.start:%Y-%m-%d}."
        )


def first_overlap(period: Period, existing: list[Period]) -> Period | None:
    """The first existing period this one would overlap, if any."""
    return next((other for other in existing if period.overlaps(other)), None)


def day_before(day: date) -> date:
    return day - timedelta(days=1)
