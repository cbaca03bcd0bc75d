"""Numbers people type, checked against what the database column can hold. Plain Python.

Decimal takes "1e400" as a finite number; a NUMERIC(18, 4) column cannot store it,
and the page that shows it later fails. Every parser of a typed figure asks here.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Column:
    """A NUMERIC(digits, places) column: how large a number it holds."""

    digits: int
    places: int

    def too_large(self, number: Decimal) -> bool:
        """True when `number` needs more whole digits than the column has."""
        return abs(number) >= Decimal(10) ** (self.digits - self.places)

    @property
    def bound(self) -> str:
        """The first number it cannot hold, for a message: '100,000,000,000,000'."""
        return f"{10 ** (self.digits - self.places):,}"


PLAN_FIGURE = Column(18, 4)  # cycles.PlanValue.value: every plan figure typed or imported
