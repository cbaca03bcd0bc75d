"""Migration 0007 (one cycle in progress at a time) on a database that already holds two."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cycles", "0006_released_cycle_rows_locked")]
AFTER = [("cycles", "0007_one_cycle_open_at_a_time")]


@pytest.mark.django_db(transaction=True)
def test_two_cycles_in_progress_stop_the_migration_with_their_names():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    owner = apps.get_model("auth", "User").objects.create(username="boss")
    cycles = apps.get_model("cycles", "Cycle").objects
    for month in (date(2026, 11, 1), date(2026, 12, 1)):
        cycles.create(month=month, owner=owner, status="open", stage="sign_off")
    try:
        executor.loader.build_graph()
        with pytest.raises(RuntimeError) as refusal:
            executor.migrate(AFTER)
        assert str(refusal.value).startswith(
            "2 cycles are in progress (S&OP 2026-11, S&OP 2026-12); only one may be."
        )
        assert cycles.filter(status="open").count() == 2  # nothing changed
    finally:
        cycles.all().delete()
        executor.loader.build_graph()
        executor.migrate(AFTER)
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, "cycles_cycle")
    assert "one_cycle_open_at_a_time" in names
