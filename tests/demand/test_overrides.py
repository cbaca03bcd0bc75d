"""Overrides at any level: spread by the baseline, exact totals, reasons, scope, conflicts."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from cycles import services as cycle_services
from cycles.models import PlanValue
from cycles.stages import Stage
from demand.models import Override
from demand.services import (
    submission_reopen,
)
from sop_planner.errors import Conflict, DomainError, NotAllowed
from tests.fixtures.demand import consensus, edit, versions

pytestmark = pytest.mark.django_db


def test_a_family_total_in_a_territory_is_spread_to_its_skus_by_the_baseline(
    demand_cycle, planners, company
):
    family, territory = company.families[0], company.territories[0]
    override = edit(planners[0], demand_cycle, {"family": family.pk, "territory": territory.pk})
    month = dict(month=demand_cycle.month, territory=territory)
    assert consensus(demand_cycle, product__family=family, **month) == Decimal(600)
    by_sku = dict(
        PlanValue.objects.filter(
            cycle=demand_cycle, measure="consensus", valid_to_seq=None, product__family=family
        )
        .filter(**month)
        .values_list("product__sku", "value")
    )
    assert sorted(by_sku.values()) == [Decimal(100), Decimal(200), Decimal(300)]
    assert override.cell_count == 3 and override.reason.code == "promotion"
    assert override.total_before == Decimal(60) and override.total_after == Decimal(600)
    audit = AuditEvent.objects.get(action="demand.override")
    assert audit.reason == "Promotion: Spring promo" and audit.actor == planners[0]


def test_percent_over_a_month_range_scales_each_month(demand_cycle, manager, company):
    months = demand_cycle.horizon()[3:6]
    before = consensus(demand_cycle, month__in=months)
    edit(manager, demand_cycle, {}, mode="percent", value=5, months=months)
    assert consensus(demand_cycle, month__in=months) == (before * Decimal("1.05")).quantize(1)
    assert consensus(demand_cycle, month=demand_cycle.month) == before / 3


def test_reapplying_the_same_total_changes_nothing(demand_cycle, manager, company):
    filters = {"region": company.regions[0].pk}
    edit(manager, demand_cycle, filters, value=1001)
    seen = versions(demand_cycle, filters, [demand_cycle.month])
    second = edit(manager, demand_cycle, filters, value=1001)
    assert second.cell_count == 0
    assert versions(demand_cycle, filters, [demand_cycle.month]) == seen


def test_every_override_needs_a_known_reason_code(demand_cycle, manager):
    with pytest.raises(DomainError, match="needs a reason code"):
        edit(manager, demand_cycle, {}, reason="because")
    assert not Override.objects.exists()


def test_a_stale_edit_is_refused_with_the_current_value(demand_cycle, planners, company):
    filters = {"territory": company.territories[0].pk}
    seen = versions(demand_cycle, filters, [demand_cycle.month])
    edit(planners[0], demand_cycle, filters, value=500, expected=seen)
    with pytest.raises(Conflict) as refused:
        edit(planners[0], demand_cycle, filters, value=700, expected=seen)
    assert refused.value.items == [f"{demand_cycle.month:%Y-%m}: now 500"]
    assert consensus(demand_cycle, month=demand_cycle.month, **{"territory": filters["territory"]})
    assert Override.objects.count() == 1


def test_a_planner_may_not_edit_a_level_with_another_territory(demand_cycle, planners, company):
    with pytest.raises(NotAllowed, match="only for the territories you plan"):
        edit(planners[0], demand_cycle, {"region": company.regions[0].pk})
    with pytest.raises(NotAllowed):
        edit(planners[0], demand_cycle, {"territory": company.territories[2].pk})


@pytest.mark.parametrize(
    "role", [Role.SUPPLY_PLANNER, Role.FINANCE, Role.EXECUTIVE, Role.SALES_PLANNING_SPECIALIST]
)
def test_readers_may_not_override(demand_cycle, users_by_role, role):
    with pytest.raises(NotAllowed):
        edit(users_by_role[role], demand_cycle, {})


def test_a_submitted_territory_is_read_only_until_the_owner_reopens_it(
    demand_cycle, planners, manager, company
):
    territory = company.territories[0]
    cycle_services.plan_submit(
        actor=planners[0], cycle_id=demand_cycle.pk, plan="demand", territory_id=territory.pk
    )
    with pytest.raises(NotAllowed, match="submitted"):
        edit(planners[0], demand_cycle, {"territory": territory.pk})
    with pytest.raises(NotAllowed):
        submission_reopen(
            actor=planners[0], cycle_id=demand_cycle.pk, territory_id=territory.pk, reason="x"
        )
    submission_reopen(
        actor=manager, cycle_id=demand_cycle.pk, territory_id=territory.pk, reason="New deal"
    )
    assert AuditEvent.objects.filter(action="demand.reopen", reason="New deal").exists()
    edit(planners[0], demand_cycle, {"territory": territory.pk})


def test_demand_is_frozen_once_the_cycle_leaves_demand_planning(
    demand_cycle, planners, manager, company
):
    for planner, territory in zip(planners, company.territories, strict=True):
        cycle_services.plan_submit(
            actor=planner, cycle_id=demand_cycle.pk, plan="demand", territory_id=territory.pk
        )
    cycle_services.cycle_advance(
        actor=manager, cycle_id=demand_cycle.pk, stage=Stage.DEMAND_PLANNING
    )
    demand_cycle.refresh_from_db()
    with pytest.raises(NotAllowed, match="frozen"):
        edit(manager, demand_cycle, {}, expected={"2026-11": 0})


def test_a_cut_larger_than_the_total_is_refused_and_changes_nothing(demand_cycle, manager):
    before = consensus(demand_cycle)
    with pytest.raises(DomainError, match="negative"):
        edit(manager, demand_cycle, {}, mode="add", value=-1_000_000)
    assert consensus(demand_cycle) == before


def test_a_figure_too_large_to_store_is_refused_and_changes_nothing(demand_cycle, manager):
    before = consensus(demand_cycle)
    with pytest.raises(DomainError, match="1e400 is too large"):
        edit(manager, demand_cycle, {}, mode="set", value="1e400")
    assert consensus(demand_cycle) == before
