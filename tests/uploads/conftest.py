"""Helpers for upload tests: files in a temporary media folder, an `upload` call."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from cycles.calendar import add_months, month_start
from forecasting.models import SalesActual
from uploads.models import UploadBatch, UploadRow
from uploads.services import (
    upload_commit,
    upload_preview,
    upload_revert,
    upload_unwrite,
    upload_validate,
    upload_write,
)

LAST_MONTH = add_months(month_start(date.today()), -1)
LAST = f"{LAST_MONTH:%Y-%m}"
BEFORE = f"{add_months(LAST_MONTH, -1):%Y-%m}"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_bytes(rows: list[list[str]], *, sep: str = ",", encoding: str = "utf-8") -> bytes:
    return "\n".join(sep.join(row) for row in rows).encode(encoding)


def actuals_csv(company, rows: list[tuple], *, header=("period", "product", "territory", "units")):
    """rows: (period, product index, territory index, units)."""
    body = [list(header)]
    for period, product, territory, units in rows:
        body.append(
            [
                period,
                company.products[product].sku,
                company.territories[territory].code,
                str(units),
            ]
        )
    return csv_bytes(body)


def work_off(*, today: date | None = None) -> None:
    """Do here, in this process, what a worker does with the queued uploads: validate
    them, then write the ones committed and revert the ones asked to. A unit-level stand-in: the worker itself (broker,
    redelivery, crashes) is tested in test_background.py, test_worker_killed.py and
    test_lost_jobs.py."""
    queued = UploadBatch.objects.filter(status=UploadBatch.Status.QUEUED)
    for batch_id in queued.values_list("pk", flat=True):
        upload_validate(batch_id=batch_id, today=today)
    writing = UploadBatch.objects.filter(status=UploadBatch.Status.COMMIT_QUEUED)
    for batch_id in writing.values_list("pk", flat=True):
        upload_write(batch_id=batch_id)
    reverting = UploadBatch.objects.filter(status=UploadBatch.Status.REVERT_QUEUED)
    for batch_id in reverting.values_list("pk", flat=True):
        upload_unwrite(batch_id=batch_id)


def committed(*, actor, batch_id: int, accept_partial: bool = False) -> UploadBatch:
    """Press "Commit" (refused at once, or queued), then write as the worker does."""
    upload_commit(actor=actor, batch_id=batch_id, accept_partial=accept_partial)
    work_off()
    return UploadBatch.objects.get(pk=batch_id)


def reverted(*, actor, batch_id: int, reason: str = "") -> UploadBatch:
    """Press "Revert" (refused at once, or queued), then revert as the worker does."""
    upload_revert(actor=actor, batch_id=batch_id, reason=reason)
    work_off()
    return UploadBatch.objects.get(pk=batch_id)


@pytest.fixture
def queue_upload():
    """Send a file as the web request does: stored and queued, nothing read."""

    def send(user, content: bytes, *, name: str = "actuals.csv", kind: str = "actuals", **options):
        return upload_preview(
            actor=user, file=io.BytesIO(content), file_name=name, kind=kind, **options
        )

    return send


@pytest.fixture
def upload(queue_upload):
    """Send a file, then validate it as the worker does; the batch as the worker left it."""

    def send(user, content: bytes, *, today: date | None = None, **options):
        batch = queue_upload(user, content, **options)
        work_off(today=today)
        batch.refresh_from_db()
        return batch

    return send


@pytest.fixture
def big_files(settings):
    """Files are validated and written in chunks of 2 rows (progress at every chunk)."""
    settings.UPLOAD_CHUNK_ROWS = 2


def batch_reaches(batch_id: int, status: str):
    """For wait_for: the batch once it has this status."""

    def reached():
        """the batch to reach its status"""
        return UploadBatch.objects.filter(pk=batch_id, status=status).first()

    return reached


def actuals_table() -> list[tuple]:
    return sorted(
        SalesActual.objects.values_list("product_id", "territory_id", "period", "units", "revenue")
    )


def refusal(batch: UploadBatch) -> str:
    """The reason the worker gave for refusing a file; the file itself is gone from disk."""
    batch.refresh_from_db()
    assert batch.status == UploadBatch.Status.FAILED, (batch.status, batch.error)
    assert not (Path(settings.MEDIA_ROOT) / batch.stored_path).exists()
    assert not batch.rejections.exists() and not UploadRow.objects.filter(batch=batch).exists()
    return batch.error


def sent_back(batch: UploadBatch) -> str:
    """The reason the worker wrote nothing and left the batch at its preview."""
    batch.refresh_from_db()
    assert batch.status == UploadBatch.Status.PREVIEWED and batch.error, batch.status
    return batch.error
