"""The forecast run page parses its form: bad input is named, never a 500; refusals stay on site."""

import pytest

from forecasting.models import ForecastRun

pytestmark = pytest.mark.django_db


def test_starting_a_run_for_a_cycle_named_by_text_names_the_field(client, cycle, manager):
    client.force_login(manager)
    response = client.post("/forecasting/runs/start/", {"cycle": "abc"}, follow=True)
    assert response.status_code == 200
    assert "Cycle “abc”: Enter a whole number." in response.content.decode()
    assert not ForecastRun.objects.exists()


def test_a_refused_start_does_not_follow_a_referer_to_another_site(client, cycle, manager):
    client.force_login(manager)
    response = client.post(
        "/forecasting/runs/start/", {"cycle": "abc"}, HTTP_REFERER="https://evil.example/x"
    )
    assert response.status_code == 302 and response["Location"] == "/forecasting/runs/"
