"""Scenario changes of demand reach the plan through demand's own services.

A promotion taken out is compared from demand's own computation of the event's
share, and promoting it withdraws the event in demand; a demand percentage is
promoted as a demand override (reason "other", scenario named), so demand's
rollup and forecast-value-added records stay right.
"""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import PERMISSIONS, Role
from audit.models import AuditEvent
from cycles.models import Cycle
from cycles.stages import Stage
from demand.events import event_save
from demand.models import DemandEvent, Override, PlanRollup
from reconciliation import selectors, services
from reconciliation.models import ScenarioChange
from sop_planner.errors import DomainError, NotAllowed
from tests.supply.plan_data import family_capacity, open_cycle, put, values

JAN = date(2027, 1, 1)
PRICE = 10  # every product of the test company sells at 10


@pytest.fixture
def promo(company, manager):
    """A 20% promotion on product 2 in territory 2 in January, planned in demand planning."""
    cycle = open_cycle(manager, Stage.DEMAND_PLANNING)
    product, territory = company.products[1], company.territories[1]
    for month in cycle.horizon():
        put(cycle, "baseline", product, territory, month, 50)
        put(cycle, "consensus", product, territory, month, 50)
    for family in company.families:
        family_capacity(cycle, family, [200] * 12)
    event = DemandEvent(
        kind="promotion", name="Winter promo", product=product, first_month=JAN, last_month=JAN
    )
    event.uplift_percent = Decimal(20)
    event_save(actor=manager, cycle_id=cycle.pk, event=event, territory_ids=[territory.pk])
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.RECONCILIATION.value)
    return event


def cell(company, month=JAN):
    return (company.products[1].pk, company.territories[1].pk, month)


def removal(actor, event, name="No promo"):
    made = services.scenario_create(actor=actor, cycle_id=event.cycle_id, name=name)
    services.scenario_promotion_removal_add(actor=actor, scenario_id=made.pk, event_id=event.pk)
    return made


def test_a_removed_promotion_is_compared_without_touching_the_plan(promo, company, manager):
    cycle = promo.cycle
    assert values(cycle, "consensus")[cell(company)] == Decimal(60)
    before = {m: values(cycle, m) for m in ("consensus", "events")}
    made = removal(manager, promo)
    base, without = selectors.scenarios_compare(cycle, [made.pk])
    assert without[0] == "No promo"
    assert without[1].demand == pytest.approx(base[1].demand - 10)
    assert without[1].revenue == pytest.approx(base[1].revenue - 10 * PRICE)
    assert {m: values(cycle, m) for m in before} == before
    assert DemandEvent.objects.filter(pk=promo.pk).exists()


def test_promoting_a_removed_promotion_withdraws_it_in_demand(promo, company, manager):
    cycle = promo.cycle
    made = removal(manager, promo)
    services.scenario_promote(actor=manager, scenario_id=made.pk, reason="Retailer cancelled")
    assert not DemandEvent.objects.filter(pk=promo.pk).exists()
    assert values(cycle, "consensus")[cell(company)] == Decimal(50)
    assert sum(values(cycle, "events").values()) == 0
    rollup = PlanRollup.objects.get(
        cycle=cycle, measure="consensus", territory=company.territories[1], month=JAN
    )
    assert rollup.units == Decimal(50)
    withdrawn = AuditEvent.objects.get(action="demand.event_delete")
    assert withdrawn.reason == "Scenario 'No promo': Retailer cancelled"
    change = made.changes.get()
    assert change.event is None and str(change) == "Promotion removed: Winter promo"


def test_only_a_promotion_of_the_cycle_can_be_taken_out(promo, company, manager):
    made = services.scenario_create(actor=manager, cycle_id=promo.cycle_id, name="Odd")
    with pytest.raises(DomainError, match="has no promotion with id 0"):
        services.scenario_promotion_removal_add(actor=manager, scenario_id=made.pk, event_id=0)
    services.scenario_promotion_removal_add(actor=manager, scenario_id=made.pk, event_id=promo.pk)
    with pytest.raises(DomainError, match="already removes 'Winter promo'"):
        services.scenario_promotion_removal_add(
            actor=manager, scenario_id=made.pk, event_id=promo.pk
        )
    assert made.changes.count() == 1


def test_a_demand_change_is_promoted_as_a_demand_override(promo, company, manager):
    cycle = promo.cycle
    made = services.scenario_create(actor=manager, cycle_id=cycle.pk, name="Upside")
    services.scenario_change_add(
        actor=manager,
        scenario_id=made.pk,
        kind="demand",
        family_id=company.products[1].family_id,
        month_from=JAN,
        month_to=JAN,
        percent=10,
    )
    services.scenario_promote(actor=manager, scenario_id=made.pk, reason="Agreed")
    assert values(cycle, "consensus")[cell(company)] == Decimal(66)
    promoted = values(cycle, "events")[cell(company)]
    assert values(cycle, "override")[cell(company)] == Decimal(66) - promoted  # pre-event figure
    override = Override.objects.get(cycle=cycle)
    assert override.reason.code == "other"
    assert override.comment == "Scenario 'Upside': Agreed"
    assert (override.total_before, override.total_after) == (Decimal(60), Decimal(66))
    assert [(c.before, c.after) for c in override.cells.all()] == [(Decimal(60), Decimal(66))]
    rollup = PlanRollup.objects.get(
        cycle=cycle, measure="consensus", territory=company.territories[1], month=JAN
    )
    assert rollup.units == Decimal(66)


def test_a_promotion_is_taken_out_and_promoted_through_the_api(promo, company, client, manager):
    client.force_login(manager)
    cycle = promo.cycle
    made = services.scenario_create(actor=manager, cycle_id=cycle.pk, name="Api")
    url = f"/api/plan/scenarios/{made.pk}/changes/"
    answer = client.post(url, {"kind": "no_promo", "event": 0}, content_type="application/json")
    assert answer.status_code == 400 and "no promotion with id 0" in answer.content.decode()
    answer = client.post(
        url, {"kind": "no_promo", "event": promo.pk}, content_type="application/json"
    )
    assert answer.status_code == 201
    assert answer.json()["event_name"] == "Winter promo"
    columns = client.get(f"/api/plan/cycles/{cycle.pk}/scenarios/compare/?ids={made.pk}").json()
    assert columns[1]["revenue"] == pytest.approx(columns[0]["revenue"] - 10 * PRICE)
    answer = client.post(
        f"/api/plan/scenarios/{made.pk}/promote/",
        {"reason": "Dropped"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert values(cycle, "consensus")[cell(company)] == Decimal(50)


def test_the_scenario_page_takes_a_promotion_out(promo, client, manager):
    client.force_login(manager)
    cycle = promo.cycle
    made = services.scenario_create(actor=manager, cycle_id=cycle.pk, name="Page")
    page = client.get(f"/reconciliation/{cycle.pk}/scenarios/").content.decode()
    assert "Take this promotion out" in page and "Winter promo (2027-01)" in page
    client.post(f"/reconciliation/scenario/{made.pk}/remove-promotion/", {"event": promo.pk})
    page = client.get(f"/reconciliation/{cycle.pk}/scenarios/").content.decode()
    assert "Promotion removed: Winter promo, 2027-01" in page
    assert made.changes.get().kind == ScenarioChange.Kind.NO_PROMO


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_who_may_take_a_promotion_out_through_service_and_page(
    role, promo, users_by_role, client, manager
):
    made = services.scenario_create(actor=manager, cycle_id=promo.cycle_id, name="Matrix")
    user, may = users_by_role[role], role in PERMISSIONS["scenario.edit"]
    try:
        services.scenario_promotion_removal_add(actor=user, scenario_id=made.pk, event_id=promo.pk)
    except NotAllowed:
        assert not may
    else:
        assert may
    assert made.changes.count() == (1 if may else 0)
    made.changes.all().delete()
    client.force_login(user)
    client.post(f"/reconciliation/scenario/{made.pk}/remove-promotion/", {"event": promo.pk})
    assert made.changes.count() == (1 if may else 0)
