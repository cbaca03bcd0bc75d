"""A corpus of malformed and hostile files: each gets its own clear message and changes nothing.

Refused files leave no upload behind; files with bad rows get a preview that
names row, column, value and reason, and commit refuses them: the actuals
stay exactly as they were.
"""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from accounts.roles import Role
from cycles.calendar import add_months, month_start
from cycles.models import Cycle
from forecasting.models import SalesActual
from sop_planner.errors import DomainError
from tests.factories import mark_released
from tests.fixtures.uploads import LAST, actuals_table, committed, refusal
from uploads.models import UploadBatch

pytestmark = pytest.mark.django_db
NEXT = f"{add_months(month_start(date.today()), 1):%Y-%m}"
HEADER = "period,product,territory,units"


def row(period=LAST, product="{sku}", territory="{code}", units="5", extra=""):
    return f"{period},{product},{territory},{units}{extra}"


def text(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\n".join([header, *lines]).encode(encoding)


def xlsx(rows: list[list], *, title: str = "Sheet") -> bytes:
    workbook = Workbook()
    workbook.active.title = title
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zipped(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


# (id, file name, content, expected message); {sku}/{code} become a real SKU / territory.
REFUSED = [
    ("empty", "a.csv", b"", "a.csv is empty"),
    ("xls-by-name", "sales.xls", b"period,product\n", "old Excel 97-2003 (.xls)"),
    ("xls-renamed-csv", "a.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Excel"),
    ("pdf", "a.csv", b"%PDF-1.4\n%binary", "is a PDF document"),
    ("pdf-named-pdf", "report.pdf", b"%PDF-1.7\n", "is a PDF document"),
    ("png", "a.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "is a PNG image"),
    ("jpeg", "a.xlsx", b"\xff\xd8\xff\xe0" + b"\0" * 20, "is a JPEG image"),
    ("gif", "a.csv", b"GIF89a" + b"\0" * 10, "is a GIF image"),
    ("gzip", "a.csv", b"\x1f\x8b\x08" + b"\0" * 10, "is a gzip archive"),
    ("elf", "a.csv", b"\x7fELF" + b"\0" * 10, "is a program"),
    ("exe", "a.csv", b"MZ\x90\x00" + b"\0" * 10, "Windows program"),
    ("rar", "a.csv", b"Rar!\x1a\x07\x00", "is a RAR archive"),
    ("7z", "a.csv", b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    ("zip-not-xlsx", "a.xlsx", zipped(["readme.txt"]), "ZIP archive but not an Excel workbook"),
    ("docx-renamed", "a.xlsx", zipped(["word/document.xml"]), "not an Excel workbook"),
    ("damaged-zip", "a.xlsx", b"PK\x03\x04garbage", "damaged ZIP"),
    ("text-named-xlsx", "a.xlsx", b"period,product\n", "not a real .xlsx"),
    ("json", "a.json", b'{"period": 1}', "files ending in .json are not read"),
    ("no-extension", "export", b"period\n", "files ending in (nothing)"),
    ("nul-bytes", "a.csv", b"period,product\x00,units\n", "binary file, not CSV text"),
    ("bad-encoding", "a.csv", b"period,product\n\x81\x8d\x8f\x90\x9d\xff\xfe", "neither UTF-8"),
    ("blank-lines", "a.csv", b"\n\n  \n", "no header row"),
    (
        "missing-units",
        "a.csv",
        b"period,product,territory\n2026-01,X,Y\n",
        "lacks the column(s) units",
    ),
    (
        "nothing-known",
        "a.csv",
        b"foo;bar\n1;2\n",
        "lacks the column(s) period, product, territory, units",
    ),
    (
        "duplicate-header",
        "a.csv",
        text(header="period,product,territory,units,Units"),
        "'Units' appears twice",
    ),
    ("ragged-row", "a.csv", text(row(), row(extra=",9")), "row 3: 5 cells where the header has 4"),
    (
        "unclosed-quote-first-row",
        "a.csv",
        text(row(product='"{sku}'), row()),
        'a.csv, row 2: a quote (") opened in this row is never closed',
    ),
    (
        "unclosed-quote-later-row",
        "a.csv",
        text(row(), row(), row(product='"{sku}')),
        'a.csv, row 4: a quote (") opened in this row is never closed',
    ),
    ("header-only", "a.csv", text(), "a.csv has a header but no rows of figures"),
    ("header-and-blank-lines", "a.csv", text("", ",,,", ""), "has a header but no rows"),
    ("over-row-limit", "a.csv", text(*[row()] * 6), "more than 5 rows"),
    (
        "over-size-limit",
        "a.csv",
        b"period," + b"x" * 9000,
        "a.csv is 9,007 bytes; the limit is 8,000 bytes",
    ),
    ("xlsx-no-rows", "a.xlsx", xlsx([]), "has no rows"),
    (
        "xlsx-header-only-missing",
        "a.xlsx",
        xlsx([["period", "units"]]),
        "lacks the column(s) product, territory",
    ),
]

REJECTED = [
    ("unknown-sku", text(row(product="NOPE-1")), "product", "NOPE-1", "unknown SKU"),
    (
        "formula-sku",
        text(row(product="=cmd|' /C calc'!A0")),
        "product",
        "=cmd|' /C calc'!A0",
        "unknown SKU",
    ),
    ("missing-sku", text(row(product="")), "product", "", "the SKU is missing"),
    (
        "unknown-territory",
        text(row(territory="atlantis")),
        "territory",
        "atlantis",
        "unknown territory code",
    ),
    ("missing-territory", text(row(territory="")), "territory", "", "the territory is missing"),
    ("month-13", text(row(period="2025-13")), "period", "2025-13", "not a month"),
    ("month-words", text(row(period="March 2025")), "period", "March 2025", "not a month"),
    ("day-date", text(row(period="2025-03-15")), "period", "2025-03-15", "not a month"),
    ("future", text(row(period=NEXT)), "period", NEXT, "not over yet"),
    ("negative", text(row(units="-4")), "units", "-4", "negative units"),
    ("words", text(row(units="twelve")), "units", "twelve", "not a number"),
    ("nan", text(row(units="NaN")), "units", "NaN", "not a number"),
    ("infinity", text(row(units="inf")), "units", "inf", "not a number"),
    ("hex", text(row(units="0x10")), "units", "0x10", "not a number"),
    ("empty-units", text(row(units="")), "units", "", "units are missing"),
    ("huge", text(row(units="1000000000000")), "units", "1000000000000", "too large"),
    ("duplicate-key", text(row(), row(units="6")), "period", LAST, "duplicate of row 2"),
    (
        "currency",
        text(row(extra=",USD"), header=HEADER + ",currency"),
        "currency",
        "USD",
        "amounts must be in EUR",
    ),
    (
        "neg-revenue",
        text(row(extra=",-10"), header=HEADER + ",revenue"),
        "revenue",
        "-10",
        "negative revenue",
    ),
    (
        "bad-revenue",
        text(row(extra=",12abc"), header=HEADER + ",revenue"),
        "revenue",
        "12abc",
        "not a number",
    ),
    (
        "cp1252-sku",
        text(row(product="Café-1"), encoding="cp1252"),
        "product",
        "Café-1",
        "unknown SKU",
    ),
]


@pytest.fixture
def analyst(user_with_role):
    return user_with_role(Role.SALES_OPS_ANALYST)


@pytest.fixture
def stored(company):
    """One actual already stored: nothing may touch it."""
    SalesActual.objects.create(
        product=company.products[0],
        territory=company.territories[0],
        period=month_start(add_months(date.today(), -2)),
        units=3,
        revenue=30,
    )
    return actuals_table()


def _fill(content: bytes, company) -> bytes:
    return content.replace(b"{sku}", company.products[1].sku.encode()).replace(
        b"{code}", company.territories[0].code.encode()
    )


MAPPING = ("missing-units", "nothing-known", "xlsx-header-only-missing")


def test_the_corpus_has_at_least_forty_files():
    assert len(REFUSED) + len(REJECTED) + 1 >= 40


REFUSED_BY_WORKER = [c for c in REFUSED if c[0] not in ("over-size-limit", *MAPPING)]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [c[1:] for c in REFUSED_BY_WORKER],
    ids=[c[0] for c in REFUSED_BY_WORKER],
)
def test_refused_file_gets_its_message_and_changes_nothing(
    settings, company, analyst, stored, upload, name, content, expected
):
    settings.UPLOAD_MAX_ROWS = 5
    batch = upload(analyst, _fill(content, company), name=name)
    assert expected in refusal(batch)  # and the file is no longer on disk
    assert actuals_table() == stored


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [c[1:] for c in REFUSED if c[0] in MAPPING],
    ids=[c[0] for c in REFUSED if c[0] in MAPPING],
)
def test_a_file_lacking_columns_waits_for_a_mapping_naming_them(
    company, analyst, stored, upload, name, content, expected
):
    batch = upload(analyst, _fill(content, company), name=name)
    assert batch.status == UploadBatch.Status.NEEDS_MAPPING
    assert expected in batch.error
    assert actuals_table() == stored


def test_a_file_over_the_size_limit_is_refused_by_the_request_unread(
    settings, company, analyst, stored, upload
):
    settings.UPLOAD_MAX_BYTES = 8000
    with pytest.raises(DomainError) as refused:
        upload(analyst, b"period," + b"x" * 9000, name="a.csv")
    assert "a.csv is 9,007 bytes; the limit is 8,000 bytes" in refused.value.message
    assert not UploadBatch.objects.exists()
    assert list((Path(settings.MEDIA_ROOT) / "uploads").glob("*")) == []  # not kept on disk
    assert actuals_table() == stored


@pytest.mark.parametrize(
    ("content", "column", "value", "reason"),
    [c[1:] for c in REJECTED],
    ids=[c[0] for c in REJECTED],
)
def test_bad_row_is_named_and_the_file_cannot_be_committed(
    company, analyst, stored, upload, content, column, value, reason
):
    batch = upload(analyst, _fill(content, company))
    found = [(r.column, r.value, r.reason) for r in batch.rejections.all()]
    assert any(c == column and v == value and reason in why for c, v, why in found), found
    with pytest.raises(DomainError, match="rejected row"):
        committed(actor=analyst, batch_id=batch.pk)
    assert actuals_table() == stored


def test_a_period_inside_a_released_cycle_is_refused(company, analyst, stored, upload):
    mark_released(Cycle.objects.create(month=month_start(date.today()), owner=analyst))
    batch = upload(analyst, _fill(text(row()), company))
    assert batch.rejections.get().reason == "this period belongs to a released cycle and is closed"
    assert actuals_table() == stored


def test_a_missing_sheet_names_the_sheets_there_are(company, analyst, stored, upload):
    content = xlsx([["period", "product", "territory", "units"]], title="Sales")
    batch = upload(analyst, content, name="a.xlsx", sheet="Data")
    assert "no sheet named 'Data'; its sheets are: Sales" in refusal(batch)
    assert actuals_table() == stored
