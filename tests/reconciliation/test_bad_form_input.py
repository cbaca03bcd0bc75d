"""Reconciliation forms name a bad field instead of answering 500, and save nothing."""

import html

import pytest
from rest_framework.test import APIClient

from cycles.models import PlanValue
from reconciliation.models import GapDecision, Scenario, ScenarioChange

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


def test_an_expected_impact_over_its_limit_is_refused_with_it_not_cut(
    rec_cycle, company, client, finance
):
    client.force_login(finance)
    key = f"shortage:{company.families[0].pk}:2027-01"
    impact = "Lost sales in Carpathia " * 20
    response = client.post(
        f"/reconciliation/{rec_cycle.pk}/decide/",
        {
            "gap_key": key,
            "decision": "accept",
            "owner": finance.pk,
            "rationale": "Known",
            "expected_impact": impact,
        },
    )
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert f"Ensure this value has at most 300 characters (it has {len(impact)})." in body
    assert not GapDecision.objects.exists()


def test_the_api_refuses_an_expected_impact_over_its_limit(rec_cycle, company, finance):
    api = APIClient()
    api.force_authenticate(finance)
    key = f"shortage:{company.families[0].pk}:2027-01"
    answer = api.post(
        f"/api/plan/cycles/{rec_cycle.pk}/gaps/decide/",
        {
            "gap_key": key,
            "decision": "accept",
            "owner": finance.pk,
            "rationale": "Known",
            "expected_impact": "x" * 301,
        },
        format="json",
    )
    assert answer.status_code == 400
    assert "at most 300 characters (this one has 301)" in answer.json()["detail"]
    assert not GapDecision.objects.exists()


def test_a_scenario_change_for_a_family_that_is_not_a_number_is_named(rec_cycle, client, manager):
    scenario = Scenario.objects.create(cycle=rec_cycle, name="Squeeze", created_by=manager)
    client.force_login(manager)
    response = client.post(
        f"/reconciliation/scenario/{scenario.pk}/change/",
        {
            "kind": "capacity",
            "family": "snacks",
            "month_from": "2027-01",
            "month_to": "2027-13",
            "percent": "-10",
        },
        follow=True,
    )
    body = html.unescape(response.content.decode())
    assert "Family “snacks”: Enter a whole number." in body  # not silently all families
    assert "To “2027-13”: not a month: write it as YYYY-MM" in body
    assert not ScenarioChange.objects.exists()


def test_a_scenario_name_over_its_limit_is_refused_with_it_and_kept(rec_cycle, client, manager):
    client.force_login(manager)
    name = "Capacity squeeze " * 7
    response = client.post(
        f"/reconciliation/{rec_cycle.pk}/scenarios/new/",
        {"name": name, "description": "May to July"},
        follow=True,
    )
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert f"Ensure this value has at most 100 characters (it has {len(name.strip())})." in body
    assert f'value="{name}"' in body and 'value="May to July"' in body
    assert not Scenario.objects.exists()


def test_a_budget_typed_with_thousands_separators_is_saved_as_written(
    rec_cycle, company, client, finance
):
    client.force_login(finance)
    family, territory = company.families[0], company.territories[2]
    name = f"budget_revenue__{territory.pk}__2027-01"
    response = client.post(
        f"/reconciliation/{rec_cycle.pk}/budget/{family.pk}/", {name: "16,543"}, follow=True
    )
    assert "1 budget figure(s) saved." in response.content.decode()
    assert PlanValue.objects.filter(
        measure="budget_revenue", territory=territory, value=16543, valid_to_seq=None
    ).exists()


def test_a_refused_budget_grid_comes_back_with_every_typed_figure(
    rec_cycle, company, client, finance
):
    client.force_login(finance)
    family, territory = company.families[0], company.territories[2]
    units = f"budget_units__{territory.pk}__2027-01"
    revenue = f"budget_revenue__{territory.pk}__2027-02"
    response = client.post(
        f"/reconciliation/{rec_cycle.pk}/budget/{family.pk}/",
        {units: "1,250", revenue: "16,5"},
        follow=True,
    )
    body = html.unescape(response.content.decode())
    assert "'16,5' is not a number written with a decimal point, comma for thousands" in body
    assert f"Nothing was saved. {territory.name}, budget revenue, 2027-02: " in body
    assert f'name="{units}" value="1,250"' in body and f'name="{revenue}" value="16,5"' in body
    assert not PlanValue.objects.filter(measure="budget_units").exists()


def test_a_refused_scenario_change_comes_back_typed_in_that_scenarios_form_only(
    rec_cycle, client, manager, company
):
    squeeze = Scenario.objects.create(cycle=rec_cycle, name="Squeeze", created_by=manager)
    Scenario.objects.create(cycle=rec_cycle, name="Price up", created_by=manager)
    family = company.families[1]
    client.force_login(manager)
    typed = {"kind": "capacity", "family": family.pk, "month_from": "2027-02"}
    response = client.post(
        f"/reconciliation/scenario/{squeeze.pk}/change/",
        {**typed, "scenario": squeeze.pk, "month_to": "2027-04", "percent": "ten"},
        follow=True,
    )
    body = html.unescape(response.content.decode())
    assert 'required value="ten"' in body and body.count('value="ten"') == 1
    assert f'<option value="{family.pk}" selected>' in body
    assert (
        "<option selected>2027-02</option>" in body and "<option selected>2027-04</option>" in body
    )
    assert "<details open><summary>Change Squeeze</summary>" in body
    assert "<details><summary>Change Price up</summary>" in body
    assert not ScenarioChange.objects.exists()


def test_a_refused_promotion_keeps_its_reason(rec_cycle, client, manager):
    squeeze = Scenario.objects.create(cycle=rec_cycle, name="Squeeze", created_by=manager)
    client.force_login(manager)
    reason = "Capacity agreed with the plant." * 170  # over the 5,000 characters a reason takes
    response = client.post(
        f"/reconciliation/scenario/{squeeze.pk}/promote/",
        {"scenario": squeeze.pk, "reason": reason},
        follow=True,
    )
    body = html.unescape(response.content.decode())
    assert "at most 5000 characters" in body and f'value="{reason}"' in body
    assert Scenario.objects.get(pk=squeeze.pk).promoted_at is None
