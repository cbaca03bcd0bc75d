"""Every file is read by the worker, within limits: the request answers at once, having read
nothing, and a hostile workbook ends as a refusal naming the limit, never a 500 or a hang."""

import io
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.roles import Role
from products.models import Product
from tests.fixtures.uploads import batch_reaches
from tests.fixtures.waiting import wait_for
from tests.uploads import hostile_workbooks as hostile
from uploads.models import UploadBatch

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
Status = UploadBatch.Status


@pytest.fixture
def readers(monkeypatch):
    """The names of the threads that opened an uploaded file to read it."""
    from uploads import pipeline

    threads: list[str] = []
    real = pipeline.detect_format

    def recording(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "detect_format", recording)
    return threads


def _file(content: bytes, name: str):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def _post(client, content: bytes, name: str, kind: str = "actuals") -> dict:
    """The API's answer to an upload: the batch, queued, with nothing read yet."""
    answer = client.post("/api/imports/", {"file": _file(content, name), "kind": kind})
    assert answer.status_code == 201, answer.content[:500]
    body = answer.json()
    assert (body["status"], body["rows_read"], body["error"]) == ("queued", 0, "")
    return body


def _read_by_the_worker_only(readers: list[str]) -> None:
    assert readers, "the worker never read the file"
    assert threading.current_thread().name not in readers  # the request read nothing


def products_file(count: int, family: str) -> bytes:
    lines = ["sku,name,family,unit_price,unit_cost"]
    lines += [
        f"BULK-{n:05d},Bulk product {n},{family},{n % 90 + 10}.50,4.25" for n in range(count)
    ]
    return "\n".join(lines).encode()


def test_a_3000_row_products_file_is_previewed_and_committed_by_the_worker(
    celery_worker, company, user_with_role, client, readers
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    client.force_login(analyst)
    before = Product.objects.count()
    content = products_file(3000, company.families[0].code)
    batch = _post(client, content, "products.csv", kind="products")
    previewed = wait_for(batch_reaches(batch["id"], Status.PREVIEWED), timeout=120)
    assert (previewed.new_count, previewed.rejected_count) == (3000, 0)
    assert Product.objects.count() == before  # a preview writes nothing
    commit = client.post(f"/api/imports/{batch['id']}/commit", {}, "application/json")
    assert (commit.status_code, commit.json()["status"]) == (200, "commit_queued")
    done = wait_for(batch_reaches(batch["id"], Status.COMMITTED), timeout=120)
    assert done.rows_written == 3000
    assert Product.objects.count() == before + 3000
    assert Product.objects.get(sku="BULK-02999").unit_price == Decimal("39.50")  # 2999 % 90 + 10
    _read_by_the_worker_only(readers)


HOSTILE = [
    (
        "3-million-rows",
        hostile.millions_of_rows,
        {},
        "its part xl/worksheets/sheet1.xml unpacks 412 times larger (0.2 MB to 78.0 MB); "
        "the limit is 100 times",
    ),
    (
        "shared-string-bomb",
        hostile.shared_string_bomb,
        {},
        "its shared text table unpacks to 100.0 MB; the limit is 52.4 MB",
    ),
    ("30000-columns", lambda: hostile.wide(30_000), {}, "row 1: 30,000 columns; the limit is 200"),
    (
        "declared-rows",
        lambda: hostile.many_rows(5000, dimension=True),
        {"UPLOAD_MAX_ROWS": 1000},
        "its sheet declares 5,001 rows; the limit is 1,000 rows of figures",
    ),
    (
        "undeclared-rows",
        lambda: hostile.many_rows(5000, dimension=False),
        {"UPLOAD_MAX_ROWS": 1000},
        "has more than 1,000 rows, the limit",
    ),
    (
        "long-cell",
        lambda: hostile.long_cell(40_000),
        {},
        "row 1, column 1: a cell of 40,000 characters; the limit is 32,767 (it starts 'apetixmbqf",
    ),
    (
        "slow",
        lambda: hostile.many_rows(5000, dimension=False),
        {"UPLOAD_MAX_SECONDS": 0.000001},
        "reading and checking it took more than 1e-06 seconds, the limit (stopped at row 1,000)",
    ),
]


@pytest.mark.parametrize(
    ("build", "limits", "expected"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_a_hostile_workbook_is_refused_by_the_worker_naming_the_limit(
    celery_worker, company, user_with_role, client, readers, settings, build, limits, expected
):
    for name, value in limits.items():
        setattr(settings, name, value)  # the worker runs in this process: it sees them
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    client.force_login(analyst)
    batch = _post(client, build(), "hostile.xlsx")
    refused = wait_for(batch_reaches(batch["id"], Status.FAILED), timeout=120)
    assert expected in refused.error
    assert len(refused.error) < 400  # names the limit; never echoes what the file holds
    assert not (Path(settings.MEDIA_ROOT) / refused.stored_path).exists()
    shown = client.get(f"/api/imports/{batch['id']}/")
    assert (shown.status_code, shown.json()["error"]) == (200, refused.error)
    page = client.get(f"/uploads/{batch['id']}/")
    assert page.status_code == 200 and "refused" in page.content.decode()
    _read_by_the_worker_only(readers)
