"""In Chromium at 1440 x 900 and 1024 x 768: the executive opens sign-off, reads the chart and
the approvals, asks for the pack, watches a worker build it and downloads it; the owner drills
a version comparison down to SKUs and downloads the whole difference."""

import csv
import io
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings

from accounts.roles import Role
from cycles.models import SignOffDecision
from reconciliation.models import PackBuild
from tests.browser.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]
SIZES = [(1440, 900), (1024, 768)]
NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_executive_reads_the_pack_asks_for_it_and_downloads_it(
    login,
    page,
    rec_cycle,
    users_by_role,
    user_with_role,
    settings,
    tmp_path,
    width,
    height,
):
    from celery.contrib.testing.worker import start_worker

    from sop_planner.celery import app

    settings.MEDIA_ROOT = tmp_path
    redis.Redis.from_url(django_settings.REDIS_URL).flushdb()
    executive = _named(users_by_role[Role.EXECUTIVE], "Ada", "Okafor")
    other = _named(user_with_role(Role.EXECUTIVE, username="bo"), "Bo", "Lindqvist")
    SignOffDecision.objects.create(
        cycle=rec_cycle, move_no=rec_cycle.move_count, decided_by=other, decision="reject",
        comment="Explain the January shortage first",
    )  # fmt: skip
    page.set_viewport_size({"width": width, "height": height})
    login(executive)
    page.goto(f"/cycles/{rec_cycle.pk}/sign-off/")
    for chart in ("preread-chart", "preread-units-chart"):
        labels = (
            f"Chart.getChart(document.getElementById('{chart}'))?.data.datasets.map(d => d.label)"
        )
        wait_until(page, f"!!({labels})")
        assert page.evaluate(labels) == ["Plan", "Budget", "Last release"]
    assert "Bo Lindqvist" in page.inner_text("#decisions")
    assert "Explain the January shortage first" in page.inner_text("#decisions")
    assert page.evaluate(NO_PAGE_SCROLL)

    page.click("#build-pack")  # no worker yet: the page says it waits, with a progress bar
    page.wait_for_selector("#pack-progress")
    assert "Waiting for a worker" in page.inner_text("#pack-step")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        page.wait_for_selector("#pack-ready", timeout=60_000)  # htmx follows the build
    assert "from the plan as it stood then" in page.inner_text("#pack-ready")
    with page.expect_download() as pdf:
        page.click("#pack-pdf")
    assert pdf.value.suggested_filename == "sop-2026-11.pdf"
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as xlsx:
        page.click("#pack-xlsx")
    assert xlsx.value.suggested_filename == "sop-2026-11.xlsx"
    assert PackBuild.objects.get(cycle=rec_cycle).status == PackBuild.Status.DONE


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_owner_drills_a_version_comparison_down_to_skus(
    login,
    page,
    compared,
    company,
    users_by_role,
    width,
    height,
):
    page.set_viewport_size({"width": width, "height": height})
    login(users_by_role[Role.SALES_OPS_MANAGER])
    page.goto(f"/cycles/{compared.pk}/compare/?a=1&b=now")
    f0, r0 = company.families[0], company.regions[0]
    row = page.locator(f"#difference-grid tbody tr[data-family='{f0.pk}'][data-region='{r0.pk}']")
    assert row.locator("td").last.inner_text() == "22.50"
    assert page.locator("#difference-grid tfoot tr.total td").last.inner_text() == "21.50"
    assert page.evaluate(NO_PAGE_SCROLL)  # the wide grid scrolls inside its box
    row.locator("a").click()
    page.wait_for_selector("#sku-grid")
    skus = page.locator("#sku-grid tbody tr td:last-child").all_inner_texts()
    assert sorted(skus) == ["-2.50", "20", "5"]
    assert page.evaluate(NO_PAGE_SCROLL)
    page.click("#all-families")
    page.wait_for_selector("#difference-grid")
    with page.expect_download() as download:
        page.click("#difference-csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert len(rows) == 7 and {r["measure"] for r in rows} == {"Capacity", "Consensus demand"}
