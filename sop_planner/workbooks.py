"""Rows of an Excel sheet as the values Excel saved. Plain Python (openpyxl).

openpyxl reads the value Excel cached for a formula; a workbook written by a script
or another tool may hold the formula with no cached value, which reads as a blank
cell: a revenue `=120*20` would be taken as "no revenue given". Such a cell is
refused by name instead, never read as blank.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import IO

FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
REMEDY = "open and save the file in Excel, or paste values"


class FormulaWithoutValue(ValueError):
    """A cell holds a formula and no saved value: nothing can be read from it."""

    def __init__(self, cell: str, formula: str) -> None:
        super().__init__(f"cell {cell} is a formula without a saved value ({formula}): {REMEDY}")
        self.cell = cell


class SavedValues:
    """An .xlsx opened read-only for its saved values; `rows` refuses formulas without one."""

    def __init__(self, source: str | IO[bytes]) -> None:
        from openpyxl import load_workbook  # here, not at the top: pages that never read
        # a workbook (and the worker's start) should not pay for importing openpyxl

        self.values = load_workbook(source, read_only=True, data_only=True)
        self.formulas = (
            load_workbook(source, read_only=True, data_only=False)
            if _has_formulas(source)
            else None
        )

    @property
    def sheetnames(self) -> list[str]:
        return list(self.values.sheetnames)

    def rows(self, sheet: str = "") -> Iterator[tuple]:
        """The sheet's rows (the first sheet without a name), each a tuple of cell values."""
        name = sheet or self.values.sheetnames[0]
        rows = self.values[name].iter_rows(values_only=True)
        if self.formulas is None:
            yield from rows
            return
        written = self.formulas[name].iter_rows(values_only=True)
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


def _has_formulas(source: str | IO[bytes]) -> bool:
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
