"""A finished forecast run through the API and the screens: who reads what, and what they
see. The run is computed once for the module (5-10 s) and only read by the tests; the
runs' start and cancel are in test_run_screens_and_api.py."""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from cycles.models import Cycle
from forecasting import services
from forecasting.models import ForecastRun
from tests.factories import Company, CompanyFactory, UserFactory, add_reason_codes
from tests.fixtures.forecasting import CYCLE_MONTH, load_history
from tests.fixtures.shared_data import module_data

pytestmark = pytest.mark.django_db
ROLES = pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)


@dataclass(frozen=True)
class FinishedRun:
    company: Company
    manager: object
    users_by_role: dict
    run: ForecastRun


def _finished_run() -> FinishedRun:
    """The small company with its history, one user per role, and a run of its cycle
    computed in chunks of 10 series."""
    add_reason_codes()
    company = CompanyFactory.build_company()
    manager = UserFactory.with_role(Role.SALES_OPS_MANAGER)
    cycle = Cycle.objects.create(month=CYCLE_MONTH, owner=manager)
    load_history(company)
    users = {role: UserFactory.with_role(role) for role in Role if role is not Role.DEMAND_PLANNER}
    users[Role.DEMAND_PLANNER] = UserFactory.with_role(
        Role.DEMAND_PLANNER, territories=[company.territories[0]]
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "CHUNK_SIZE", 10)
        run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
        for number in range(run.chunk_count):
            services.forecast_chunk_compute(run_id=run.pk, chunk_number=number)
    return FinishedRun(company, manager, users, ForecastRun.objects.get(pk=run.pk))


@pytest.fixture(scope="module")
def finished(django_db_setup, django_db_blocker):
    yield from module_data(django_db_blocker, _finished_run)


@pytest.fixture
def done_run(finished):
    return finished.run


@pytest.fixture
def company(finished):
    return finished.company


@pytest.fixture
def manager(finished):
    return finished.manager


@pytest.fixture
def users_by_role(finished):
    return finished.users_by_role


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


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


def test_results_page_filters_and_shows_the_reason(client, done_run, manager):
    client.force_login(manager)
    url = reverse("forecasting:run-results", args=[done_run.pk])
    page = client.get(url, {"demand_class": "new"}).text
    assert page.count("<tr><td>") == 4
    assert "too short to backtest" in page


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
