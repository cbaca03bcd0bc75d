"""The cycle owner asks for a version as CSV, watches a worker build it and downloads it."""

import csv
import io
import time

import pytest

from cycles import version_csv
from exports import services as export_services
from exports.models import ExportJob
from tests.browser.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]

ROWS_SHOWN = """() => {
  const text = document.querySelector('#export-rows')?.textContent || '';
  const m = text.replace(/,/g, '').match(/(\\d+) of (\\d+) rows written/);
  return m && +m[1] > 0 && +m[1] < +m[2] ? text : null;
}"""


@pytest.fixture
def slow_build(monkeypatch):
    """A piece per SKU, a progress mark per piece and a pause between pieces: the small
    test plan takes seconds to build, so the page can be seen following it."""
    chunks = version_csv.version_csv_chunks

    def slowly(request):
        for piece in chunks(request):
            time.sleep(0.25)
            yield piece

    monkeypatch.setattr(version_csv, "SKUS_PER_READ", 1)
    monkeypatch.setattr(version_csv, "version_csv_chunks", slowly)
    monkeypatch.setattr(export_services, "PROGRESS_EVERY_ROWS", 1)


def test_manager_watches_a_version_csv_build_then_downloads_it(
    login, celery_worker, demand_cycle, manager, slow_build, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page = login(manager)
    page.goto(f"/cycles/{demand_cycle.pk}/compare/")
    page.click("#csv-1")
    page.wait_for_selector("#export-progress")
    assert demand_cycle.month.strftime("%Y-%m") in page.inner_text("h1")
    wait_until(page, ROWS_SHOWN, timeout=30)  # htmx polls the progress while the worker writes
    assert page.locator("#export-progress progress").count() == 1

    link = page.wait_for_selector("#export-download", timeout=60_000)
    assert "Ready to download" in page.inner_text("#export-status")
    with page.expect_download() as download:
        link.click()
    text = download.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    job = ExportJob.objects.get()
    assert download.value.suggested_filename == job.file_name
    assert len(rows) == job.rows_total == demand_cycle.plan_values.count() > 0
    assert f"{job.rows_total:,} rows" in page.inner_text("#export-progress")
