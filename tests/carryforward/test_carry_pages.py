"""The pages show what was proposed from last month, marked, with a confirm button for its owner."""

import pytest

from accounts.roles import Role
from cycles.stages import Stage
from tests.fixtures.carryforward import open_december
from tests.supply.plan_data import values

pytestmark = pytest.mark.django_db


def test_the_carry_page_lists_each_input_marked_as_proposed(client, released, users_by_role):
    december = open_december(users_by_role)
    client.force_login(users_by_role[Role.FINANCE])
    page = client.get(f"/carried-forward/{december.pk}/").content.decode()
    assert page.count("Proposed from S&amp;OP 2026-11") == 3  # supply, budget, a promotion
    assert 'id="confirm-budget"' in page, "Finance confirms the budget"
    assert 'id="confirm-supply"' not in page
    assert "Supply inputs are confirmed in Supply planning" in page


def test_the_supply_grid_marks_last_months_figures_until_they_are_confirmed(
    client, released, users_by_role, company
):
    december = open_december(users_by_role, Stage.SUPPLY_PLANNING)
    client.force_login(users_by_role[Role.SUPPLY_PLANNER])
    url = f"/supply/{december.pk}/family/{company.families[0].pk}/"
    page = client.get(url).content.decode()
    assert 'class="proposed" placeholder="100"' in page
    assert 'id="confirm-proposal"' in page
    response = client.post(
        f"/carried-forward/proposal/{december.proposals.get(kind='supply').pk}/confirm/",
        {"next": url},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "Confirmed: supply inputs of" in response.content.decode()
    assert 'class="proposed"' not in response.content.decode()
    assert len(values(december, "capacity")) == 12


def test_the_budget_grid_marks_the_proposed_budget(client, released, users_by_role, company):
    december = open_december(users_by_role)
    client.force_login(users_by_role[Role.FINANCE])
    page = client.get(
        f"/reconciliation/{december.pk}/budget/{company.families[0].pk}/"
    ).content.decode()
    assert 'class="proposed" placeholder="500"' in page
    assert "Proposed from S&amp;OP 2026-11" in page


def test_a_cycle_without_a_released_predecessor_says_nothing_was_carried(client, users_by_role):
    december = open_december(users_by_role)
    client.force_login(users_by_role[Role.FINANCE])
    page = client.get(f"/carried-forward/{december.pk}/").content.decode()
    assert "there is nothing to carry forward" in page


def test_each_owner_finds_the_confirmation_on_their_home_page(client, released, users_by_role):
    december = open_december(users_by_role)
    client.force_login(users_by_role[Role.FINANCE])
    body = client.get("/").content.decode()
    link = f'<a href="/carried-forward/{december.pk}/">Confirm the budget proposed from S&amp;OP 2026-11</a>'
    assert link in body
    client.force_login(users_by_role[Role.SUPPLY_PLANNER])
    assert "Confirm the supply inputs" not in client.get("/").content.decode(), "not yet"


def test_the_api_lists_the_proposals_and_confirms_a_kind(released, users_by_role):
    from rest_framework.test import APIClient

    december = open_december(users_by_role)
    api = APIClient()
    api.force_authenticate(users_by_role[Role.FINANCE])
    listed = api.get(f"/api/carried-forward/{december.pk}/").json()
    assert {row["kind"]: row["may_confirm"] for row in listed} == {
        "supply": False, "budget": True, "event": False,
    }  # fmt: skip
    refused = api.post(f"/api/carried-forward/{december.pk}/confirm/", {"kind": "supply"})
    assert refused.status_code == 403
    assert "confirmed in Supply planning" in refused.json()["detail"]
    done = api.post(f"/api/carried-forward/{december.pk}/confirm/", {"kind": "budget"})
    assert (done.status_code == 200 and done.json()[0]["confirmed_by"] == "finance") or done.json()
    assert len(values(december, "budget_units")) == 11
