"""Reconciliation forms name a bad field instead of answering 500, and save nothing."""

import pytest

from cycles.models import PlanValue
from reconciliation.models import GapDecision

pytestmark = pytest.mark.django_db


def test_a_gap_decision_with_an_owner_that_is_not_a_person_names_the_owner_and_keeps_the_text(
    rec_cycle, company, client, finance
):
    client.force_login(finance)
    key = f"shortage:{company.families[0].pk}:2027-01"
    response = client.post(
        f"/reconciliation/{rec_cycle.pk}/decide/",
        {"gap_key": key, "decision": "escalate", "owner": "abc", "rationale": "Late ship"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Owner “abc”: Enter a whole number." in body
    assert 'value="Late ship"' in body and '<option value="escalate" selected>' in body
    assert not GapDecision.objects.exists()


def test_a_refused_gap_decision_keeps_what_the_user_typed(rec_cycle, company, client, finance):
    client.force_login(finance)
    key = f"shortage:{company.families[0].pk}:2027-01"
    response = client.post(
        f"/reconciliation/{rec_cycle.pk}/decide/",
        {"gap_key": key, "decision": "accept", "owner": finance.pk, "rationale": "Half typed"},
    )
    body = response.content.decode()
    assert "A decision needs a rationale and its expected impact." in body
    assert 'value="Half typed"' in body


def test_a_budget_save_with_a_garbled_row_version_is_refused_and_saves_nothing(
    rec_cycle, company, client, finance
):
    client.force_login(finance)
    family, territory = company.families[0], company.territories[2]
    name = f"budget_revenue__{territory.pk}__2027-01"
    response = client.post(
        f"/reconciliation/{rec_cycle.pk}/budget/{family.pk}/",
        {name: "900", f"v__{name}": "abc"},
        follow=True,
    )
    assert response.status_code == 400  # a hidden field no one types: the page says why
    assert f"Field v__{name} holds “abc”" in response.content.decode()
    assert not PlanValue.objects.filter(measure="budget_revenue", value=900).exists()
