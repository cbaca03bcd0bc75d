"""PostgreSQL refuses raw changes to everything a released cycle holds, and the app's
database role can neither empty a table nor switch its guards off."""

import uuid
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from cycles import services
from cycles.stages import Stage
from demand.models import OverrideCell, SubmissionReopen
from reconciliation.models import GapDecision, Scenario, ScenarioChange
from sop_planner.db_roles import app_role_grant
from tests.factories import DemandEventFactory, OverrideFactory, ReasonCodeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
MONTH = date(2026, 12, 1)


@pytest.fixture
def released(cycle, walk, company, users_by_role, manager, planners):
    """A released cycle holding one row of each kind that belongs to it."""
    cycle = walk(cycle, Stage.SIGN_OFF)
    override = OverrideFactory(
        cycle=cycle, actor=planners[0], reason=ReasonCodeFactory(code="x"), first_month=MONTH
    )
    OverrideCell.objects.create(
        override=override, product=company.products[0], territory=company.territories[0],
        month=MONTH, before=1, after=5,
    )  # fmt: skip
    DemandEventFactory(cycle=cycle, name="Promo", first_month=MONTH, created_by=planners[0])
    SubmissionReopen.objects.create(
        cycle=cycle, territory=company.territories[0], submitted_by=planners[0],
        submitted_at=timezone.now(), reopened_by=manager, reason="Fix",
    )  # fmt: skip
    GapDecision.objects.create(
        cycle=cycle, gap_key="k", gap_label="Gap", decision="accept", owner=manager,
        rationale="Fine", expected_impact="None", decided_by=manager,
    )  # fmt: skip
    scenario = Scenario.objects.create(cycle=cycle, name="Cautious", created_by=manager)
    ScenarioChange.objects.create(
        scenario=scenario, kind="demand", month_from=MONTH, month_to=MONTH, percent=-5
    )
    return services.cycle_approve(actor=users_by_role[Role.EXECUTIVE], cycle_id=cycle.pk)


def raw(sql: str, *params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


LOCKED_TABLES = [
    ("cycles_stagesubmission", "submitted_at = now()"),
    ("cycles_signoffdecision", "comment = 'forged'"),
    ("demand_override", "value = 999"),
    ("demand_overridecell", "after = 999"),
    ("demand_demandevent", "uplift_percent = 99"),
    ("demand_submissionreopen", "reason = 'forged'"),
    ("reconciliation_gapdecision", "rationale = 'forged'"),
    ("reconciliation_scenario", "name = 'forged'"),
    ("reconciliation_scenariochange", "percent = 99"),
]


@pytest.mark.parametrize(("table", "change"), LOCKED_TABLES)
def test_raw_sql_cannot_change_or_delete_what_a_released_cycle_holds(released, table, change):
    rows = count(table)
    assert rows > 0
    with pytest.raises(DatabaseError, match="released cycle is locked"):
        raw(f"UPDATE {table} SET {change}")
    with pytest.raises(DatabaseError, match="released cycle is locked"):
        raw(f"DELETE FROM {table}")
    assert count(table) == rows


def test_raw_sql_cannot_add_a_cell_to_a_released_override(released, company):
    with pytest.raises(DatabaseError, match="released cycle is locked"):
        raw(
            "INSERT INTO demand_overridecell (override_id, product_id, territory_id, month, "
            "before, after) SELECT id, %s, %s, '2027-01-01', 1, 2 FROM demand_override",
            company.products[1].pk,
            company.territories[1].pk,
        )


def test_an_open_cycle_keeps_its_rows_writable(cycle, manager):
    scenario = Scenario.objects.create(cycle=cycle, name="Open", created_by=manager)
    raw("UPDATE reconciliation_scenario SET name = 'Renamed' WHERE id = %s", scenario.pk)
    raw("DELETE FROM reconciliation_scenario WHERE id = %s", scenario.pk)
    assert not Scenario.objects.filter(pk=scenario.pk).exists()


@pytest.fixture
def app_role():
    """A login role as the app would use (granted by sop_planner.db_roles).

    Created inside the test's transaction: PostgreSQL rolls the role back with it.
    """
    name = f"sop_app_test_{uuid.uuid4().hex[:8]}"
    app_role_grant(role=name, password=None)
    return name


def as_role(role: str, sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
        try:
            with transaction.atomic():
                cursor.execute(sql)
        finally:
            cursor.execute("RESET ROLE")


@pytest.mark.parametrize("table", ["audit_auditevent", "cycles_planvalue", "demand_override"])
def test_the_app_role_cannot_empty_a_table(cycle, app_role, table):
    events = AuditEvent.objects.count()
    with pytest.raises(DatabaseError, match="permission denied"):
        as_role(app_role, f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("table", ["audit_auditevent", "cycles_planvalue", "cycles_cycle"])
def test_the_app_role_cannot_switch_the_guards_off(cycle, app_role, table):
    with pytest.raises(DatabaseError, match="must be owner"):
        as_role(app_role, f"ALTER TABLE {table} DISABLE TRIGGER ALL")


def test_the_app_role_reads_and_writes_rows(cycle, app_role, manager):
    as_role(app_role, "SELECT count(*) FROM cycles_planvalue")
    as_role(app_role, f"UPDATE cycles_cycle SET stage_due = stage_due WHERE id = {cycle.pk}")
    as_role(
        app_role,
        "INSERT INTO reconciliation_scenario (cycle_id, name, description, created_by_id, "
        f"created_at) VALUES ({cycle.pk}, 'By the app role', '', {manager.pk}, now())",
    )
    assert Scenario.objects.filter(name="By the app role").exists()
