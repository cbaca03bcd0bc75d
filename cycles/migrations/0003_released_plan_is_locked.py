"""PostgreSQL refuses any change to a released cycle, its versions and its plan values,
even from a raw SQL session. SQLite (the embedded default) relies on the services."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION cycles_refuse_change_of_released() RETURNS trigger AS $$
DECLARE
    old_cycle bigint;
    new_cycle bigint;
BEGIN
    IF TG_TABLE_NAME = 'cycles_cycle' THEN
        IF OLD.status = 'released' THEN
            RAISE EXCEPTION 'Cycle % is released and locked: % refused.', OLD.id, TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN old_cycle := OLD.cycle_id; END IF;
        IF TG_OP <> 'DELETE' THEN new_cycle := NEW.cycle_id; END IF;
        IF EXISTS (SELECT 1 FROM cycles_cycle
                   WHERE id IN (old_cycle, new_cycle) AND status = 'released') THEN
            RAISE EXCEPTION 'The plan of a released cycle is locked: % on % refused.',
                TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
TRIGGERS = {
    "cycles_cycle": "UPDATE OR DELETE",
    "cycles_planvalue": "INSERT OR UPDATE OR DELETE",
    "cycles_planversion": "INSERT OR UPDATE OR DELETE",
}


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table, events in TRIGGERS.items():
        schema_editor.execute(
            f"CREATE TRIGGER {table}_released_locked BEFORE {events} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION cycles_refuse_change_of_released()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_released_locked ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS cycles_refuse_change_of_released()")


class Migration(migrations.Migration):
    dependencies = [("cycles", "0002_workflow_and_plan_store")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
