"""Numbers people type, checked against what the database column can hold. Plain Python.

Decimal takes "1e400" as a finite number; a NUMERIC(18, 4) column cannot store it,
and the page that shows it later fails. Every parser of a typed figure asks here.

read_number is the one reader of figures written in files and forms: the
convention (decimal point or decimal comma) is chosen once per file, never guessed
per cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum


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


class Convention(Enum):
    """How a file writes its numbers, decided once for the whole file, never per cell."""

    DECIMAL_POINT = "decimal point, comma for thousands"
    DECIMAL_COMMA = "decimal comma, dot for thousands"

    @classmethod
    def for_separator(cls, separator: str) -> Convention:
        """A `;`-separated file is a European export: `1.234,5` is one thousand and more."""
        return cls.DECIMAL_COMMA if separator == ";" else cls.DECIMAL_POINT


class NotANumber(ValueError):
    """The text is not a number written in the expected convention; says which one."""


GROUPING = re.compile(r"[\s\u00a0\u202f']")  # spaces and apostrophes group thousands anywhere
EXPONENT = r"(?:[eE][+-]?\d+)?"
SHAPES = {
    Convention.DECIMAL_POINT: re.compile(
        rf"[+-]?(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|\d+\.|\.\d+){EXPONENT}"
    ),
    Convention.DECIMAL_COMMA: re.compile(
        rf"[+-]?(?:(?:\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:,\d+)?|\d+,|,\d+){EXPONENT}"
    ),
}


def read_number(text: str, convention: Convention) -> Decimal:
    """The number `text` means in `convention`, exactly, or NotANumber.

    `1.234` is 1234 in a decimal-comma file and 1.234 in a decimal-point one; `2400,50`
    fits no decimal-point reading (a comma groups exactly three digits) and is refused
    rather than guessed, so a figure is never read in the other convention.
    """
    compact = GROUPING.sub("", text.strip())
    if not SHAPES[convention].fullmatch(compact):
        raise NotANumber(f"is not a number written with a {convention.value}")
    if convention is Convention.DECIMAL_COMMA:
        compact = compact.replace(".", "").replace(",", ".")
    else:
        compact = compact.replace(",", "")
    return Decimal(compact)


def read_plan_figure(text: str, convention: Convention = Convention.DECIMAL_POINT) -> Decimal:
    """A plan figure (units, money, weeks) typed in a file or a form: 0 or more, storable.

    '10,500' is ten thousand five hundred with a decimal point; the reason of a
    refusal is a ValueError whose text reads after the value ("must be 0 or more").
    """
    value = read_number(text, convention)  # NotANumber names the convention
    if value < 0:
        raise ValueError("must be 0 or more")
    if PLAN_FIGURE.too_large(value):
        raise ValueError(f"is too large (plan figures are below {PLAN_FIGURE.bound})")
    return value
