"""Read an uploaded .csv or .xlsx as a stream of chunks of text cells. No Django.

Nothing is read whole: CSV goes through pandas' C reader in chunks, Excel through
openpyxl's read-only mode row by row. Every refusal names the file and, where
there is one, the line, column and value.
"""

from __future__ import annotations

import csv
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from sop_planner.workbooks import (
    FormulaWithoutValue,
    SavedValues,
    WorkbookLimits,
    WorkbookRefused,
)
from uploads.limits import excerpt
from uploads.outcomes import FileRefused, Limits, normalise_header
from uploads.text_files import sniff_separator, text_encoding


@dataclass(frozen=True)
class FileFormat:
    kind: str  # "csv" or "xlsx"
    encoding: str = "utf-8-sig"
    separator: str = ","

    @property
    def decimal_comma(self) -> bool:
        """A `;`-separated file is a European export: `1,5` means one and a half."""
        return self.separator == ";"


ACCEPTED = (".csv", ".txt", ".xlsx")
BINARY_MAGIC = {
    b"%PDF": "is a PDF document",
    b"\xd0\xcf\x11\xe0": "is an old Excel 97-2003 (.xls) or other Office binary file",
    b"\x89PNG": "is a PNG image",
    b"\xff\xd8\xff": "is a JPEG image",
    b"GIF8": "is a GIF image",
    b"\x1f\x8b": "is a gzip archive",
    b"\x7fELF": "is a program, not data",
    b"MZ": "is a Windows program, not data",
    b"Rar!": "is a RAR archive",
    b"7z\xbc\xaf": "is a 7-Zip archive",
}
REMEDY = "Upload the data as .csv or .xlsx."
HEADER_CELL_MAX = 1_000  # characters: a longer "column name" means the first row is not a header


def detect_format(path: Path, file_name: str, limits: Limits) -> FileFormat:
    """What the file really is (by content, not name), or a refusal saying why."""
    size = path.stat().st_size
    if size == 0:
        raise FileRefused(f"{file_name} is empty.")
    if size > limits.max_bytes:
        raise FileRefused(f"{file_name} is {_size(size)}; the limit is {_size(limits.max_bytes)}.")
    with path.open("rb") as handle:
        head = handle.read(8192)
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xls":
        raise FileRefused(f"{file_name} is an old Excel 97-2003 (.xls) workbook. {_xls_remedy()}")
    for magic, what in BINARY_MAGIC.items():
        if head.startswith(magic):
            extra = _xls_remedy() if magic.startswith(b"\xd0") else REMEDY
            raise FileRefused(f"{file_name} {what}. {extra}")
    if head.startswith(b"PK\x03\x04"):
        return _check_xlsx(path, file_name)
    if suffix not in ACCEPTED:
        raise FileRefused(
            f"{file_name}: files ending in {suffix or '(nothing)'} are not read. {REMEDY}"
        )
    if suffix == ".xlsx":
        raise FileRefused(f"{file_name} is not a real .xlsx workbook (a renamed file?). {REMEDY}")
    encoding = text_encoding(path, file_name, head)
    return FileFormat("csv", encoding, sniff_separator(path, encoding))


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count:,} bytes"


def _xls_remedy() -> str:
    return "Save it as .xlsx (Excel Workbook) or .csv and upload that."


def _check_xlsx(path: Path, file_name: str) -> FileFormat:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as error:
        raise FileRefused(f"{file_name} is a damaged ZIP/.xlsx file. {REMEDY}") from error
    if "xl/workbook.xml" not in names:
        raise FileRefused(f"{file_name} is a ZIP archive but not an Excel workbook. {REMEDY}")
    return FileFormat("xlsx")


def read_chunks(
    path: Path, file_name: str, fmt: FileFormat, limits: Limits, *, sheet: str = ""
) -> Iterator[tuple[list[str], pd.DataFrame]]:
    """Yield (header, chunk): chunk cells are stripped strings, its index the file row number."""
    reader = _csv_chunks if fmt.kind == "csv" else _xlsx_chunks
    total = 0
    clock = Clock(file_name, limits)
    for header, chunk in reader(path, file_name, fmt, limits, sheet):
        total += len(chunk)
        if total > limits.max_rows:
            raise FileRefused(
                f"{file_name} has more than {limits.max_rows:,} rows, the limit. Split it into "
                "several files (for example one per period)."
            )
        clock.check(total)
        yield header, chunk
    if total == 0:
        raise FileRefused(f"{file_name} has a header but no rows of figures: nothing to upload.")


def read_header(
    path: Path, file_name: str, fmt: FileFormat, *, sheet: str = "", limits: Limits | None = None
) -> list[str]:
    if fmt.kind == "csv":
        return _csv_header(path, file_name, fmt)
    workbook, rows = _open_sheet(path, file_name, sheet, limits)
    try:
        for _number, values in rows:
            return _check_header([_cell_text(v) for v in values], file_name)
    finally:
        workbook.close()
    raise FileRefused(f"{file_name} has no rows.")


def _check_header(
    header: list[str], file_name: str, *, trim: bool = True, row: int = 1
) -> list[str]:
    while trim and header and not header[-1]:
        header.pop()
    if not any(header):
        raise FileRefused(f"{file_name} has no header row.")
    longest = max(len(name) for name in header)
    if longest > HEADER_CELL_MAX:
        raise FileRefused(_long_header_cell(file_name, row, longest))
    seen: dict[str, str] = {}
    for name in header:
        key = normalise_header(name)
        if key and key in seen:
            raise FileRefused(
                f"{file_name}: the column '{excerpt(name)}' appears twice in the header."
            )
        seen[key] = name
    return header


def _long_header_cell(file_name: str, row: int, length: int) -> str:
    return (
        f"{file_name}, row {row}: a header cell is {length:,} characters long; a column name "
        f"has at most {HEADER_CELL_MAX:,}. Is the first row really the header? Nothing was read."
    )


def _unclosed_quote(file_name: str, row: int) -> str:
    return (
        f'{file_name}, row {row}: a quote (") opened in this row is never closed, so the '
        "rest of the file reads as one cell. Close or remove the quote. Nothing was read."
    )


def _surplus_cells(file_name: str, row: int, cells: int, columns: int) -> str:
    return (
        f"{file_name}, row {row}: {cells} cells where the header has {columns} "
        "columns (a stray separator or quote?). Nothing was read."
    )


def _csv_header(path: Path, file_name: str, fmt: FileFormat) -> list[str]:
    return _csv_top(path, file_name, fmt)[0]


def _csv_top(path: Path, file_name: str, fmt: FileFormat) -> tuple[list[str], list[str], int]:
    """The header, the first data row ([] when none is readable here) and that row's number.

    The csv module reads these two rows only; pandas reads the rest. A header cell
    over the csv module's limit, or a quote opened in the header and never closed,
    is refused in words naming row and cause.
    """
    row = _leading_blank_lines(path, fmt) + 1
    with path.open(encoding=fmt.encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=fmt.separator)
        try:
            cells = next((r for r in reader if any(cell.strip() for cell in r)), None)
        except csv.Error as error:
            raise FileRefused(_header_error(path, file_name, fmt, row)) from error
        if cells is None:
            raise FileRefused(f"{file_name} has no header row, only blank lines.")
        first, first_row = _first_data_row(reader)
    if first_row is None and any("\n" in cell or "\r" in cell for cell in cells):
        raise FileRefused(_unclosed_quote(file_name, row))  # the header ran to the end
    header = _check_header([cell.strip() for cell in cells], file_name, trim=False, row=row)
    return header, first, first_row or row + 1


def _first_data_row(reader) -> tuple[list[str], int | None]:
    """The first non-blank row after the header; ([], None) at the end of the file, and
    ([], 0) when the csv module cannot read it (pandas then says why, naming the row)."""
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                return cells, reader.line_num
    except csv.Error:
        return [], 0
    return [], None


def _header_error(path: Path, file_name: str, fmt: FileFormat, row: int) -> str:
    """A header cell over the csv module's limit: a quote never closed, or a giant cell."""
    with path.open(encoding=fmt.encoding, newline="") as handle:
        for _ in range(row):
            line = handle.readline(1 << 22)  # enough to see the quote or the long cell
    if line.count('"') % 2:
        return _unclosed_quote(file_name, row)
    cells = line.rstrip("\r\n").split(fmt.separator)
    return _long_header_cell(file_name, row, max(len(cell) for cell in cells))


def _csv_chunks(path, file_name, fmt: FileFormat, limits: Limits, sheet: str):
    header, first, first_number = _csv_top(path, file_name, fmt)
    columns = len(header)
    if any(cell.strip() for cell in first[columns:]):
        raise FileRefused(_surplus_cells(file_name, first_number, len(first), columns))
    # One spare column at least, so a trailing separator is read as an empty cell and a
    # longer first row is never taken as an index: filled cells beyond the header are refused.
    width = max(columns + 1, len(first))
    skipped = _leading_blank_lines(path, fmt)
    first_row = skipped + 2
    try:
        reader = pd.read_csv(
            path,
            sep=fmt.separator,
            encoding=fmt.encoding,
            dtype=str,
            header=None,
            names=list(range(width)),
            index_col=False,
            skiprows=skipped + 1,
            na_filter=False,
            skip_blank_lines=False,
            chunksize=limits.chunk_rows,
            engine="c",
        )
        for chunk in reader:
            chunk.index = pd.RangeIndex(first_row, first_row + len(chunk))
            first_row += len(chunk)
            yield header, _tidy(_within_header(chunk, columns, file_name))
    except pd.errors.ParserError as error:
        raise FileRefused(_parser_message(str(error), file_name, columns, skipped)) from error


def _within_header(chunk: pd.DataFrame, columns: int, file_name: str) -> pd.DataFrame:
    """The chunk's cells under the header; a filled cell beyond it refuses the file."""
    beyond = chunk.iloc[:, columns:]
    given = beyond.notna() & (beyond != "")
    if given.to_numpy().any():
        filled = given & beyond.where(given, "").apply(lambda cells: cells.str.strip() != "")
        rows = filled.any(axis=1)
        if rows.any():
            row = rows.idxmax()
            cells = columns + int(np.flatnonzero(filled.loc[row].to_numpy())[-1]) + 1
            raise FileRefused(_surplus_cells(file_name, int(row), cells, columns))
    return chunk.iloc[:, :columns]


def _leading_blank_lines(path: Path, fmt: FileFormat) -> int:
    with path.open(encoding=fmt.encoding, newline="") as handle:
        for count, line in enumerate(handle):
            if line.strip().strip(fmt.separator).strip():
                return count
    return 0


def per_unique(values: pd.Series, convert) -> pd.Series:
    """Apply `convert` once per distinct value: an export repeats its periods and codes."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    converted = np.array([convert(value) for value in uniques], dtype=object)
    return pd.Series(converted[codes], index=values.index)


def _parser_message(message: str, file_name: str, columns: int, skipped: int) -> str:
    unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
    if unclosed:
        line = int(unclosed.group(1)) + skipped + 1  # pandas counts the rows after the header
        return _unclosed_quote(file_name, line)
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if found:
        line = int(found.group(2))  # pandas counts lines from the top of the file
        return _surplus_cells(file_name, line, int(found.group(3)), columns)
    return f"{file_name} is not valid CSV: {message}"


def _tidy(chunk: pd.DataFrame) -> pd.DataFrame:
    """Strip cells and drop blank rows (a blank row is not an error)."""
    chunk = chunk.fillna("")
    for column in chunk.columns:
        chunk[column] = per_unique(chunk[column], str.strip)
    blank = (chunk == "").all(axis=1)
    return chunk.loc[~blank] if blank.any() else chunk


def _open_sheet(path: Path, file_name: str, sheet: str, limits: Limits | None = None):
    try:
        workbook = SavedValues(path, _workbook_limits(limits))
    except WorkbookRefused as refused:
        raise FileRefused(f"{file_name}: {refused}. Nothing was read.") from None
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise FileRefused(
            f"{file_name} cannot be opened as an Excel workbook: {excerpt(error)}"
        ) from error
    if sheet and sheet not in workbook.sheetnames:
        names = ", ".join(excerpt(name) for name in workbook.sheetnames[:20])
        workbook.close()
        raise FileRefused(
            f"{file_name} has no sheet named '{excerpt(sheet)}'; its sheets are: {names}."
        )
    return workbook, _filled_rows(workbook, sheet, file_name, limits)


def _workbook_limits(limits: Limits | None) -> WorkbookLimits | None:
    if limits is None:
        return None
    return WorkbookLimits(
        max_rows=limits.max_rows,
        max_columns=limits.max_columns,
        max_shared_strings_bytes=limits.max_shared_strings_bytes,
        max_expansion=limits.max_expansion,
    )


def _filled_rows(workbook: SavedValues, sheet: str, file_name: str, limits: Limits | None):
    """(row number, values) of the rows with something in them, each within the limits."""
    clock = Clock(file_name, limits)
    try:
        for number, values in enumerate(workbook.rows(sheet), start=1):
            if limits is not None:
                _check_row(file_name, number, values, limits)
                clock.check(number, every=1000)
            if any(value not in (None, "") for value in values):
                yield number, values
    except FormulaWithoutValue as error:
        raise FileRefused(f"{file_name}: {error}. Nothing was read.") from None


def _check_row(file_name: str, number: int, values: tuple, limits: Limits) -> None:
    """Refuse a sheet past the row or column limit, or a cell past the cell-size limit."""
    if number > limits.max_rows + 1:
        raise FileRefused(
            f"{file_name} has more than {limits.max_rows:,} rows, the limit. Split it into "
            "several files (for example one per period)."
        )
    if len(values) > limits.max_columns:
        raise FileRefused(
            f"{file_name}, row {number}: {len(values):,} columns; the limit is "
            f"{limits.max_columns:,}. Delete the columns that are not needed."
        )
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            raise FileRefused(
                f"{file_name}, row {number}, column {column}: a cell of {len(value):,} "
                f"characters; the limit is {limits.max_cell_chars:,} "
                f"(it starts '{excerpt(value, 40)}')."
            )


class Clock:
    """Refuses a file once reading and checking it has taken longer than the limit."""

    def __init__(self, file_name: str, limits: Limits | None) -> None:
        self.file_name = file_name
        self.seconds = limits.max_seconds if limits is not None else 0
        self.started = time.monotonic()

    def check(self, rows: int, *, every: int = 1) -> None:
        if not self.seconds or rows % every:
            return
        if time.monotonic() - self.started > self.seconds:
            raise FileRefused(
                f"{self.file_name}: reading and checking it took more than "
                f"{self.seconds:,g} seconds, the limit (stopped at row {rows:,}). "
                "Split it into smaller files."
            )


def _xlsx_chunks(path, file_name, fmt: FileFormat, limits: Limits, sheet: str):
    workbook, rows = _open_sheet(path, file_name, sheet, limits)
    try:
        header: list[str] | None = None
        numbers: list[int] = []
        cells: list[list[str]] = []
        for number, values in rows:
            texts = [_cell_text(value) for value in values]
            if header is None:
                header = _check_header(texts, file_name)
                continue
            numbers.append(number)
            cells.append((texts + [""] * len(header))[: len(header)])
            if len(cells) >= limits.chunk_rows:
                yield header, _frame(cells, numbers, header)
                numbers, cells = [], []
        if header is None:
            raise FileRefused(f"{file_name} has no rows.")
        if cells:
            yield header, _frame(cells, numbers, header)
    finally:
        workbook.close()


def _frame(cells: list[list[str]], numbers: list[int], header: list[str]) -> pd.DataFrame:
    return pd.DataFrame(cells, index=numbers, columns=list(range(len(header))), dtype=str)


def _cell_text(value: object) -> str:
    """An Excel cell as the text a person sees; a month date as YYYY-MM."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value:%Y-%m}" if value.day == 1 else f"{value:%Y-%m-%d}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()
