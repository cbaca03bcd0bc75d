"""PostgreSQL refuses changes to the pipeline frozen at a cycle's release, like the other rows
of a released cycle (cycles migration 0006): written in the release's transaction before
the cycle row turns released, then never changed, added to or deleted."""

from django.db import migrations

# table -> (column pointing at the owner, the owner's table when it is not the cycle)
LOCKED = {
    "demand_releasedpipeline": ("cycle_id", None),
    "demand_releasedpipelinecell": ("frozen_id", "demand_releasedpipeline"),
    "demand_releasedbooked": ("frozen_id", "demand_releasedpipeline"),
}
FUNCTION = """
CREATE FUNCTION {table}_refuse_released() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM old_rows r {join} WHERE c.status = 'released') THEN
            RAISE EXCEPTION 'A released cycle is locked: % on % refused.', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM new_rows r {join} WHERE c.status = 'released') THEN
            RAISE EXCEPTION 'A released cycle is locked: % on % refused.', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NULL;
END $$;
"""
TRANSITIONS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}


def _join(column: str, owner: str | None) -> str:
    if owner is None:
        return f"JOIN cycles_cycle c ON c.id = r.{column}"
    return f"JOIN {owner} p ON p.id = r.{column} JOIN cycles_cycle c ON c.id = p.cycle_id"


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (column, owner) in LOCKED.items():
        schema_editor.execute(FUNCTION.format(table=table, join=_join(column, owner)), params=None)
        for event, transition in TRANSITIONS.items():
            schema_editor.execute(
                f"CREATE TRIGGER {table}_released_locked_{event.lower()} AFTER {event} "
                f"ON {table} REFERENCING {transition} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {table}_refuse_released()"
            )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in LOCKED:
        for event in TRANSITIONS:
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {table}_released_locked_{event.lower()} ON {table}"
            )
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_refuse_released()")


class Migration(migrations.Migration):
    dependencies = [
        ("demand", "0005_released_pipeline"),
        ("cycles", "0006_released_cycle_rows_locked"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
