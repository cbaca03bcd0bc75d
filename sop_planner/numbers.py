"""Numbers people type, checked against what the database column can hold. Plain Python.

Decimal takes "1e400" as a finite number; a NUMERIC(18, 4) column cannot store it,
and the page that shows it later fails. Every parser of a typed figure asks here.
"""

from decimal import Decimal


def too_large(number: Decimal, *, digits: int, places: int) -> bool:
    """True when `number` needs more whole digits than a NUMERIC(digits, places) column has."""
    return abs(number) >= Decimal(10) ** (digits - places)


def largest(*, digits: int, places: int) -> str:
    """The bound of such a column for a message, e.g. '100,000,000,000,000'."""
    return f"{10 ** (digits - places):,}"
