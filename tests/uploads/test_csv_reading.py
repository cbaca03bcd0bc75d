"""CSV and text files are read exactly as written, or refused in words naming the row.

Issue 20: an unclosed quote, a giant header cell, surplus cells on the first row,
a trailing separator on every row, UTF-16 text and NUL bytes each either read
right or refused saying where and what to do; nothing is kept of a refused file.
"""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role
from forecasting.models import SalesActual
from tests.fixtures.uploads import LAST, batch_reaches, committed, refusal, work_off
from tests.fixtures.waiting import wait_for
from uploads.models import UploadBatch

pytestmark = pytest.mark.django_db
HEADER = "period,product,territory,units"


@pytest.fixture
def analyst(user_with_role):
    return user_with_role(Role.SALES_OPS_ANALYST)


def rows(company, count: int, *, sep: str = ",", end: str = "") -> list[str]:
    """`count` valid rows, each for its own product and territory pair (count <= 24)."""
    pairs = [(p, t) for p in company.products for t in company.territories][:count]
    return [sep.join([LAST, p.sku, t.code, str(i + 1)]) + end for i, (p, t) in enumerate(pairs)]


def stored_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    return list(folder.glob("*")) if folder.exists() else []


def refused(upload, user, content: bytes, **options) -> str:
    """The reason the worker gave for refusing the file (which it removed, keeping nothing)."""
    return refusal(upload(user, content, **options))


# --- quotes and long cells --------------------------------------------------------------


def test_an_unclosed_quote_in_the_header_is_refused_naming_row_1(
    settings, company, analyst, upload
):
    content = ('period,"product,territory,units\n' + "\n".join(rows(company, 3))).encode()
    message = refused(upload, analyst, content, name="a.csv")
    assert 'a.csv, row 1: a quote (") opened in this row is never closed' in message
    assert stored_files(settings) == [] and not SalesActual.objects.exists()


def test_an_unclosed_quote_in_a_long_header_is_refused_naming_row_1(company, analyst, upload):
    content = ('period,"product,territory,units\n' + "x" * 140_000 + "\n").encode()
    message = refused(upload, analyst, content, name="a.csv")
    assert 'a.csv, row 1: a quote (") opened in this row is never closed' in message


def test_an_unclosed_quote_on_line_501_names_row_501(company, analyst, upload):
    good = rows(company, 1)[0]
    lines = [
        HEADER,
        *[good.replace(LAST, f"{2000 + i // 12}-{i % 12 + 1:02d}") for i in range(499)],
    ]
    lines.append(good.replace(",", ',"', 1))
    message = refused(upload, analyst, "\n".join(lines + rows(company, 2)).encode(), name="a.csv")
    assert message.startswith('a.csv, row 501: a quote (") opened in this row is never closed')
    assert "EOF" not in message and "tokenizing" not in message


def test_a_header_cell_over_the_csv_field_limit_is_refused_in_words(
    settings, company, analyst, upload
):
    content = (HEADER + "," + "h" * 140_000 + "\n" + rows(company, 1)[0] + ",x\n").encode()
    message = refused(upload, analyst, content, name="a.csv")
    assert "a.csv, row 1: a header cell is 140,000 characters long" in message
    assert "a column name has at most 1,000" in message and "field larger" not in message
    assert len(message) < 400  # never echoes the cell
    assert stored_files(settings) == []


def test_the_api_reports_a_giant_header_cell_in_words_not_a_500(
    settings, client, company, analyst
):
    client.force_login(analyst)
    handle = io.BytesIO((HEADER + "," + "h" * 140_000 + "\n").encode())
    handle.name = "a.csv"
    response = client.post("/api/imports/", {"file": handle, "kind": "actuals"})
    assert response.status_code == 201 and response.json()["status"] == "queued"
    work_off()
    answer = client.get(f"/api/imports/{response.json()['id']}/")
    assert answer.status_code == 200 and answer.json()["status"] == "failed"
    assert "a.csv, row 1: a header cell is 140,000 characters long" in answer.json()["error"]
    assert stored_files(settings) == []


# --- surplus and trailing cells ---------------------------------------------------------


def test_surplus_cells_on_the_first_row_are_refused_like_on_later_rows(company, analyst, upload):
    header = HEADER + ",revenue"
    first = rows(company, 1)[0] + ",50,7,8"
    message = refused(upload, analyst, f"{header}\n{first}\n".encode(), name="a.csv")
    assert "a.csv, row 2: 7 cells where the header has 5 columns" in message
    later = f"{header}\n{rows(company, 1)[0]},50\n{rows(company, 2)[1]},50,7,8\n"
    message = refused(upload, analyst, later.encode(), name="a.csv")
    assert "a.csv, row 3: 7 cells where the header has 5 columns" in message
    assert not SalesActual.objects.exists()


def test_a_trailing_comma_on_every_row_is_read_as_nothing(company, analyst, upload):
    content = "\n".join([HEADER, *rows(company, 3, end=",")]).encode()
    batch = upload(analyst, content)
    assert (batch.new_count, batch.rejected_count) == (3, 0)
    assert committed(actor=analyst, batch_id=batch.pk).status == UploadBatch.Status.COMMITTED
    assert sorted(SalesActual.objects.values_list("units", flat=True)) == [1, 2, 3]


def test_a_filled_cell_beyond_the_header_after_trailing_commas_is_refused(
    company, analyst, upload
):
    lines = [HEADER, *rows(company, 2, end=","), rows(company, 3)[2] + ",oops"]
    message = refused(upload, analyst, "\n".join(lines).encode(), name="a.csv")
    assert "a.csv, row 4: 5 cells where the header has 4 columns" in message


def test_trailing_commas_keep_the_real_values_in_the_rejected_rows_file(
    client, company, analyst, upload
):
    lines = [HEADER, *rows(company, 1, end=","), f"{LAST},NOPE-1,{company.territories[0].code},4,"]
    batch = upload(analyst, "\n".join(lines).encode())
    rejection = batch.rejections.get()
    assert (rejection.row_number, rejection.column, rejection.value) == (3, "product", "NOPE-1")
    client.force_login(analyst)
    text = client.get(reverse("uploads:rejected", args=[batch.pk])).content.decode()
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["file_row", "period", "product", "territory", "units", "problem"]
    assert table[1][:5] == ["3", LAST, "NOPE-1", company.territories[0].code, "4"]


# --- encodings and binary bytes ---------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_excel_unicode_text_utf16_with_tabs_is_read(company, analyst, upload, encoding):
    """Excel's "Unicode text" is UTF-16 (little endian, with a byte-order mark), tab-separated."""
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    text = "\r\n".join([HEADER.replace(",", "\t"), *rows(company, 2, sep="\t")]) + "\r\n"
    batch = upload(analyst, bom + text.encode(encoding), name="sales.txt")
    assert (batch.new_count, batch.rejected_count) == (2, 0)
    assert committed(actor=analyst, batch_id=batch.pk).status == UploadBatch.Status.COMMITTED
    assert sorted(SalesActual.objects.values_list("units", flat=True)) == [1, 2]


def test_utf16_without_a_byte_order_mark_is_named_as_utf16(settings, company, analyst, upload):
    text = "\r\n".join([HEADER.replace(",", "\t"), *rows(company, 2, sep="\t")])
    message = refused(upload, analyst, text.encode("utf-16-le"), name="a.txt")
    assert "UTF-16" in message and "CSV UTF-8" in message
    assert stored_files(settings) == []


@pytest.mark.parametrize("where", ["first line", "far down"])
def test_a_nul_byte_is_refused_saying_where_and_what_to_do(
    settings, company, analyst, upload, where
):
    body = rows(company, 20) * (1 if where == "first line" else 30)
    lines = [HEADER, *body]
    broken = 1 if where == "first line" else len(lines) - 1
    lines[broken] = lines[broken].replace(",", ",\x00", 1)
    content = "\n".join(lines).encode()
    offset = content.index(b"\x00")
    message = refused(upload, analyst, content, name="a.csv")
    assert f"a.csv, line {broken + 1}, byte {offset + 1:,}: a NUL byte" in message
    assert "CSV UTF-8" in message
    assert stored_files(settings) == []


# --- the background path ----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.redis
def test_an_unclosed_quote_in_a_big_file_fails_the_batch_in_words_and_drops_the_file(
    celery_worker, big_files, settings, company, user_with_role, upload
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    lines = [HEADER, *rows(company, 7)]
    lines[6] = lines[6].replace(",", ',"', 1)
    batch = upload(analyst, "\n".join(lines).encode(), name="big.csv")
    failed = wait_for(batch_reaches(batch.pk, UploadBatch.Status.FAILED))
    assert failed.error.startswith('big.csv, row 7: a quote (") opened in this row is never')
    assert "unexpected" not in failed.error
    assert not failed.rejections.exists() and stored_files(settings) == []
    assert SalesActual.objects.count() == 0


def test_units_read_exactly_in_a_utf16_semicolon_file(company, analyst, upload):
    text = "\r\n".join(
        ["period;product;territory;units", f"{LAST};{company.products[0].sku};"
         f"{company.territories[0].code};1.234,5"]
    )  # fmt: skip
    batch = upload(analyst, b"\xff\xfe" + text.encode("utf-16-le"), name="a.csv")
    assert committed(actor=analyst, batch_id=batch.pk).status == UploadBatch.Status.COMMITTED
    assert SalesActual.objects.get().units == Decimal("1234.5")


def test_a_file_of_many_unknown_columns_is_refused_with_a_short_message(
    settings, company, analyst, upload
):
    """30,000 columns cannot be mapped one by one: refused at once, naming what is missing."""
    header = ",".join(f"col{i}" for i in range(30_000))
    message = refused(upload, analyst, f"{header}\n{header}\n".encode(), name="wide.csv")
    assert "lacks the column(s) period, product, territory, units" in message
    assert "'col19' and 29,980 more" in message and len(message) < 1_000
    assert "30,000 columns, more than the 200 a column mapping can show" in message
    assert stored_files(settings) == []


def test_a_file_lacking_columns_within_the_column_limit_waits_for_a_mapping(
    settings, company, analyst, upload
):
    header = ",".join(["period", "product", "territory", *(f"col{i}" for i in range(197))])
    batch = upload(analyst, f"{header}\n".encode(), name="wide.csv")
    assert (batch.status, len(batch.headers)) == (UploadBatch.Status.NEEDS_MAPPING, 200)
    assert "lacks the column(s) units" in batch.error and "map them once" in batch.error
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize("separator", [",", ";"])
def test_the_rejected_rows_file_runs_no_formula_in_excel_of_either_list_separator(
    client, company, analyst, upload, separator
):
    """A hostile header and values come back as text, whichever separator Excel splits at."""
    evil = '=HYPERLINK("http://evil.example";"x")'
    header = f"{HEADER},{evil}"
    line = f"{LAST},NOPE-1,{company.territories[0].code},4,x;=1+2"
    upload(analyst, f"{header}\n{line}\n".encode())
    client.force_login(analyst)
    batch = UploadBatch.objects.get()
    text = client.get(reverse("uploads:rejected", args=[batch.pk])).content.decode()
    pieces = [cell for row in csv.reader(io.StringIO(text), delimiter=separator) for cell in row]
    assert not [p for p in pieces if p.lstrip(' "').startswith(("=", "+", "@", "\t", "\r"))]
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][5] == "'" + evil
    assert table[1][5] == "x;'=1+2"


def test_a_file_refused_once_its_columns_are_mapped_fails_and_leaves_no_file(
    client, settings, company, analyst
):
    """The header maps fine; row 3 opens a quote it never closes: the mapped file is refused."""
    sku, code = company.products[0].sku, company.territories[0].code
    content = f'period,product,territory,Qty\n{LAST},{sku},{code},1\n{LAST},"{sku},{code},2\n'
    client.force_login(analyst)
    client.post(reverse("uploads:page"), {"file": _file(content.encode()), "kind": "actuals"})
    work_off()
    batch = UploadBatch.objects.get()
    assert batch.status == UploadBatch.Status.NEEDS_MAPPING and len(stored_files(settings)) == 1
    client.post(reverse("uploads:map", args=[batch.pk]), {"headers": ["Qty"], "map-0": "units"})
    work_off()
    page = client.get(reverse("uploads:batch", args=[batch.pk])).content.decode()
    assert refusal(batch).startswith(
        'a.csv, row 3: a quote (") opened in this row is never closed'
    )
    assert "row 3: a quote" in page
    assert stored_files(settings) == [] and not SalesActual.objects.exists()


def _file(content: bytes, name: str = "a.csv"):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_a_trailing_comma_on_the_header_and_every_row_is_an_empty_column(
    client, company, analyst, upload
):
    code = company.territories[0].code
    lines = [HEADER + ",", *rows(company, 2, end=","), f"{LAST},NOPE-1,{code},4,"]
    batch = upload(analyst, "\n".join(lines).encode())
    assert (batch.new_count, batch.rejected_count) == (2, 1)
    assert batch.rejections.get().reason == "unknown SKU"
    client.force_login(analyst)
    text = client.get(reverse("uploads:rejected", args=[batch.pk])).content.decode()
    table = list(csv.reader(io.StringIO(text)))
    assert table[1][:5] == ["4", LAST, "NOPE-1", code, "4"]
