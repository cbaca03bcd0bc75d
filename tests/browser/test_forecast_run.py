"""An analyst starts a forecast run, watches it progress live, then reads a series."""

import pytest

from accounts.roles import Role
from cycles.models import Cycle
from forecasting import services
from forecasting.models import ForecastRun
from tests.browser.menu import menu_go
from tests.browser.waiting import wait_until
from tests.fixtures.forecasting import CYCLE_MONTH, load_history

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def history(company, user_with_role):
    Cycle.objects.create(month=CYCLE_MONTH, owner=user_with_role(Role.SALES_OPS_MANAGER))
    return load_history(company)


def test_analyst_starts_a_run_watches_it_finish_and_opens_a_series_chart(
    login, celery_worker, user_with_role, history, monkeypatch
):
    monkeypatch.setattr(services, "CHUNK_SIZE", 6)
    page = login(user_with_role(Role.SALES_OPS_ANALYST))
    menu_go(page, "Forecasts")
    page.click("#start-run button[type=submit]")
    page.wait_for_selector("#run-progress progress")
    page.wait_for_selector("#method-mix", timeout=90_000)  # htmx polled, then reloaded
    assert "done" in page.inner_text("#run-status")
    assert f"{history} of {history} series" in page.inner_text("#run-progress")
    assert ForecastRun.objects.get().status == "done"

    page.click("text=All 24 series")
    page.click("#results tbody a >> nth=0")
    page.wait_for_selector("#series-chart")
    wait_until(page, "() => window.Chart && Chart.getChart('series-chart')")
    assert "months of history" in page.inner_text("#reason")
    assert page.locator("#forecast-values tbody tr").count() == 12
