"""The read-only reassessment API returns what the pages show."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from reassessment.services import scores_recompute

FEB = date(2026, 2, 1)


@pytest.fixture
def api(book, user_with_role):
    c = book.company
    t0 = c.territories[0]
    book.released_cycle(
        date(2026, 1, 1),
        consensus={(p, t0, FEB): 110 for p in c.products[:2]},
    )
    book.actuals({(p, t0, FEB): 100 for p in c.products[:2]})
    scores_recompute()
    client = APIClient()
    client.force_authenticate(user_with_role(Role.DEMAND_PLANNER))
    return client


def test_accuracy_lists_the_scores_of_a_lag_and_level(api, book):
    rows = api.get("/api/reassessment/accuracy/", {"lag": 1, "level": "family"}).json()
    assert [row["key"] for row in rows] == sorted({p.family_id for p in book.company.products[:2]})
    assert all(row["wape"] == pytest.approx(10.0) for row in rows)


def test_fva_returns_waterfall_rankings_and_trend(api):
    body = api.get("/api/reassessment/fva/", {"lag": 1}).json()
    assert body["waterfall"][-1]["label"] == "Final released plan"
    assert body["trend"][0]["final_wape"] == pytest.approx(10.0)
    assert body["planners"] == [] and body["min_cells"] == 30


def test_another_lag_has_nothing_yet(api):
    assert api.get("/api/reassessment/accuracy/", {"lag": 3}).json() == []
