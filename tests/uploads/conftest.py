"""Helpers for upload tests: files in a temporary media folder, an `upload` call."""

import io
from datetime import date

import pytest

from cycles.calendar import add_months, month_start
from forecasting.models import SalesActual
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


def actuals_table() -> list[tuple]:
    return sorted(
        SalesActual.objects.values_list("product_id", "territory_id", "period", "units", "revenue")
    )
