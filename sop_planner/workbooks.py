"""Rows of an Excel sheet as the values Excel saved, within limits. Plain Python (openpyxl).

openpyxl reads the value Excel cached for a formula; a workbook written by a script
or another tool may hold the formula with no cached value, which reads as a blank
cell: a revenue `=120*20` would be taken as "no revenue given". Such a cell is
refused by name instead, never read as blank.

An .xlsx is a ZIP of XML: 100 KB can unpack into 100 MB of shared strings (which
openpyxl holds in memory whole), and a sheet can declare a million columns, which
openpyxl pads every row to. `check_archive` measures the parts before anything is
unpacked, and the sheets are read without the declared dimension.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]+\d+:)?([A-Z]+)(\d+)\"")
REMEDY = "open and save the file in Excel, or paste values"
MEASURED_FROM = 1 << 20  # parts smaller than 1 MB unpacked are never a bomb


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook may hold before anything in it is unpacked."""

    max_rows: int
    max_columns: int
    max_shared_strings_bytes: int = 50 * 1024 * 1024
    max_expansion: int = 100  # unpacked size / packed size of one part


class WorkbookRefused(ValueError):
    """The workbook is over a limit; the message names the limit and what was found."""


class FormulaWithoutValue(ValueError):
    """A cell holds a formula and no saved value: nothing can be read from it."""

    def __init__(self, cell: str, formula: str) -> None:
        super().__init__(f"cell {cell} is a formula without a saved value ({formula}): {REMEDY}")
        self.cell = cell


class SavedValues:
    """An .xlsx opened read-only for its saved values; `rows` refuses formulas without one."""

    def __init__(
        self, source: str | Path | IO[bytes], limits: WorkbookLimits | None = None
    ) -> None:
        if limits is not None:
            check_archive(source, limits)
        self.values = _opened(source, data_only=True)
        self.formulas = _opened(source, data_only=False) if _has_formulas(source) else None

    @property
    def sheetnames(self) -> list[str]:
        return list(self.values.sheetnames)

    def rows(self, sheet: str = "") -> Iterator[tuple]:
        """The sheet's rows (the first sheet without a name), each a tuple of cell values."""
        name = sheet or self.values.sheetnames[0]
        rows = _undimensioned(self.values[name]).iter_rows(values_only=True)
        if self.formulas is None:
            yield from rows
            return
        written = _undimensioned(self.formulas[name]).iter_rows(values_only=True)
        for number, (values, formulas) in enumerate(zip(rows, written, strict=False), start=1):
            for column, (value, formula) in enumerate(zip(values, formulas, strict=False), 1):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    raise FormulaWithoutValue(f"{_column_letter(column)}{number}", formula)
            yield values

    def close(self) -> None:
        self.values.close()
        if self.formulas is not None:
            self.formulas.close()


def _column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _has_formulas(source: str | Path | IO[bytes]) -> bool:
    """Whether any sheet holds a formula: a byte scan, so plain workbooks are read once."""
    with zipfile.ZipFile(source) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as sheet:
                    tail = b""
                    while block := sheet.read(1 << 20):
                        if FORMULA_TAG.search(tail + block):
                            return True
                        tail = block[-16:]
    return False


def _undimensioned(sheet):
    """The sheet without its declared size: each row holds only the cells it has, so a
    sheet claiming 16,384 columns does not turn every row into 16,384 values."""
    sheet.reset_dimensions()
    return sheet


def _opened(source: str | Path | IO[bytes], *, data_only: bool):
    """The workbook, read-only, its sheets not measured on opening.

    openpyxl's `load_workbook(read_only=True)` measures each sheet as it opens it: when
    the sheet does not declare its size, that means parsing the whole sheet once before
    reading it (27 s for a 1.5 MB sheet of 30,000 columns; every row of a 3-million-row
    one). The sheets here are read without a size anyway (`_undimensioned`), so the
    measuring is skipped. Imported here, not at the top: pages that never read a
    workbook (and the worker's start) do not pay for importing openpyxl.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Unmeasured(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            """Left unknown: each row is read with the cells it holds."""

    class Reader(ExcelReader):
        def read_worksheets(self) -> None:
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    ws = Unmeasured(self.wb, sheet.name, rel.target, self.shared_strings)
                    ws.sheet_state = sheet.state
                    self.wb._sheets.append(ws)

    reader = Reader(source, read_only=True, data_only=data_only)
    reader.read()
    return reader.wb


def check_archive(source: str | Path | IO[bytes], limits: WorkbookLimits) -> None:
    """Refuse a workbook whose parts unpack too far, or whose sheets declare too much."""
    with zipfile.ZipFile(source) as archive:
        for part in archive.infolist():
            _check_part(part, limits)
            if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                _check_dimension(archive, part.filename, limits)


def _check_part(part: zipfile.ZipInfo, limits: WorkbookLimits) -> None:
    unpacked = part.file_size
    if part.filename.endswith("sharedStrings.xml") and unpacked > limits.max_shared_strings_bytes:
        raise WorkbookRefused(
            f"its shared text table unpacks to {_megabytes(unpacked)}; the limit is "
            f"{_megabytes(limits.max_shared_strings_bytes)}"
        )
    ratio = unpacked / max(part.compress_size, 1)
    if unpacked >= MEASURED_FROM and ratio > limits.max_expansion:
        raise WorkbookRefused(
            f"its part {part.filename} unpacks {ratio:,.0f} times larger "
            f"({_megabytes(part.compress_size)} to {_megabytes(unpacked)}); the limit is "
            f"{limits.max_expansion:,} times (a ZIP bomb?)"
        )


def _check_dimension(archive: zipfile.ZipFile, name: str, limits: WorkbookLimits) -> None:
    with archive.open(name) as sheet:
        found = DIMENSION.search(sheet.read(4096))
    if found is None:
        return
    columns, rows = _column_number(found.group(1).decode()), int(found.group(2))
    if rows > limits.max_rows + 1:  # the header row is not a row of figures
        raise WorkbookRefused(
            f"its sheet declares {rows:,} rows; the limit is {limits.max_rows:,} rows of figures"
        )
    if columns > limits.max_columns:
        raise WorkbookRefused(
            f"its sheet declares {columns:,} columns; the limit is {limits.max_columns:,}"
        )


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _megabytes(count: int) -> str:
    return f"{count / 1e6:,.1f} MB"
