"""Garbled or unknown query parameters on the cycle pages: a clear message, never a 500.

A version that does not exist is named in the answer, never read as the plan
as it stands.
"""

import pytest
from rest_framework.test import APIClient

from cycles.stages import Stage
from exports.models import ExportJob
from tests.fixtures.cycles import baseline_from_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(cycle, walk, company, manager):
    """The cycle in demand planning: one version (#1, its loaded baseline)."""
    return baseline_from_run(walk(cycle, Stage.DEMAND_PLANNING), company, manager)


def test_a_board_asked_for_a_garbled_cycle_says_so_and_shows_the_current_one(
    client, manager, cycle
):
    client.force_login(manager)
    response = client.get("/cycles/?cycle=abc")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ignored cycle “abc”: not a cycle number." in body
    assert '<h1 id="cycle-title">S&amp;OP 2026-11</h1>' in body


def test_history_notes_the_filters_it_ignored(client, manager, cycle):
    client.force_login(manager)
    response = client.get("/cycles/history/?cycle=abc&territory=x1&product=-3&stage=later")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ignored cycle “abc”: not a cycle number." in body
    assert "Ignored territory “x1”: not a territory number." in body
    assert "Ignored product “-3”: not a product number." in body
    assert "Ignored stage “later”: there is no such stage." in body
    assert "cycle.open" in body  # the trail is shown unfiltered


@pytest.mark.parametrize("query", ["a=99&b=now", "a=abc&b=now", "a=1&b=7", "a=-1"])
def test_comparing_with_a_version_that_does_not_exist_names_it(client, manager, moved, query):
    client.force_login(manager)
    response = client.get(f"/cycles/{moved.pk}/compare/?{query}")
    body = response.content.decode()
    assert response.status_code == 404
    missing = next(v for k, v in (p.split("=") for p in query.split("&")) if v not in {"1", "now"})
    assert f"S&amp;OP 2026-11 has no version {missing}." in body
    assert "No differences" not in body and "changed figure" not in body


def test_a_version_that_does_not_exist_does_not_download(client, manager, moved, built_csv):
    client.force_login(manager)
    response = client.post(f"/cycles/{moved.pk}/versions/99.csv")
    assert response.status_code == 404
    assert "has no version 99." in response.content.decode()
    assert not ExportJob.objects.exists()
    assert built_csv(client, moved.pk, 1).startswith("measure,sku,")
    assert built_csv(client, moved.pk, "now").startswith("measure,sku,")


def test_the_api_refuses_to_compare_with_a_version_that_does_not_exist(manager, moved):
    api = APIClient()
    api.force_authenticate(manager)
    response = api.get(f"/api/cycles/{moved.pk}/compare/?a=99&b=now")
    assert response.status_code == 400
    assert "has no version 99" in response.json()["detail"]
    assert api.get(f"/api/cycles/{moved.pk}/compare/?a=1&b=now").status_code == 200
