"""Whole numbers for people: the one place figures are rounded for display. Plain Python.

Tables, flags and gap texts all print through `whole`, so a shortage of 1,406.5 units reads
the same (1,407) in the supply table, its flag and the pre-read's gap list.
"""

from decimal import ROUND_HALF_UP, Decimal


def whole(value: float | Decimal | int | None) -> str:
    """The figure rounded half away from zero, with thousands separators; "" for no figure."""
    if value is None or value == "":
        return ""
    # str() gives the shortest text of a float (numpy's too), so 1406.5 stays 1406.5
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = number.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{rounded + 0:,}"  # + 0 turns -0 into 0
