"""The gates name what they wait for; waivers hold on to what they waive."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from collaboration.models import Notification
from cycles import gates, services
from cycles.models import Cycle
from cycles.stages import Stage
from sop_planner.errors import DomainError
from tests.fixtures.cycles import load_baseline, load_budget

pytestmark = pytest.mark.django_db


def demand_stage(cycle) -> Cycle:
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.DEMAND_PLANNING)
    cycle.refresh_from_db()
    return cycle


def test_a_territory_cannot_be_submitted_before_its_baseline_is_loaded(cycle, planners, company):
    cycle = demand_stage(cycle)
    territory = company.territories[0]
    with pytest.raises(DomainError, match=f"territory {territory}.*baseline is not loaded"):
        services.plan_submit(
            actor=planners[0], cycle_id=cycle.pk, plan="demand", territory_id=territory.pk
        )
    assert f"Baseline of territory {territory.name} not loaded" in gates.open_items(cycle)[0]
    load_baseline(cycle, territory, company.products[0])
    services.plan_submit(
        actor=planners[0], cycle_id=cycle.pk, plan="demand", territory_id=territory.pk
    )


def test_submitting_before_the_baseline_through_the_page_says_why(
    cycle, planners, company, client
):
    cycle = demand_stage(cycle)
    client.force_login(planners[0])
    body = client.post(
        f"/cycles/{cycle.pk}/submit/",
        {"plan": "demand", "territory": company.territories[0].pk},
        follow=True,
    ).content.decode()
    assert "baseline is not loaded" in body
    assert not gates.current_submissions(cycle, Stage.DEMAND_PLANNING).exists()


def test_a_waiver_by_item_id_survives_renaming_the_territory(cycle, manager, company, client):
    territory = company.territories[3]
    item_id = f"actuals:{territory.pk}"
    api = APIClient()
    api.force_authenticate(manager)
    listed = api.get(f"/api/cycles/{cycle.pk}/").json()
    assert item_id in listed["open_item_ids"]
    response = api.post(
        f"/api/cycles/{cycle.pk}/waive/",
        {"stage": cycle.stage, "item": item_id, "reason": "ERP down"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    territory.name = "Renamed territory"
    territory.save()
    assert not any(territory.name in item for item in gates.open_items(cycle))
    client.force_login(manager)
    board = client.get("/cycles/").content.decode()
    assert "Renamed territory" not in board.split('id="open-items"')[1].split("</ul>")[0]


def test_the_board_lists_the_open_items_in_words(cycle, manager, company, client):
    client.force_login(manager)
    board = client.get("/cycles/").content.decode()
    assert f"Territory {company.territories[0].name} has no actuals for 2026-10" in board


def test_reconciliation_waits_for_the_budget_and_lists_finance(
    cycle, walk, manager, company, users_by_role, client, django_capture_on_commit_callbacks
):
    cycle = walk(cycle, Stage.SUPPLY_PLANNING)
    services.plan_submit(
        actor=users_by_role[Role.SUPPLY_PLANNER], cycle_id=cycle.pk, plan="supply"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage)
    cycle.refresh_from_db()
    finance = users_by_role[Role.FINANCE]
    assert Notification.objects.filter(user=finance, cycle=cycle).exists()
    assert finance in gates.users_to_act(cycle)
    with pytest.raises(DomainError, match="No budget for 2026-11"):
        services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage)
    client.force_login(manager)
    pending = client.get("/cycles/").content.decode().split('id="pending"')[1]
    assert gates.display_name(finance) in pending.split("</article>")[0]
    load_budget(cycle, company.territories[0], company.products[0])
    assert finance not in gates.users_to_act(cycle)


def test_sign_off_is_refused_while_a_gap_is_undecided(cycle, walk, manager, users_by_role):
    from cycles import hooks
    from cycles.hooks import GateItem

    cycle = walk(cycle, Stage.SIGN_OFF)

    @hooks.gate_check(Stage.SIGN_OFF)
    def gap(*, cycle):
        return [GateItem("gap", "f1-m1", "No decision on the gap: Family 1, Dec")]

    try:
        with pytest.raises(DomainError, match=r"cannot be approved yet.*Family 1, Dec"):
            services.cycle_approve(actor=users_by_role[Role.EXECUTIVE], cycle_id=cycle.pk)
    finally:
        hooks._gate_checks[Stage.SIGN_OFF].remove(gap)
    cycle.refresh_from_db()
    assert not cycle.is_released
