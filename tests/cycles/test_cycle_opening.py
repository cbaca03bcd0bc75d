"""One rule opens a cycle, for the board's button, the page and the API.

A new cycle opens only once the one in progress is released, for the month
after the latest cycle or a month near today: the API fuzzer opened 121
cycles, years 3 to 9173, and the board then showed "S&OP 9173-10".
"""

from datetime import date

import pytest
from rest_framework.test import APIClient

from cycles.calendar import add_months, month_start
from cycles.models import Cycle
from tests.factories import mark_released

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(manager) -> APIClient:
    client = APIClient()
    client.force_authenticate(manager)
    return client


def test_the_api_refuses_a_cycle_for_the_year_9173_in_words(api, company):
    response = api.post("/api/cycles/open/", {"month": "9173-10-01"}, format="json")
    assert response.status_code == 400
    assert "A cycle for 9173-10 cannot be opened" in response.json()["detail"]
    assert not Cycle.objects.exists()


def test_the_api_refuses_a_second_cycle_while_one_is_in_progress(api, cycle):
    response = api.post("/api/cycles/open/", {"month": "2026-12-01"}, format="json")
    assert response.status_code == 400
    assert "S&OP 2026-11 is still in progress" in response.json()["detail"]
    assert Cycle.objects.count() == 1


def test_after_a_release_the_api_opens_the_next_month_but_not_an_earlier_one(api, cycle):
    mark_released(cycle)
    earlier = api.post("/api/cycles/open/", {"month": "2026-10-01"}, format="json")
    assert earlier.status_code == 400
    assert "the next one is 2026-12" in earlier.json()["detail"]
    response = api.post("/api/cycles/open/", {"month": "2026-12-01"}, format="json")
    assert response.status_code == 201 and response.json()["month"] == "2026-12-01"


def test_a_month_far_from_the_latest_cycle_is_refused_naming_what_may_be_opened(api, cycle):
    mark_released(cycle)
    far = add_months(month_start(date.today()), 30)
    response = api.post("/api/cycles/open/", {"month": far.isoformat()}, format="json")
    assert response.status_code == 400
    assert "open 2026-12, or a month from" in response.json()["detail"]


def test_the_board_hides_the_open_button_while_a_cycle_is_in_progress(client, manager, cycle):
    client.force_login(manager)
    assert 'id="open-cycle"' not in client.get("/cycles/").content.decode()
    mark_released(cycle)
    body = client.get("/cycles/").content.decode()
    assert 'id="open-cycle"' in body and 'value="2026-12"' in body


def test_the_page_refuses_a_far_month_with_the_same_words(client, manager, company):
    client.force_login(manager)
    response = client.post("/cycles/open/", {"month": "9173-10"}, follow=True)
    assert "A cycle for 9173-10 cannot be opened" in response.content.decode()
    assert not Cycle.objects.exists()
