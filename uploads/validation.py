"""Validate a chunk of sales actuals, vectorised; no Django, no database.

Each rule is a boolean mask over the chunk; a failing row yields one
Rejection per problem (file row, column, value, reason). Valid rows come out
with ids, a month index and numbers, ready to stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cycles.calendar import NotAMonth, month_index, read_month
from sop_planner.numbers import Convention, NotANumber, read_number
from uploads.outcomes import ActualsRules, Rejection
from uploads.parsing import per_unique

MAX_UNITS = 1e11  # units are numeric(14, 3)
MAX_REVENUE = 1e13  # revenue is numeric(16, 2)


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass
class KeyIndex:
    """The (product, territory, period) keys seen so far, to catch duplicates across chunks."""

    chunks: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)

    def first_rows(self, keys: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """For each key, the row it first appeared on (0 when this is the first time)."""
        first = np.zeros(len(keys), dtype=np.int64)
        for seen_keys, seen_rows in self.chunks:  # never empty: see below
            pos = np.minimum(np.searchsorted(seen_keys, keys), len(seen_keys) - 1)
            hit = (seen_keys[pos] == keys) & (first == 0)
            first[hit] = seen_rows[pos[hit]]
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        repeat = np.r_[False, ordered[1:] == ordered[:-1]]
        run_start = np.maximum.accumulate(np.where(repeat, 0, np.arange(len(ordered))))
        earlier = rows[order][run_start]
        inside = order[repeat & (first[order] == 0)]
        first[inside] = earlier[repeat & (first[order] == 0)]
        new = first == 0
        if new.any():  # a chunk of nothing but repeats (a file pasted twice) adds no keys
            new_order = np.argsort(keys[new], kind="stable")
            self.chunks.append((keys[new][new_order], rows[new][new_order]))
        return first


def series_keys(product_ids, territory_ids, periods) -> np.ndarray:
    """One int64 per (product, territory, month): ids below 2^27 and 2^20."""
    return (
        (np.asarray(product_ids, dtype=np.int64) << 36)
        | (np.asarray(territory_ids, dtype=np.int64) << 16)
        | np.asarray(periods, dtype=np.int64)
    )


def parse_numbers(values: pd.Series, *, decimal_comma: bool) -> pd.Series:
    """Numbers as the file writes them: `1.234,5` in a `;` file, `1,234.5` in a `,` file.

    A cell that does not fit the file's convention is NaN (refused), never re-read in
    the other one: `1.234` in a `;` file is 1234, `2400,50` in a `,` file is refused.
    """
    convention = Convention.DECIMAL_COMMA if decimal_comma else Convention.DECIMAL_POINT
    given = values != ""
    numbers = pd.Series(np.nan, index=values.index, dtype="float64")
    plain = given & ~values.str.contains(",", regex=False)
    if convention is Convention.DECIMAL_POINT and plain.any():  # fast path, no grouping
        numbers[plain] = pd.to_numeric(values[plain], errors="coerce").astype("float64")
    odd = numbers.isna() & given
    if odd.any():
        read = per_unique(values[odd], lambda text: _read_number(text, convention))
        numbers[odd] = read.astype("float64")
    return numbers.where(np.isfinite(numbers))


def _read_number(text: str, convention: Convention) -> float:
    try:
        return float(read_number(text, convention))
    except NotANumber:
        return np.nan


def finer_than(texts: pd.Series, numbers: pd.Series, places: int, *, comma: bool) -> pd.Series:
    """Figures written with more decimals than the column keeps: refused, never rounded away.

    The number tells, except past a float's 15 digits (2499999999999.749756 reads as .75):
    a text that long is judged by its digits after the decimal mark.
    """
    rounded = numbers.round(places) != numbers
    long = texts.str.len() > 15
    if long.any():
        mark = "," if comma else r"\."
        digits = texts[long].str.contains(rf"^[^eE]*{mark}\d{{{places}}}\d*[1-9]", regex=True)
        rounded = rounded | digits.reindex(texts.index, fill_value=False)
    return numbers.notna() & rounded


def number_problem(convention_comma: bool) -> str:
    """The reason a cell that is not a number is refused: it names the file's convention."""
    convention = Convention.DECIMAL_COMMA if convention_comma else Convention.DECIMAL_POINT
    return f"not a number written with a {convention.value}"


def parse_period(text: str) -> float:
    """YYYY-MM (or YYYY-MM-01) as a month index; NaN when it is not a month."""
    try:
        return month_index(read_month(text))
    except NotAMonth:
        return np.nan


def parse_periods(values: pd.Series) -> pd.Series:
    return per_unique(values, parse_period).astype("float64")


@dataclass
class ChunkResult:
    valid: pd.DataFrame  # row, product_id, territory_id, period, units, revenue
    rejections: list[Rejection]
    rows_rejected: int


class ActualsValidator:
    """Validates chunk after chunk of one file; remembers keys to catch duplicates."""

    def __init__(self, rules: ActualsRules, *, decimal_comma: bool) -> None:
        self.rules = rules
        self.decimal_comma = decimal_comma
        self.keys = KeyIndex()
        self.current = month_index(rules.current_month)
        self.closed = month_index(rules.closed_through) if rules.closed_through else -1

    def validate(self, cells: pd.DataFrame) -> ChunkResult:
        """`cells` has one column per field (period, product, territory, units, ...)."""
        problems: list[tuple[str, pd.Series, str | pd.Series | np.ndarray]] = []
        periods = self._periods(cells["period"], problems)
        products, prices = self._products(cells["product"], problems)
        territories = self._territories(cells["territory"], problems)
        units = self._units(cells["units"], problems)
        revenue = self._revenue(cells, units, prices, problems)
        self._currency(cells, problems)
        bad = np.zeros(len(cells), dtype=bool)
        for _column, mask, _reason in problems:
            bad |= mask.to_numpy()
        keyed = ~(periods.isna() | products.isna() | territories.isna()).to_numpy()
        keyed &= ~bad
        duplicate = self._duplicates(cells.index, products, territories, periods, keyed)
        if duplicate.any():
            first = duplicate[duplicate > 0]
            problems.append(("period", pd.Series(duplicate > 0, index=cells.index), first))
            bad |= duplicate > 0
        valid = pd.DataFrame(
            {
                "row": cells.index[~bad],
                "product_id": products[~bad].astype("int64"),
                "territory_id": territories[~bad].astype("int64"),
                "period": periods[~bad].astype("int64"),
                "units": units[~bad].round(3),
                "revenue": revenue[~bad].round(2),
            }
        )
        return ChunkResult(valid, self._rejections(cells, problems), int(bad.sum()))

    def _periods(self, values: pd.Series, problems) -> pd.Series:
        periods = parse_periods(values)
        problems.append(("period", periods.isna(), "not a month: write it as YYYY-MM"))
        future = periods >= self.current
        problems.append(
            ("period", future, "this month is not over yet: actuals are for ended months")
        )
        closed = periods <= self.closed
        problems.append(
            ("period", closed, "this period belongs to a released cycle and is closed")
        )
        return periods.where(~(future | closed))

    def _products(self, values: pd.Series, problems) -> tuple[pd.Series, pd.Series]:
        codes, skus = pd.factorize(values, use_na_sentinel=False)
        found = [self.rules.products.get(sku.upper(), (np.nan, np.nan)) for sku in skus]
        table = np.array(found, dtype="float64").reshape(len(skus), 2)
        ids = pd.Series(table[codes, 0], index=values.index)
        prices = pd.Series(table[codes, 1], index=values.index)
        missing = values == ""
        problems.append(("product", ids.isna() & ~missing, "unknown SKU"))
        problems.append(("product", missing, "the SKU is missing"))
        return ids, prices

    def _territories(self, values: pd.Series, problems) -> pd.Series:
        codes = self.rules.territories
        ids = per_unique(values, lambda code: codes.get(code.lower(), np.nan)).astype("float64")
        missing = values == ""
        problems.append(("territory", ids.isna() & ~missing, "unknown territory code"))
        problems.append(("territory", missing, "the territory is missing"))
        allowed = self.rules.allowed_territory_ids
        if allowed is not None:
            outside = ids.notna() & ~ids.isin(list(allowed))
            problems.append(("territory", outside, "you do not plan this territory"))
            ids = ids.where(~outside)
        return ids

    def _units(self, values: pd.Series, problems) -> pd.Series:
        units = parse_numbers(values, decimal_comma=self.decimal_comma)
        missing = values == ""
        problems.append(("units", units.isna() & ~missing, number_problem(self.decimal_comma)))
        problems.append(("units", missing, "units are missing"))
        problems.append(("units", units < 0, "negative units: returns are not sales"))
        problems.append(("units", units >= MAX_UNITS, "too large to be a monthly quantity"))
        problems.append(
            (
                "units",
                finer_than(values, units, 3, comma=self.decimal_comma),
                "more than 3 decimals: units are kept to the thousandth",
            )
        )
        return units

    def _revenue(self, cells, units, prices, problems) -> pd.Series:
        default = units * prices
        if "revenue" not in cells:
            return default
        given = cells["revenue"]
        revenue = parse_numbers(given, decimal_comma=self.decimal_comma)
        problems.append(
            ("revenue", revenue.isna() & (given != ""), number_problem(self.decimal_comma))
        )
        problems.append(("revenue", revenue < 0, "negative revenue"))
        problems.append(("revenue", revenue >= MAX_REVENUE, "too large"))
        problems.append(
            (
                "revenue",
                finer_than(given, revenue, 2, comma=self.decimal_comma),
                "more than 2 decimals: revenue is kept to the cent",
            )
        )
        return revenue.where(given != "", default)

    def _currency(self, cells, problems) -> None:
        if "currency" not in cells:
            return
        given = cells["currency"].str.upper()
        other = (given != "") & (given != self.rules.currency.upper())
        problems.append(("currency", other, f"amounts must be in {self.rules.currency}"))

    def _duplicates(self, rows, products, territories, periods, keyed) -> np.ndarray:
        duplicate = np.zeros(len(rows), dtype=np.int64)
        if keyed.any():
            keys = series_keys(
                products.to_numpy()[keyed],
                territories.to_numpy()[keyed],
                periods.to_numpy()[keyed],
            )
            duplicate[keyed] = self.keys.first_rows(keys, np.asarray(rows)[keyed])
        return duplicate

    @staticmethod
    def _rejections(cells: pd.DataFrame, problems) -> list[Rejection]:
        found: list[Rejection] = []
        for column, mask, reason in problems:
            mask = mask.fillna(False).astype(bool)
            if not mask.any():
                continue
            values = cells[column][mask] if column in cells else pd.Series("", index=mask.index)
            if isinstance(reason, np.ndarray):
                reasons = [
                    f"duplicate of row {first} (same period, product and territory)"
                    for first in reason
                ]
            else:
                reasons = [reason] * int(mask.sum())
            found.extend(
                Rejection(int(row), column, str(value), text)
                for row, value, text in zip(values.index, values, reasons, strict=True)
            )
        found.sort(key=lambda rejection: rejection.row)
        return found
