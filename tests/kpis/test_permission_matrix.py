"""Every role x the dashboard and the KPI choice, through the UI and the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from kpis.catalogue import KPIS, default_choices
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ADMIN = Role.TECHNICAL_OPERATIONS_ADVISOR
ROLES = list(Role)


def choice_rows() -> list[dict]:
    return [
        {"code": c.code, "visible": True, "position": c.position, "threshold": c.threshold}
        for c in default_choices()
    ]


def form_data() -> dict:
    data = {}
    for c in default_choices():
        data.update({f"{c.code}-visible": "on", f"{c.code}-position": str(c.position)})
        data[f"{c.code}-threshold"] = str(c.threshold)
    return data


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
def test_every_role_sees_the_dashboard_on_its_home(client, users_by_role, role):
    client.force_login(users_by_role[role])
    page = client.get(reverse("home")).content.decode()
    assert 'id="kpi-dashboard"' in page
    assert ("Choose key metrics" in page) is (role is ADMIN)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
def test_the_kpi_choice_page_is_the_administrators(client, users_by_role, role):
    client.force_login(users_by_role[role])
    expected = 200 if role is ADMIN else 403
    assert client.get(reverse("kpis:settings")).status_code == expected
    posted = client.post(reverse("kpis:settings"), form_data())
    assert posted.status_code == (302 if role is ADMIN else 403)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
def test_every_role_reads_the_dashboard_api_and_csv(client, users_by_role, role):
    api = APIClient()
    api.force_authenticate(users_by_role[role])
    response = api.get("/api/kpis/dashboard/")
    assert response.status_code == 200 and len(response.json()["kpis"]) == len(KPIS)
    assert api.get("/api/kpis/settings/").status_code == 200
    client.force_login(users_by_role[role])
    assert client.get(reverse("kpis:csv", args=["days_late"])).status_code == 200


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
def test_only_the_administrator_puts_kpi_settings_through_the_api(users_by_role, role):
    api = APIClient()
    api.force_authenticate(users_by_role[role])
    response = api.put("/api/kpis/settings/", choice_rows(), format="json")
    assert response.status_code == (200 if role is ADMIN else 403)


def test_a_user_without_a_role_sees_no_dashboard(client, company):
    user = UserFactory()
    client.force_login(user)
    assert 'id="kpi-dashboard"' not in client.get(reverse("home")).content.decode()
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/kpis/dashboard/").status_code == 403
    assert client.get(reverse("kpis:csv", args=["days_late"])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(reverse("kpis:settings")).status_code == 302
    assert APIClient().get("/api/kpis/dashboard/").status_code in (401, 403)


def test_the_api_names_the_bad_field(users_by_role):
    api = APIClient()
    api.force_authenticate(users_by_role[ADMIN])
    rows = choice_rows()
    rows[0]["threshold"] = "high"
    response = api.put("/api/kpis/settings/", rows, format="json")
    assert response.status_code == 400
    assert response.json()["items"] == [
        "Forecast error (WAPE), lag 1: target threshold: 'high' is not a number."
    ]
    assert api.put("/api/kpis/settings/", {"code": "x"}, format="json").status_code == 400
