"""What a check of an uploaded file can conclude, and the bounds and rules it follows.

Plain Python without pandas, so the pages, selectors and services that only name
these (a refusal to show, a rejected row to store) do not import the parsers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says which and why."""


class ColumnsMissing(FileRefused):
    """Required columns are absent: the user may map the file's columns once."""

    def __init__(self, message: str, *, missing: list[str], headers: list[str]) -> None:
        super().__init__(message)
        self.missing = missing
        self.headers = headers


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    chunk_rows: int = 50_000
    max_columns: int = 200
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_seconds: float = 0  # reading and checking one file; 0: no limit
    max_shared_strings_bytes: int = 50 * 1024 * 1024  # an .xlsx's text table, unpacked
    max_expansion: int = 100  # how far one part of an .xlsx may unpack


def normalise_header(name: object) -> str:
    """Column names match ignoring case, spaces, underscores and dashes."""
    return re.sub(r"[\s_\-]+", "", str(name or "")).lower()


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class ActualsRules:
    """What the database knows, captured once per upload."""

    products: dict[str, tuple[int, float]]  # SKU (upper case) -> (id, list price)
    territories: dict[str, int]  # code (lower case) -> id
    current_month: date  # actuals are for months before this one
    closed_through: date | None  # periods up to this month are in a released cycle
    allowed_territory_ids: frozenset[int] | None = None  # None: every territory
    currency: str = "EUR"
