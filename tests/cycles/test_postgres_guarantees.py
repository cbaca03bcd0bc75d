"""What PostgreSQL itself guarantees: locked releases, an append-only audit trail,
and one move when two managers press Advance at the same instant."""

import threading
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.roles import Role
from audit.models import AuditEvent
from cycles import services
from cycles.models import Cycle, PlanValue
from cycles.plan_services import plan_value_set
from cycles.stages import Stage
from sop_planner.errors import Conflict, NotAllowed
from tests.fixtures.cycles import add_actuals

pytestmark = pytest.mark.postgres


@pytest.fixture
def released(cycle, walk, planners, company, users_by_role):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    plan_value_set(
        actor=planners[0],
        cycle_id=cycle.pk,
        measure="override",
        product_id=company.products[0].pk,
        territory_id=company.territories[0].pk,
        month=date(2026, 12, 1),
        value=100,
        expected_row_version=0,
    )
    cycle = walk(cycle, Stage.SIGN_OFF)
    return services.cycle_approve(actor=users_by_role[Role.EXECUTIVE], cycle_id=cycle.pk)


def raw(sql: str, *params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cycles_planvalue SET value = 0 WHERE cycle_id = %s",
        "DELETE FROM cycles_planvalue WHERE cycle_id = %s",
        "UPDATE cycles_planversion SET label = 'x' WHERE cycle_id = %s",
        "DELETE FROM cycles_planversion WHERE cycle_id = %s",
        "UPDATE cycles_cycle SET status = 'open', released_at = NULL WHERE id = %s",
        "DELETE FROM cycles_cycle WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_a_released_plan(released, sql):
    with pytest.raises(DatabaseError, match="released"):
        raw(sql, released.pk)
    assert PlanValue.objects.get(cycle=released).value == 100
    assert Cycle.objects.get(pk=released.pk).is_released


@pytest.mark.django_db
def test_raw_sql_cannot_add_a_value_to_a_released_plan(released, company):
    with pytest.raises(DatabaseError, match="released"):
        raw(
            "INSERT INTO cycles_planvalue (cycle_id, measure, product_id, territory_id, month, "
            "value, valid_from_seq, row_version, changed_at) "
            "VALUES (%s, 'override', %s, %s, '2027-01-01', 1, 99, 1, now())",
            released.pk,
            company.products[0].pk,
            company.territories[0].pk,
        )


@pytest.mark.django_db
def test_the_app_says_clearly_that_a_released_plan_is_locked(released, planners, company):
    with pytest.raises(NotAllowed, match=r"released on .* locked and can never change"):
        plan_value_set(
            actor=planners[0],
            cycle_id=released.pk,
            measure="override",
            product_id=company.products[0].pk,
            territory_id=company.territories[0].pk,
            month=date(2026, 12, 1),
            value=1,
            expected_row_version=1,
        )


@pytest.mark.django_db
def test_an_open_plan_can_still_be_changed(cycle):
    raw("UPDATE cycles_cycle SET stage_due = '{}' WHERE id = %s", cycle.pk)
    cycle.refresh_from_db()
    assert cycle.stage_due == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql", ["UPDATE audit_auditevent SET reason = 'forged'", "DELETE FROM audit_auditevent"]
)
def test_raw_sql_cannot_change_the_audit_trail(cycle, sql):
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError, match="append-only"):
        raw(sql)
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(reason="forged").exists()


@pytest.mark.django_db(transaction=True)
def test_two_managers_advancing_at_the_same_instant_make_one_move(
    cycle, company, user_with_role, manager
):
    add_actuals(company, date(2026, 10, 1))
    second = user_with_role(Role.SALES_OPS_MANAGER)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def press_advance(user) -> None:
        try:
            barrier.wait()
            services.cycle_advance(actor=user, cycle_id=cycle.pk, stage=Stage.DATA_GATHERING)
            results[user.username] = "moved"
        except Conflict as error:
            results[user.username] = error.message
        finally:
            connection.close()

    threads = [threading.Thread(target=press_advance, args=(u,)) for u in (manager, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results.values(), key=len)[0] == "moved"
    refusal = sorted(results.values(), key=len)[1]
    assert "already in Demand planning" in refusal and "someone moved it first" in refusal
    cycle.refresh_from_db()
    assert cycle.stage == Stage.DEMAND_PLANNING and cycle.move_count == 1
    assert AuditEvent.objects.filter(action="cycle.advance").count() == 1
