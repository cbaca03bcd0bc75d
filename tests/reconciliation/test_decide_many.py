"""Many gaps decided together: one decision and rationale, all written or none."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import AuditEvent
from cycles.stages import Stage
from reconciliation import selectors, services
from reconciliation.models import GapDecision
from sop_planner.errors import DomainError
from tests.supply.plan_data import family_capacity, open_cycle, put_consensus


@pytest.fixture
def short_cycle(company, users_by_role):
    """Family 0 is 20 units short in each of the twelve months: twelve gaps."""
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.RECONCILIATION)
    put_consensus(cycle, company.products[0], company.territories[0], [100] * 12)
    put_consensus(cycle, company.products[1], company.territories[1], [50] * 12)
    family_capacity(cycle, company.families[0], [80] * 12)
    family_capacity(cycle, company.families[1], [80] * 12)
    return cycle


def keys(cycle) -> list[str]:
    return [gap.key for gap in selectors.gaps(cycle)]


def decide_many(actor, cycle, gap_keys, **extra):
    return services.gap_decide_many(
        actor=actor,
        cycle_id=cycle.pk,
        gap_keys=gap_keys,
        decision=extra.get("decision", "adjust_supply"),
        owner_id=extra.get("owner_id", actor.pk),
        rationale=extra.get("rationale", "Saturday shifts all year"),
        expected_impact=extra.get("expected_impact", "+20 units a month"),
    )


def test_twelve_gaps_are_decided_in_one_call(short_cycle, finance):
    assert len(keys(short_cycle)) == 12
    rows = decide_many(finance, short_cycle, keys(short_cycle))
    assert len(rows) == 12
    assert set(GapDecision.objects.values_list("decision", "rationale", "decided_by")) == {
        ("adjust_supply", "Saturday shifts all year", finance.pk)
    }
    assert selectors.undecided_gaps(short_cycle) == []
    assert AuditEvent.objects.filter(action="gap.decide").count() == 12  # one per gap


def test_a_gap_that_is_not_open_decides_none_and_is_named(short_cycle, finance, company):
    other = company.families[1]
    bad = f"shortage:{other.pk}:2027-03"
    with pytest.raises(DomainError) as refused:
        decide_many(finance, short_cycle, [*keys(short_cycle)[:5], bad])
    assert f"the shortage of {other.name} in 2027-03 is not an open gap" in str(refused.value)
    assert refused.value.message.startswith("Nothing was decided")
    assert GapDecision.objects.count() == 0
    assert AuditEvent.objects.filter(action="gap.decide").count() == 0


def test_a_missing_rationale_decides_none(short_cycle, finance):
    with pytest.raises(DomainError, match="needs a rationale"):
        decide_many(finance, short_cycle, keys(short_cycle), rationale="  ")
    assert GapDecision.objects.count() == 0


def test_no_gap_chosen_is_refused_in_words(short_cycle, finance):
    with pytest.raises(DomainError, match="Choose at least one gap"):
        decide_many(finance, short_cycle, [])


def test_decided_gaps_are_revised_and_a_repeated_key_counts_once(short_cycle, finance, manager):
    first = keys(short_cycle)[:3]
    decide_many(finance, short_cycle, first, decision="accept")
    rows = decide_many(manager, short_cycle, [*first, first[0]], decision="escalate")
    assert len(rows) == 3
    assert set(GapDecision.objects.values_list("decision", "decided_by")) == {
        ("escalate", manager.pk)
    }


def test_the_api_decides_many_and_names_a_bad_gap(short_cycle, finance, company):
    api = APIClient()
    api.force_authenticate(finance)
    url = f"/api/plan/cycles/{short_cycle.pk}/gaps/decide-many/"
    body = {
        "gap_keys": [*keys(short_cycle)[:4], "revenue:999:2027-01"],
        "decision": "accept",
        "owner": finance.pk,
        "rationale": "Customers wait",
        "expected_impact": "none",
    }
    refused = api.post(url, body, format="json")
    assert refused.status_code == 400
    assert "'revenue:999:2027-01' is not an open gap" in refused.content.decode()
    assert GapDecision.objects.count() == 0
    body["gap_keys"] = keys(short_cycle)
    answer = api.post(url, body, format="json")
    assert answer.status_code == 200
    assert sorted(row["gap_key"] for row in answer.json()) == sorted(keys(short_cycle))


def test_the_schema_documents_the_bulk_decision(client, finance):
    client.force_login(finance)
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/plan/cycles/{id}/gaps/decide-many/"]["post"]
    assert "all or none" in operation["summary"]
    assert "gap_keys" in schema["components"]["schemas"]["GapDecideManyInput"]["properties"]


def test_the_page_decides_the_ticked_gaps_and_keeps_them_ticked_when_refused(
    client, short_cycle, finance
):
    client.force_login(finance)
    ticked = keys(short_cycle)[:7]
    url = f"/reconciliation/{short_cycle.pk}/decide/"
    form = {"gap_key": ticked, "decision": "accept", "owner": finance.pk, "rationale": "x"}
    page = client.post(url, {**form, "expected_impact": ""}).content.decode()
    assert "A decision needs a rationale and its expected impact." in page
    assert page.count(" checked>") == 7  # the ticked gaps stay ticked
    assert GapDecision.objects.count() == 0
    done = client.post(url, {**form, "expected_impact": "late"}, follow=True).content.decode()
    assert "Decision recorded for 7 gap(s): Accept." in done
    assert GapDecision.objects.count() == 7


def test_the_gap_list_names_family_region_month_and_sizes_each_gap(
    client, short_cycle, company, finance
):
    client.force_login(finance)
    gaps = client.get(f"/api/plan/cycles/{short_cycle.pk}/reconciliation/").json()["gaps"]
    first = gaps[0]
    price = float(company.products[0].unit_price)
    assert (first["family"], first["regions"], first["month"]) == (
        company.families[0].name,
        [company.regions[0].name],
        "2026-11",
    )
    assert first["units"] == pytest.approx(20)
    assert first["revenue"] == pytest.approx(20 * price)
    assert first["percent_of_plan"] == pytest.approx(20.0)
    page = client.get(f"/reconciliation/{short_cycle.pk}/").content.decode()
    assert page.count('<tr class="gap"') == 12
    assert "Total of 12 gap(s)" in page
