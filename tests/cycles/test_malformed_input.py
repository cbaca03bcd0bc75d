"""Malformed ids, NUL characters and unknown rows answer 400 or 404 in words, never 500."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from collaboration.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(manager) -> APIClient:
    client = APIClient()
    client.force_authenticate(manager)
    return client


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "²"])
def test_a_cycle_action_on_an_id_that_is_not_a_number_is_a_404_naming_it(api, cycle, pk):
    response = api.post(f"/api/cycles/{pk}/advance/", {"stage": "data_gathering"}, format="json")
    assert response.status_code == 404
    assert f"There is no cycle '{pk}'" in response.json()["detail"]


def test_cancelling_a_forecast_run_named_by_text_is_a_404_naming_it(api, cycle):
    response = api.post("/api/forecast-runs/abc/cancel/")
    assert response.status_code == 404
    assert "There is no forecast run 'abc'" in response.json()["detail"]


def test_a_nul_character_in_an_api_filter_is_a_400_naming_the_filter(api, cycle):
    response = api.get("/api/audit/?user=a%00b")
    assert response.status_code == 400
    assert "“user” holds a NUL character" in response.json()["detail"]


def test_a_nul_character_in_a_page_filter_is_a_400_page_naming_the_filter(client, manager, cycle):
    client.force_login(manager)
    response = client.get("/cycles/history/?user=a%00b")
    assert response.status_code == 400
    assert "“user” holds a NUL character" in response.content.decode()


def test_a_nul_character_in_a_form_field_is_refused_and_nothing_is_stored(client, manager, cycle):
    client.force_login(manager)
    before = AuditEvent.objects.count()
    response = client.post(f"/collaboration/cycles/{cycle.pk}/comments/", {"body": "hi\x00"})
    assert response.status_code == 400
    assert "“body” holds a NUL character" in response.content.decode()
    assert not Comment.objects.exists() and AuditEvent.objects.count() == before
