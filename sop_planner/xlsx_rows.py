"""Many plain rows into one sheet of an XLSX workbook, written as XML text, not cell objects.

openpyxl builds an object per cell: 90,000 plan rows x 5 cells took 5-20 s. The
workbook is saved by openpyxl with the sheet holding only its header, and the rows
are then written straight into that sheet's XML. Every text is an inline string
(`t="inlineStr"`), which Excel shows as typed and never runs as a formula; numbers
are numbers. With `styled=True` each column takes the style (number format, alignment)
of the sheet's last row written by openpyxl, so the appended rows read like it.
"""

import re
import zipfile
from collections.abc import Iterable
from functools import lru_cache
from io import BytesIO
from xml.sax.saxutils import escape

from sop_planner.spreadsheet import is_number

ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # not allowed in XML 1.0
END_OF_ROWS = "</sheetData>"


def xlsx_with_rows(
    workbook: bytes, *, sheet: int, rows: Iterable[Iterable[object]], styled: bool = False
) -> bytes:
    """The workbook with `rows` appended to its `sheet`-th sheet (1-based), after its header."""
    name = f"xl/worksheets/sheet{sheet}.xml"
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != name:
                target.writestr(item, data)
                continue
            head, tail = _split(data.decode())
            styles = _last_row_styles(head) if styled else ()
            with target.open(name, "w") as stream:
                stream.write(head.encode())
                for chunk in _chunks(rows, first=head.count("<row") + 1, styles=styles):
                    stream.write(chunk.encode())
                stream.write(tail.encode())
    return out.getvalue()


def _split(xml: str) -> tuple[str, str]:
    """The sheet's XML before and after the place the rows go; no stale dimension."""
    xml = re.sub(r"<dimension [^>]*/>", "", xml)
    if END_OF_ROWS not in xml:
        xml = xml.replace("<sheetData/>", "<sheetData></sheetData>")
    at = xml.index(END_OF_ROWS)
    return xml[:at], xml[at:]


def _last_row_styles(head: str) -> tuple[str, ...]:
    """Each cell's style attribute in the last row openpyxl wrote ('' where it has none)."""
    rows = re.findall(r"<row [^>]*>(.*?)</row>", head, re.S)
    if not rows:
        return ()
    cells = re.findall(r"<c ([^>]*?)/?>", rows[-1])
    return tuple(
        f' s="{found.group(1)}"' if (found := re.search(r'\bs="(\d+)"', cell)) else ""
        for cell in cells
    )


def _chunks(
    rows: Iterable[Iterable[object]], *, first: int, styles: tuple[str, ...] = (), size: int = 2000
):
    lines = []
    for number, row in enumerate(rows, start=first):
        lines.append(_row(number, row, styles))
        if len(lines) == size:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def _row(number: int, cells: Iterable[object], styles: tuple[str, ...] = ()) -> str:
    """A row's XML; its cells carry no reference, so each must be given (None is empty)."""
    return (
        f'<row r="{number}">'
        + "".join(
            f"<c{_style(styles, i)}><v>{float(value)!r}</v></c>" if is_number(value)
            else f"<c{_style(styles, i)}/>" if value is None
            else f'<c{_style(styles, i)} t="inlineStr"><is>{_text(value)}</is></c>'
            for i, value in enumerate(cells)
        )
        + "</row>"
    )  # fmt: skip


def _style(styles: tuple[str, ...], column: int) -> str:
    return styles[column] if column < len(styles) else ""


@lru_cache(maxsize=65536)
def _text(value: object) -> str:
    """A cell's text as XML: SKUs, territories and months repeat, so each is escaped once."""
    text = escape(ILLEGAL.sub("", str(value)))
    return f'<t xml:space="preserve">{text}</t>' if text != text.strip() else f"<t>{text}</t>"
