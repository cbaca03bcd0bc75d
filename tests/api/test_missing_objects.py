"""An id in the URL that names nothing is a 404 in words (it was a 400: a bad request)."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role

pytestmark = pytest.mark.django_db

MISSING = 999999
NO_CYCLE = f"There is no cycle with id {MISSING}."


def _first_territory(company) -> dict:
    return {"territory": company.territories[0].pk}


# (role, method, url, body from the company, the words)
ASKED = [
    (Role.DEMAND_PLANNER, "get", f"/api/demand/cycles/{MISSING}/grid/", None, NO_CYCLE),
    (Role.DEMAND_PLANNER, "get", f"/api/demand/cycles/{MISSING}/overrides/", None, NO_CYCLE),
    (Role.DEMAND_PLANNER, "get", f"/api/demand/cycles/{MISSING}/events/", None, NO_CYCLE),
    (
        Role.DEMAND_PLANNER,
        "post",
        f"/api/demand/cycles/{MISSING}/submit/",
        _first_territory,
        NO_CYCLE,
    ),
    (Role.SALES_OPS_ANALYST, "post", f"/api/demand/cycles/{MISSING}/baseline/", None, NO_CYCLE),
    (
        Role.SALES_OPS_MANAGER,
        "post",
        f"/api/quotas/{MISSING}/approve/",
        None,
        f"There are no quotas with id {MISSING}.",
    ),
    (
        Role.SALES_OPS_MANAGER,
        "post",
        f"/api/quotas/{MISSING}/new-version/",
        None,
        f"There are no quotas with id {MISSING}.",
    ),
    (
        Role.SALES_OPS_MANAGER,
        "delete",
        f"/api/demand/events/{MISSING}/",
        None,
        f"There is no event with id {MISSING}.",
    ),
    (
        Role.SALES_OPS_MANAGER,
        "post",
        f"/api/plan/scenarios/{MISSING}/promote/",
        lambda company: {"reason": "Go with it"},
        f"There is no scenario with id {MISSING}.",
    ),
    (
        Role.SALES_OPS_ANALYST,
        "post",
        f"/api/forecast-runs/{MISSING}/cancel/",
        None,
        f"There is no forecast run {MISSING}.",
    ),
    (
        Role.SALES_OPS_ANALYST,
        "post",
        f"/api/imports/{MISSING}/commit",
        None,
        f"There is no upload #{MISSING}.",
    ),
]


@pytest.mark.parametrize(
    ("role", "method", "url", "body", "words"), ASKED, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_an_id_that_names_nothing_is_a_404_in_words(
    role, method, url, body, words, company, users_by_role
):
    api = APIClient()
    api.force_authenticate(users_by_role[role])
    data = body(company) if body else {}
    answer = api.get(url) if method == "get" else getattr(api, method)(url, data, format="json")
    assert (answer.status_code, answer.json()) == (404, {"detail": words})
