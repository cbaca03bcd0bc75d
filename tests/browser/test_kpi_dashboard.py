"""The administrator picks the key metrics; a manager's home shows them, highlighted, with tables and CSV."""

from pathlib import Path

import pytest

from accounts.roles import Role
from tests.fixtures.kpis import released  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin(user_with_role):
    return user_with_role(Role.TECHNICAL_OPERATIONS_ADVISOR)


@pytest.fixture
def boss(user_with_role):
    return user_with_role(Role.SALES_OPS_MANAGER)


def choose_metrics(page):
    page.goto("/kpis/settings/")
    page.uncheck("#wape_lag1-visible")
    page.fill("#wape_lag1-position", "11")
    page.fill("#days_late-position", "1")
    page.fill("#days_late-threshold", "abc")
    page.click("#kpi-settings button[type=submit]")
    assert "Days late: target threshold: 'abc' is not a number." in page.inner_text("#kpi-errors")
    page.fill("#days_late-threshold", "1")
    page.fill("#wape_lag3-position", "10")
    page.fill("#stages_on_time-position", "2")
    page.fill("#stages_on_time-threshold", "50")
    page.click("#kpi-settings button[type=submit]")
    page.wait_for_selector("text=The dashboard's KPIs are saved.")


@pytest.mark.usefixtures("released")
def test_the_chosen_kpis_appear_in_order_highlighted_with_table_and_csv(
    page, login, admin, boss, tmp_path
):
    choose_metrics(login(admin))
    page.context.clear_cookies()
    login(boss)
    tiles = page.locator("#kpi-tiles .kpi-tile")
    order = tiles.evaluate_all("tiles => tiles.map(t => t.dataset.kpi)")
    assert order[:2] == ["days_late", "stages_on_time"] and "wape_lag1" not in order
    late = page.locator('.kpi-tile[data-kpi="days_late"]')
    assert "kpi-off_target" in late.get_attribute("class")
    assert "Outside target: at most 1 days" in late.inner_text()
    on_time = page.locator('.kpi-tile[data-kpi="stages_on_time"]')
    assert "On target: at least 50 %" in on_time.inner_text()
    chart = page.locator("#chart-days_late")
    chart.locator("summary").click()
    row = chart.locator("table tr", has_text="2026-05")
    assert "3.0" in row.inner_text() and "outside target" in row.inner_text()
    assert page.locator("#chart-days_late canvas").is_visible()
    with page.expect_download() as download:
        chart.locator("a", has_text="CSV").click()
    saved = tmp_path / "kpi.csv"
    download.value.save_as(saved)
    lines = Path(saved).read_text().splitlines()
    assert lines[0] == "period,kpi,value,unit,target,status"
    assert "2026-05,Days late,3.0,days,at most 1 days,off_target" in lines
