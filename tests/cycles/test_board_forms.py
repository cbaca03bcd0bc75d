"""Every form on the board and the sign-off page is parsed by a Django form: a bad value is
named with what was typed, the typed text comes back in the form, and nothing answers 500."""

import html

import pytest

from cycles.models import Cycle
from cycles.stages import Stage

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_opening_a_cycle_for_a_month_that_is_not_one_names_it_and_keeps_it(client, manager):
    client.force_login(manager)
    response = client.post("/cycles/open/", {"month": "2027-13"}, follow=True)
    body = page(response)
    assert response.status_code == 200
    assert "Month “2027-13”: not a month: write it as YYYY-MM" in body
    assert 'name="month" value="2027-13"' in body
    assert not Cycle.objects.exists()


def test_a_refused_waiver_keeps_the_reason_typed(client, manager, cycle):
    client.force_login(manager)
    reason = "Carpathia sends its figures late every December; agreed with Finance."
    response = client.post(
        f"/cycles/{cycle.pk}/waive/",
        {"stage": cycle.stage, "item": "no-such-item", "reason": reason},
        follow=True,
    )
    body = page(response)
    assert f'<textarea name="reason" rows="2" required>{reason}</textarea>' in body
    assert '<details id="waive" open>' in body


def test_a_reason_longer_than_the_limit_is_refused_naming_the_limit(client, manager, cycle):
    client.force_login(manager)
    response = client.post(
        f"/cycles/{cycle.pk}/send-back/",
        {"stage": cycle.stage, "to": "data_gathering", "reason": "x" * 5001},
        follow=True,
    )
    assert "Ensure this value has at most 5000 characters (it has 5001)." in page(response)


def test_a_due_date_that_is_not_a_date_is_named(client, manager, cycle):
    client.force_login(manager)
    response = client.post(
        f"/cycles/{cycle.pk}/due-date/", {"stage": "data_gathering", "due": "31/12"}, follow=True
    )
    body = page(response)
    assert "Due date “31/12”: Enter a date as YYYY-MM-DD." in body
    assert 'value="31/12"' in body


def test_a_submission_for_a_territory_that_is_not_a_number_is_named(client, planners, cycle, walk):
    walk(cycle, Stage.DEMAND_PLANNING)
    client.force_login(planners[0])
    response = client.post(
        f"/cycles/{cycle.pk}/submit/", {"plan": "demand", "territory": "north"}, follow=True
    )
    assert response.status_code == 200
    assert "Territory “north”: Enter a whole number." in page(response)


def test_demand_submission_asks_for_confirmation_saying_what_happens(
    client, planners, cycle, walk, company
):
    walk(cycle, Stage.DEMAND_PLANNING)
    client.force_login(planners[0])
    body = page(client.get(f"/cycles/?cycle={cycle.pk}"))
    territory = company.territories[0].name
    assert (
        f'class="inline submit-demand-form" data-confirm="Submit the demand plan of {territory}? '
        "Its overrides, promotions and launches are then final for this cycle" in body
    )
    assert "onclick" not in body and "onsubmit" not in body  # the CSP allows no inline handlers


def test_a_sign_off_with_an_unknown_decision_is_named(client, manager, cycle):
    client.force_login(manager)
    response = client.post(f"/cycles/{cycle.pk}/decide/", {"decision": "maybe"}, follow=True)
    assert "Decision “maybe”: Select a valid choice." in page(response)
