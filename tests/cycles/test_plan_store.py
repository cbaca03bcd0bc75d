"""The plan-value store: edits by stage, role and territory, row versions, snapshots."""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from django.db import transaction

from accounts.roles import Role
from audit.models import AuditEvent
from cycles import services
from cycles.measures import MEASURES
from cycles.models import Cycle, PlanValue
from cycles.plan_bulk import plan_values_write_many
from cycles.plan_services import CellChange, plan_value_set, plan_values_set_many
from cycles.selectors import WORKING, plan_values_as_of, plan_versions_compare, version_seq
from cycles.stages import Stage
from sop_planner.errors import Conflict, DomainError, NotAllowed

pytestmark = pytest.mark.django_db
DEC = date(2026, 12, 1)
JAN = date(2027, 1, 1)


@pytest.fixture
def demand_cycle(cycle, walk):
    return walk(cycle, Stage.DEMAND_PLANNING)


def set_override(actor, cycle, company, value, *, expected=0, territory=0, month=DEC, reason=""):
    return plan_value_set(
        actor=actor,
        cycle_id=cycle.pk,
        measure="override",
        product_id=company.products[0].pk,
        territory_id=company.territories[territory].pk,
        month=month,
        value=value,
        expected_row_version=expected,
        reason=reason,
    )


def test_a_planner_enters_an_override_for_their_territory_and_it_is_audited(
    demand_cycle, planners, company
):
    row = set_override(planners[0], demand_cycle, company, "120", reason="Promo in Dec")
    assert row.value == Decimal(120) and row.row_version == 1
    event = AuditEvent.objects.get(action="plan.value_set")
    assert event.before is None and event.after["value"] == "120"
    assert event.reason == "Promo in Dec" and event.product_id == company.products[0].pk
    row = set_override(planners[0], demand_cycle, company, "130", expected=1)
    assert row.row_version == 2
    assert AuditEvent.objects.filter(action="plan.value_set").first().before == {"value": "120"}


def test_a_stale_row_version_is_a_conflict_and_overwrites_nothing(demand_cycle, planners, company):
    set_override(planners[0], demand_cycle, company, "120")
    with pytest.raises(Conflict, match=r"changed Demand override of .* first"):
        set_override(planners[0], demand_cycle, company, "99", expected=0)
    assert PlanValue.objects.get().value == Decimal(120)


def test_another_territory_is_refused(demand_cycle, planners, company):
    with pytest.raises(NotAllowed, match="only for the territories you plan"):
        set_override(planners[0], demand_cycle, company, "1", territory=1)
    assert not PlanValue.objects.exists()


def test_other_roles_may_not_enter_a_demand_override(demand_cycle, users_by_role, company):
    with pytest.raises(NotAllowed):
        set_override(users_by_role[Role.SUPPLY_PLANNER], demand_cycle, company, "1")


def test_demand_is_frozen_once_the_cycle_leaves_demand_planning(cycle, walk, planners, company):
    cycle = walk(cycle, Stage.SUPPLY_PLANNING)
    with pytest.raises(NotAllowed, match="frozen in Supply planning"):
        set_override(planners[0], cycle, company, "1")


def test_sending_the_cycle_back_reopens_demand(cycle, walk, planners, company, manager):
    cycle = walk(cycle, Stage.RECONCILIATION)
    services.cycle_send_back(
        actor=manager, cycle_id=cycle.pk, stage=cycle.stage, to=Stage.DEMAND_PLANNING, reason="Low"
    )
    assert set_override(planners[0], cycle, company, "5").value == 5


def test_computed_measures_cannot_be_entered(demand_cycle, planners, company):
    with pytest.raises(NotAllowed, match="computed by the system"):
        plan_value_set(
            actor=planners[0],
            cycle_id=demand_cycle.pk,
            measure="baseline",
            product_id=company.products[0].pk,
            territory_id=company.territories[0].pk,
            month=DEC,
            value=1,
            expected_row_version=0,
        )


@pytest.mark.parametrize(
    ("value", "month", "message"),
    [
        ("-3", DEC, "plan figures are 0 or more"),
        ("1e400", DEC, "1e400 is too large: plan figures are below 100,000,000,000,000"),
        ("lots", DEC, "is not a number"),
        ("1", date(2028, 1, 1), "outside the horizon"),
    ],
)
def test_bad_figures_are_refused_with_a_clear_message(
    demand_cycle, planners, company, value, month, message
):
    with pytest.raises(DomainError, match=message):
        set_override(planners[0], demand_cycle, company, value, month=month)
    assert not PlanValue.objects.exists() and not AuditEvent.objects.filter(
        action="plan.value_set"
    )


def test_versions_see_the_plan_as_it_stood_and_compare_line_by_line(
    cycle, walk, planners, company, manager
):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    set_override(planners[0], cycle, company, "100")
    set_override(planners[0], cycle, company, "10", month=date(2027, 1, 1))
    cycle = walk(cycle, Stage.RECONCILIATION)  # snapshot at the end of demand planning
    services.cycle_send_back(
        actor=manager, cycle_id=cycle.pk, stage=cycle.stage, to=Stage.DEMAND_PLANNING, reason="x"
    )
    cycle.refresh_from_db()
    after_demand = cycle.versions.get(stage="demand_planning").seq
    set_override(planners[0], cycle, company, "150", expected=1)
    set_override(planners[0], cycle, company, "160", expected=2)
    as_of = {v.month: v.value for v in plan_values_as_of(cycle, after_demand)}
    assert as_of == {DEC: Decimal(100), date(2027, 1, 1): Decimal(10)}
    now = {v.month: v.value for v in plan_values_as_of(cycle, version_seq(cycle, WORKING))}
    assert now[DEC] == Decimal(160)
    changes = plan_versions_compare(cycle=cycle, seq_a=after_demand, seq_b=cycle.version_seq)
    assert [(c.month, c.before, c.after, c.delta) for c in changes] == [
        (DEC, Decimal(100), Decimal(160), Decimal(60))
    ]
    assert changes[0].changed_by == planners[0].get_full_name()


def test_a_snapshot_copies_no_rows(cycle, walk, planners, company):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    set_override(planners[0], cycle, company, "100")
    walk(cycle, Stage.SIGN_OFF)
    assert PlanValue.objects.count() == 1


FIN = {Role.FINANCE}
DEMAND = {Role.DEMAND_PLANNER, Role.SALES_OPS_MANAGER, Role.SALES_OPS_ANALYST}
SUPPLY = {Role.SUPPLY_PLANNER}
BEFORE_SIGN_OFF = set(Stage) - {Stage.SIGN_OFF}
# Who may enter each measure, and in which stages: the business's statement.
EDITORS = {
    "override": (DEMAND, {Stage.DEMAND_PLANNING}),
    "events": (DEMAND, {Stage.DEMAND_PLANNING}),
    "capacity": (SUPPLY, {Stage.SUPPLY_PLANNING}),
    "opening_inventory": (SUPPLY, {Stage.SUPPLY_PLANNING}),
    "inventory_target": (SUPPLY, {Stage.SUPPLY_PLANNING}),
    "target_weeks": (SUPPLY, {Stage.SUPPLY_PLANNING}),
    "min_production": (SUPPLY, {Stage.SUPPLY_PLANNING}),
    "max_cover": (SUPPLY, {Stage.SUPPLY_PLANNING}),
    "budget_units": (FIN, BEFORE_SIGN_OFF),
    "budget_revenue": (FIN, BEFORE_SIGN_OFF),
    "price": (FIN, {Stage.RECONCILIATION}),
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_every_role_enters_exactly_its_measures_in_their_stages(
    role, users_by_role, company, manager
):
    assert {code for code, m in MEASURES.items() if m.entered} == set(EDITORS)
    for stage in Stage:
        with transaction.atomic():
            cycle = services.cycle_open(actor=manager, month=date(2026, 11, 1))
            Cycle.objects.filter(pk=cycle.pk).update(stage=stage.value)
            for code, (editors, stages) in EDITORS.items():
                allowed = role in editors and stage in stages
                try:
                    plan_value_set(
                        actor=users_by_role[role],
                        cycle_id=cycle.pk,
                        measure=code,
                        product_id=company.products[0].pk,
                        territory_id=company.territories[0].pk,
                        month=DEC,
                        value=1,
                        expected_row_version=0,
                    )
                    done = True
                except NotAllowed:
                    done = False
                assert done == allowed, (role, stage, code)
            assert PlanValue.objects.count() == sum(
                1 for editors, stages in EDITORS.values() if role in editors and stage in stages
            )
            transaction.set_rollback(True)


def cells(company, territory=0, value=1, expected=0):
    return [
        CellChange(
            product_id=product.pk,
            territory_id=company.territories[territory].pk,
            month=month,
            value=value,
            expected_row_version=expected,
        )
        for product in company.products[:2]
        for month in (DEC, date(2027, 1, 1))
    ]


def test_a_grid_save_writes_every_figure_with_one_audit_event_each(
    demand_cycle, planners, company
):
    count = plan_values_set_many(
        actor=planners[0],
        cycle_id=demand_cycle.pk,
        measure="override",
        changes=cells(company),
        reason="Grid",
    )
    assert count == 4 and PlanValue.objects.count() == 4
    assert AuditEvent.objects.filter(action="plan.value_set", reason="Grid").count() == 4
    plan_values_set_many(
        actor=planners[0],
        cycle_id=demand_cycle.pk,
        measure="override",
        changes=cells(company, value=7, expected=1),
    )
    assert set(PlanValue.objects.values_list("value", "row_version")) == {(Decimal(7), 2)}


def test_a_grid_save_after_a_snapshot_keeps_the_old_figures_in_the_version(
    cycle, walk, planners, company, manager
):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    set_override(planners[0], cycle, company, "100")
    cycle = walk(cycle, Stage.RECONCILIATION)
    services.cycle_send_back(
        actor=manager, cycle_id=cycle.pk, stage=cycle.stage, to=Stage.DEMAND_PLANNING, reason="x"
    )
    cycle.refresh_from_db()
    changes = cells(company, value=5)
    changes[0] = CellChange(**{**changes[0].__dict__, "expected_row_version": 1})
    plan_values_set_many(actor=planners[0], cycle_id=cycle.pk, measure="override", changes=changes)
    old = cycle.versions.get(stage="demand_planning").seq
    assert [v.value for v in plan_values_as_of(cycle, old)] == [Decimal(100)]
    now = plan_values_as_of(cycle, cycle.version_seq)
    assert sorted(v.value for v in now) == [Decimal(5)] * 4
    assert now.get(month=DEC, product=company.products[0]).row_version == 2


def test_one_stale_figure_refuses_the_whole_grid_save(demand_cycle, planners, company):
    set_override(planners[0], demand_cycle, company, "100")
    with pytest.raises(Conflict, match="Someone changed 1 of these Demand override figures"):
        plan_values_set_many(
            actor=planners[0], cycle_id=demand_cycle.pk, measure="override", changes=cells(company)
        )
    assert PlanValue.objects.count() == 1


def test_a_grid_save_touching_another_territory_is_refused_whole(demand_cycle, planners, company):
    changes = cells(company) + cells(company, territory=1)
    with pytest.raises(NotAllowed):
        plan_values_set_many(
            actor=planners[0], cycle_id=demand_cycle.pk, measure="override", changes=changes
        )
    assert not PlanValue.objects.exists() and not AuditEvent.objects.filter(
        action="plan.value_set"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": "-1"}, "0 or more"),
        ({"month": date(2030, 1, 1)}, "outside the horizon"),
        ({"product_id": 999999}, "Unknown product"),
    ],
)
def test_a_bad_cell_refuses_the_whole_grid_save(demand_cycle, planners, company, change, message):
    changes = cells(company)
    changes[-1] = CellChange(**{**changes[-1].__dict__, **change})
    with pytest.raises(DomainError, match=message):
        plan_values_set_many(
            actor=planners[0], cycle_id=demand_cycle.pk, measure="override", changes=changes
        )
    assert not PlanValue.objects.exists()


def test_the_same_figure_twice_in_one_save_is_refused(demand_cycle, planners, company):
    with pytest.raises(DomainError, match="appears twice"):
        plan_values_set_many(
            actor=planners[0],
            cycle_id=demand_cycle.pk,
            measure="override",
            changes=cells(company) + cells(company)[:1],
        )


def test_clearing_a_figure_leaves_no_figure_and_earlier_versions_keep_it(
    cycle, walk, manager, company
):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    kept, fresh = (
        (company.products[0].pk, company.territories[0].pk, DEC),
        (
            company.products[1].pk,
            company.territories[0].pk,
            DEC,
        ),
    )
    write = partial(plan_values_write_many, measure="budget_units", actor=manager)
    write(cycle=cycle, values={kept: Decimal(40)})
    cycle = walk(cycle, Stage.RECONCILIATION)  # a snapshot: the 40 is in a version now
    write(cycle=cycle, values={fresh: Decimal(7)})
    result = write(cycle=cycle, values={kept: None, fresh: None, (*fresh[:2], JAN): None})
    assert result.written == 2  # the third cell had no figure: nothing to clear
    assert not plan_values_as_of(cycle, cycle.version_seq).filter(measure="budget_units")
    old = cycle.versions.get(stage="demand_planning").seq
    assert [v.value for v in plan_values_as_of(cycle, old).filter(measure="budget_units")] == [
        Decimal(40)
    ]
    assert not PlanValue.objects.filter(product_id=fresh[0], measure="budget_units").exists()
