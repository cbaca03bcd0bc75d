"""Forecast runs through the API and the screens: who may do what, and what they see."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from demand.baseline import baseline_load_run
from forecasting import services
from forecasting.models import ForecastRun
from tests.factories import mark_released

pytestmark = pytest.mark.django_db
ALLOWED = {Role.SALES_OPS_ANALYST, Role.SALES_OPS_MANAGER}
ROLES = pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 10)


@pytest.fixture
def done_run(cycle, history, manager):
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    for number in range(run.chunk_count):
        services.forecast_chunk_compute(run_id=run.pk, chunk_number=number)
    return ForecastRun.objects.get(pk=run.pk)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@ROLES
def test_api_start_and_cancel_follow_the_permission_table(role, cycle, history, users_by_role):
    client = api(users_by_role[role])
    started = client.post("/api/forecast-runs/", {"cycle": cycle.pk}, format="json")
    assert started.status_code == (201 if role in ALLOWED else 403)
    run = ForecastRun.objects.filter(cycle=cycle).first() or services.forecast_run_start(
        cycle_id=cycle.pk, actor=cycle.owner
    )
    cancelled = client.post(f"/api/forecast-runs/{run.pk}/cancel/")
    assert cancelled.status_code == (200 if role in ALLOWED else 403)
    assert ForecastRun.objects.get(pk=run.pk).status == (
        "cancelled" if role in ALLOWED else "queued"
    )


@ROLES
def test_everybody_reads_status_and_results_through_the_api(role, done_run, users_by_role):
    client = api(users_by_role[role])
    status = client.get(f"/api/forecast-runs/{done_run.pk}/").json()
    assert (status["status"], status["percent_done"]) == ("done", 100)
    results = client.get(f"/api/forecast-runs/{done_run.pk}/results/?limit=5").json()
    assert results["count"] == 24 and len(results["results"]) == 5
    assert len(results["results"][0]["values"]) == 12


def test_api_results_filter_by_class_and_territory(done_run, company, manager):
    client = api(manager)
    url = f"/api/forecast-runs/{done_run.pk}/results/"
    new = client.get(url, {"demand_class": "new"}).json()
    assert new["count"] == 4 and {r["method"] for r in new["results"]} == {"Naive"}
    code = company.territories[0].code
    assert client.get(url, {"territory": code}).json()["count"] == 6


def test_api_refuses_a_run_on_a_released_cycle_with_the_reason(cycle, history, manager):
    mark_released(cycle)
    response = api(manager).post("/api/forecast-runs/", {"cycle": cycle.pk}, format="json")
    assert response.status_code == 400
    assert "is released" in response.json()["detail"]
    assert not ForecastRun.objects.exists()


@ROLES
def test_ui_start_button_and_cancel_follow_the_permission_table(
    role, client, cycle, history, users_by_role
):
    client.force_login(users_by_role[role])
    page = client.get(reverse("forecasting:runs"))
    assert page.status_code == 200
    assert ("Start forecast run" in page.text) == (role in ALLOWED)
    started = client.post(reverse("forecasting:run-start"), {"cycle": cycle.pk})
    assert started.status_code == (302 if role in ALLOWED else 403)
    run = ForecastRun.objects.filter(cycle=cycle).first() or services.forecast_run_start(
        cycle_id=cycle.pk, actor=cycle.owner
    )
    cancelled = client.post(reverse("forecasting:run-cancel", args=[run.pk]))
    assert cancelled.status_code == (302 if role in ALLOWED else 403)


def test_run_page_polls_while_running_then_shows_the_summary(client, cycle, history, manager):
    client.force_login(manager)
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    page = client.get(reverse("forecasting:run", args=[run.pk])).text
    assert 'hx-trigger="every 1s"' in page and "0 of 24 series" in page
    for number in range(run.chunk_count):
        services.forecast_chunk_compute(run_id=run.pk, chunk_number=number)
    fragment = client.get(reverse("forecasting:run-progress", args=[run.pk]))
    assert "loading it into the plan as the baseline" in fragment.text
    assert "HX-Refresh" not in fragment  # keeps polling until the plan has it
    baseline_load_run(run_id=run.pk, actor=None)  # what the load task does
    fragment = client.get(reverse("forecasting:run-progress", args=[run.pk]))
    assert fragment["HX-Refresh"] == "true"
    page = client.get(reverse("forecasting:run", args=[run.pk])).text
    assert "hx-trigger" not in page
    for section in ("method-mix", "class-mix", "accuracy", "worst-error", "worst-bias"):
        assert f'id="{section}"' in page


def test_results_page_filters_and_shows_the_reason(client, done_run, manager):
    client.force_login(manager)
    url = reverse("forecasting:run-results", args=[done_run.pk])
    page = client.get(url, {"demand_class": "new"}).text
    assert page.count("<tr><td>") == 4
    assert "too short to backtest" in page


def test_the_menu_shows_forecasts(client, manager):
    client.force_login(manager)
    assert reverse("forecasting:runs") in client.get(reverse("home")).text


def test_series_page_shows_history_forecast_scores_and_reason(client, done_run, company, manager):
    client.force_login(manager)
    product, territory = company.products[0], company.territories[1]
    url = reverse("forecasting:run-series", args=[done_run.pk, product.pk, territory.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "vendor/chartjs/chart.umd.min.js" in page.text
    chart = page.context["chart"]
    assert len(chart["months"]) == 36 + 12
    assert chart["point"][:36] == [None] * 36 and None not in chart["point"][36:]
    assert 'id="candidate-scores"' in page.text and "SeasonalNaive" in page.text
    assert "40 months of history" in page.text


def test_series_page_of_an_unknown_series_is_not_found(client, done_run, manager):
    client.force_login(manager)
    url = reverse("forecasting:run-series", args=[done_run.pk, 999999, 999999])
    assert client.get(url).status_code == 404


def test_results_can_be_filtered_by_a_minimum_error(client, done_run, manager):
    client.force_login(manager)
    url = reverse("forecasting:run-results", args=[done_run.pk])
    everything = client.get(url).context["page"].paginator.count
    worst = client.get(url, {"mase_min": "1.5"}).context["page"].paginator.count
    ignored = client.get(url, {"mase_min": "lots"}).context["page"].paginator.count
    assert worst < everything == ignored == 24


def test_api_names_a_missing_cycle_or_run(manager, company):
    client = api(manager)
    started = client.post("/api/forecast-runs/", {"cycle": 424242}, format="json")
    assert (started.status_code, started.json()["detail"]) == (400, "There is no cycle 424242.")
    assert client.post("/api/forecast-runs/424242/cancel/").status_code == 400
    assert not ForecastRun.objects.exists()


def test_run_page_shows_accuracy_per_level_and_the_method_that_makes_them_add_up(
    client, done_run, manager
):
    client.force_login(manager)
    page = client.get(reverse("forecasting:run", args=[done_run.pk])).text
    record = done_run.reconciliation
    table = page[page.index('id="level-accuracy"') :].split("</table>")[0]
    for level in ("Company", "Family x region", "SKU x territory"):
        assert f"{level} MASE" in table
    chosen = record["method"]
    assert f"{chosen} <strong>(used)</strong>" in table
    assert f"{record['scores'][chosen]['Family x region']['mase']}" in table
    assert "The forecasts add up at every level: " + chosen in page
