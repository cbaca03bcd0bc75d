"""Helpers for upload tests: files in a temporary media folder, an `upload` call."""

import io
from datetime import date

import pytest

from cycles.calendar import add_months, month_start
from forecasting.models import SalesActual
from uploads.models import UploadBatch
from uploads.services import upload_preview

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


@pytest.fixture
def upload():
    def send(user, content: bytes, *, name: str = "actuals.csv", kind: str = "actuals", **options):
        return upload_preview(
            actor=user, file=io.BytesIO(content), file_name=name, kind=kind, **options
        )

    return send


@pytest.fixture
def big_files(settings):
    """Every test file counts as big: validated and written by a worker, in chunks of 2."""
    settings.UPLOAD_BACKGROUND_BYTES = 10
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
