"""Hostile .xlsx files written in a few lines, straight as XML in a ZIP (never committed).

openpyxl cannot write them (it keeps every cell in memory), and they must stay small
on disk while unpacking into something large: that is what makes them hostile.
"""

import zipfile
from collections.abc import Iterable
from io import BytesIO

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
HEADER = ("period", "product", "territory", "units")


def workbook(
    rows: Iterable[str], *, strings: Iterable[str] = HEADER, dimension: str = ""
) -> bytes:
    """An .xlsx whose sheet holds `rows` (each a `<row>` element) and whose shared-text
    table holds `strings`; `dimension` is the size the sheet declares, if any."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/sharedStrings.xml", "w") as table:
            table.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for text in strings:
                table.write(f"<si><t>{text}</t></si>".encode())
            table.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_HEAD.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for row in rows:
                sheet.write(row.encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def header_row() -> str:
    cells = "".join(f'<c r="{col}1" t="s"><v>{n}</v></c>' for n, col in enumerate("ABCD"))
    return f'<row r="1">{cells}</row>'


def many_rows(count: int, *, dimension: bool) -> bytes:
    """A header and `count` numbered rows of one number each (packs about 10 times)."""
    body = (f'<row r="{n}"><c r="D{n}"><v>{n}</v></c></row>' for n in range(2, count + 2))
    size = f"A1:D{count + 1}" if dimension else ""
    return workbook(_chained(header_row(), body), dimension=size)


def millions_of_rows(count: int = 3_000_000) -> bytes:
    """A header and `count` identical unnumbered rows: 3 million pack into about 100 KB."""
    block = "<row><c><v>1</v></c></row>" * 10_000
    return workbook(_chained(header_row(), (block for _ in range(count // 10_000))))


def shared_string_bomb(megabytes: int = 100) -> bytes:
    """About 100 KB that unpacks into a `megabytes` MB shared text (the header's first cell)."""
    huge = "A" * (megabytes * 1_000_000)
    return workbook([header_row()], strings=(huge, *HEADER[1:]))


def long_cell(characters: int) -> bytes:
    """A header whose first name is `characters` long (varied text: it does not pack far)."""
    text = "".join(chr(ord("a") + (n * 7919) % 26) for n in range(characters))
    return workbook([header_row()], strings=(text, *HEADER[1:]))


def wide(columns: int, rows: int = 5) -> bytes:
    """`rows` rows of `columns` numbers each (no declared dimension)."""
    cells = "".join(f"<c><v>{n}</v></c>" for n in range(columns))
    return workbook(f'<row r="{r}">{cells}</row>' for r in range(1, rows + 1))


def _chained(first: str, rest: Iterable[str]) -> Iterable[str]:
    yield first
    yield from rest
