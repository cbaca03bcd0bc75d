"""A new cycle opens with last month's inputs proposed; their owners confirm them."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from carryforward import selectors, services
from carryforward.models import Proposal
from cycles.models import Cycle
from cycles.stages import Stage
from demand.models import DemandEvent
from sop_planner.errors import NotAllowed
from supply.selectors import family_anchors, supply_inputs_all
from tests.fixtures.carryforward import DECEMBER, JANUARY, NOVEMBER, open_december
from tests.supply.plan_data import put, values

pytestmark = pytest.mark.django_db


def confirm(user, cycle: Cycle, kind: str) -> list[Proposal]:
    return services.proposals_confirm_kind(actor=user, cycle_id=cycle.pk, kind=kind)


def test_a_new_cycle_proposes_last_months_supply_inputs_and_budget(released, users_by_role):
    december = open_december(users_by_role)
    kinds = {(p.kind, p.family_id, p.source_id) for p in selectors.pending(december)}
    assert {kind for kind, _, _ in kinds} == {"supply", "budget", "event"}
    assert {source for _, _, source in kinds} == {released.pk}
    assert values(december, "capacity") == {}, "a proposal is not an input before confirmation"


def test_the_horizon_months_carry_and_the_new_last_month_keeps_the_last_level(
    released, users_by_role, company
):
    december = open_december(users_by_role)
    cells = selectors.proposed_cells(december, "supply", company.families[0].pk)
    anchor = family_anchors()[company.families[0].pk]
    capacity = {m: v for (code, t, m), v in cells.items() if code == "capacity"}
    assert sorted(capacity) == december.horizon()
    assert set(capacity.values()) == {Decimal(100)}
    assert ("capacity", anchor.territory_id, NOVEMBER) not in cells
    budget = selectors.proposed_cells(december, "budget", company.families[0].pk)
    assert max(m for _, _, m in budget) == date(2027, 10, 1), "no budget is invented"


def test_confirming_makes_the_supply_inputs_the_cycles_own(released, users_by_role, company):
    december = open_december(users_by_role, Stage.SUPPLY_PLANNING)
    anchor = family_anchors()[company.families[0].pk]
    put(december, "capacity", anchor.product_id, anchor.territory_id, DECEMBER, 70)  # an edit
    confirmed = confirm(users_by_role[Role.SUPPLY_PLANNER], december, "supply")
    plan_input = supply_inputs_all(december)[company.families[0].pk]
    assert plan_input.capacity == [70.0] + [100.0] * 11, "the planner's own figure is kept"
    assert plan_input.min_production == [10.0] * 12
    assert [p.confirmed_by for p in confirmed] == [users_by_role[Role.SUPPLY_PLANNER]]
    assert not selectors.pending(december).filter(kind="supply").exists()
    event = AuditEvent.objects.get(action="carry.confirm")
    assert event.actor == users_by_role[Role.SUPPLY_PLANNER] and event.cycle_id == december.pk


def test_finance_confirms_the_budget_on_the_day_the_cycle_opens(released, users_by_role):
    december = open_december(users_by_role)
    confirm(users_by_role[Role.FINANCE], december, "budget")
    assert len(values(december, "budget_units")) == 11
    assert set(values(december, "budget_units").values()) == {Decimal(500)}


def test_supply_inputs_wait_for_supply_planning_and_their_planner(released, users_by_role):
    december = open_december(users_by_role)
    with pytest.raises(NotAllowed, match="confirmed in Supply planning; S&OP 2026-12 is in"):
        confirm(users_by_role[Role.SUPPLY_PLANNER], december, "supply")
    Cycle.objects.filter(pk=december.pk).update(stage=Stage.SUPPLY_PLANNING.value)
    with pytest.raises(NotAllowed, match="confirmed by a Supply Planner"):
        confirm(users_by_role[Role.FINANCE], december, "supply")
    assert values(december, "capacity") == {}


def test_nothing_is_proposed_when_no_cycle_was_released(users_by_role, company):
    december = open_december(users_by_role)
    assert not Proposal.objects.filter(cycle=december).exists()
    assert selectors.awaiting(users_by_role[Role.FINANCE], december) == {}


def test_a_running_promotion_is_proposed_and_carried_from_the_new_month(
    released, users_by_role, company
):
    manager = users_by_role[Role.SALES_OPS_MANAGER]
    territories = [t.pk for t in company.territories]
    december = open_december(users_by_role, Stage.DEMAND_PLANNING)
    proposed = selectors.pending(december).filter(kind="event")
    assert [p.event.name for p in proposed] == ["Winter deal"], "an ended promotion stays behind"
    confirm(manager, december, "event")
    copy = DemandEvent.objects.get(cycle=december)
    assert (copy.name, copy.first_month, copy.last_month) == ("Winter deal", DECEMBER, JANUARY)
    assert sorted(copy.territories.values_list("pk", flat=True)) == territories


def test_the_history_tells_who_confirmed_what_in_words(client, released, users_by_role):
    december = open_december(users_by_role)
    confirm(users_by_role[Role.FINANCE], december, "budget")
    client.force_login(users_by_role[Role.SALES_OPS_MANAGER])
    page = client.get(f"/cycles/history/?cycle={december.pk}").content.decode()
    assert "Confirmed what was carried forward from last month" in page
    assert "Proposed last month&#x27;s inputs" in page
