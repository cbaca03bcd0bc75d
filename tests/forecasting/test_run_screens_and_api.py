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


def test_the_menu_shows_forecasts(client, manager):
    client.force_login(manager)
    assert reverse("forecasting:runs") in client.get(reverse("home")).text


def test_api_names_a_missing_cycle_or_run(manager, company):
    client = api(manager)
    started = client.post("/api/forecast-runs/", {"cycle": 424242}, format="json")
    assert (started.status_code, started.json()["detail"]) == (400, "There is no cycle 424242.")
    cancelled = client.post("/api/forecast-runs/424242/cancel/")  # in the URL: not found
    assert (cancelled.status_code, cancelled.json()["detail"]) == (
        404,
        "There is no forecast run 424242.",
    )
    assert not ForecastRun.objects.exists()
