"""Reconciliation forms name a bad field instead of answering 500, and save nothing."""

import pytest

from cycles.models import PlanValue
from reconciliation.models import GapDecision

pytestmark = pytest.mark.django_db


def test_a_gap_decision_with_an_owner_that_is_not_a_person_names_the_owner(
    rec_cycle, client, finance
):
    client.force_login(finance)
    response = client.post(
        f"/reconciliation/{rec_cycle.pk}/decide/",
        {"gap_key": "x", "decision": "accept", "owner": "abc", "rationale": "r"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Owner “abc”: Enter a whole number." in response.content.decode()
    assert not GapDecision.objects.exists()


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
