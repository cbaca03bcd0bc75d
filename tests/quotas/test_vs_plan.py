"""Quota vs consensus vs budget per territory in reconciliation; gaps over the threshold
need a decision before the reconciliation gate opens."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import AuditEvent
from cycles.gates import open_items
from quotas import services, vs_plan
from sop_planner.errors import DomainError
from tests.supply.plan_data import put

pytestmark = pytest.mark.django_db


def test_each_territory_shows_quota_plan_and_budget(rec_cycle, company):
    for month in rec_cycle.horizon():
        put(rec_cycle, "budget_revenue", company.products[0], company.territories[0], month, 700)
    rows = {row.territory: row for row in vs_plan.quota_vs_plan(rec_cycle)}
    over = rows[company.territories[0]]
    # quota months in the horizon: 2027-01 .. 2027-10 (ten months)
    assert (over.quota_units, over.plan_units) == (630.0, 800.0)
    assert (over.quota_revenue, over.plan_revenue, over.budget_revenue) == (6300.0, 8000.0, 7000.0)
    assert round(over.gap_pct, 1) == 27.0 and over.needs_decision
    assert not rows[company.territories[1]].needs_decision


def test_the_gate_waits_for_a_decision_then_opens(rec_cycle, company, manager):
    waiting = [text for text in open_items(rec_cycle) if "quota" in text]
    assert waiting == [
        f"No decision on the gap between quota and plan in {company.territories[0]}: "
        "the plan is +27.0% against quota"
    ]
    services.quota_gap_decide(
        actor=manager,
        cycle_id=rec_cycle.pk,
        territory_id=company.territories[0].pk,
        decision="accept_plan",
        comment="New key account signed",
    )
    assert not [text for text in open_items(rec_cycle) if "quota" in text]
    event = AuditEvent.objects.get(action="quota_gap.decide")
    assert event.reason == "New key account signed" and event.cycle_id == rec_cycle.pk


def test_a_decision_needs_a_comment_and_a_real_gap(rec_cycle, company, manager):
    with pytest.raises(DomainError, match="needs a comment"):
        services.quota_gap_decide(
            actor=manager,
            cycle_id=rec_cycle.pk,
            territory_id=company.territories[0].pk,
            decision="adjust",
            comment=" ",
        )
    with pytest.raises(DomainError, match="has no gap between quota and plan"):
        services.quota_gap_decide(
            actor=manager,
            cycle_id=rec_cycle.pk,
            territory_id=company.territories[1].pk,
            decision="adjust",
            comment="x",
        )


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.SALES_OPS_MANAGER])
def test_only_the_manager_decides_quota_gaps_in_the_ui_and_the_api(
    rec_cycle, company, users_by_role, client, role
):
    territory = company.territories[0]
    client.force_login(users_by_role[role])
    page = client.get(reverse("reconciliation:cycle", args=[rec_cycle.pk])).content.decode()
    assert 'id="quota-vs-plan"' in page and 'class="quota-decision"' not in page
    client.post(
        reverse("quotas:gap-decide", args=[rec_cycle.pk, territory.pk]),
        {"decision": "escalate", "comment": "no"},
    )
    api = APIClient()
    api.force_authenticate(users_by_role[role])
    url = f"/api/quotas/vs-plan/{rec_cycle.pk}/{territory.pk}/decision/"
    answer = api.post(url, {"decision": "escalate", "comment": "no"}, format="json")
    assert answer.status_code == 403
    assert not AuditEvent.objects.filter(action="quota_gap.decide").exists()


def test_the_manager_decides_on_the_page_and_through_the_api(rec_cycle, company, manager, client):
    territory = company.territories[0]
    client.force_login(manager)
    page = client.get(reverse("reconciliation:cycle", args=[rec_cycle.pk])).content.decode()
    assert 'class="quota-decision"' in page
    client.post(
        reverse("quotas:gap-decide", args=[rec_cycle.pk, territory.pk]),
        {"decision": "escalate", "comment": "Too far above quota"},
    )
    api = APIClient()
    api.force_authenticate(manager)
    rows = api.get(f"/api/quotas/vs-plan/{rec_cycle.pk}/").json()
    assert [row["decision"] for row in rows if row["territory"] == territory.code] == ["escalate"]
    url = f"/api/quotas/vs-plan/{rec_cycle.pk}/{territory.pk}/decision/"
    answer = api.post(url, {"decision": "adjust", "comment": "Quota to follow"}, format="json")
    assert answer.status_code == 200 and answer.json()["decision"] == "adjust"


def test_an_unknown_cycle_or_territory_is_a_404_in_words(rec_cycle, company, manager):
    api = APIClient()
    api.force_authenticate(manager)
    missing_cycle = api.get("/api/quotas/vs-plan/999999/")
    assert missing_cycle.status_code == 404
    assert missing_cycle.json()["detail"] == "There is no cycle with id 999999."
    body = {"decision": "adjust", "comment": "x"}
    missing = api.post(f"/api/quotas/vs-plan/{rec_cycle.pk}/999999/decision/", body, format="json")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "There is no territory with id 999999."
    gone = api.post(
        f"/api/quotas/vs-plan/999999/{company.territories[0].pk}/decision/", body, format="json"
    )
    assert gone.status_code == 404


def test_quota_gaps_are_decided_only_in_reconciliation(rec_cycle, company, manager):
    from cycles.models import Cycle

    Cycle.objects.filter(pk=rec_cycle.pk).update(stage="supply_planning")
    with pytest.raises(DomainError, match="Supply planning"):
        services.quota_gap_decide(
            actor=manager,
            cycle_id=rec_cycle.pk,
            territory_id=company.territories[0].pk,
            decision="adjust",
            comment="x",
        )


def test_the_preread_shows_quota_vs_plan(rec_cycle, company):
    from reconciliation.templatetags.preread import signoff_preread

    context = signoff_preread({}, rec_cycle)
    assert [row.territory for row in context["quota_rows"]] == company.territories[:2]
