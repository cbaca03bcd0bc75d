"""Fixtures for upload tests: files in a temporary media folder, an `upload` call.

The plain helpers (CSV bodies, work_off, committed...) live in tests/fixtures/uploads.py.
"""

import io
from datetime import date

import pytest

from tests.fixtures.uploads import work_off
from uploads.services import upload_preview


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
