"""PostgreSQL refuses changes to everything that belongs to a released cycle, not only its
plan values: submissions, waivers, sign-off decisions, overrides and their cells, events,
reopenings, gap decisions, scenarios and their changes.

Migration 0003 locked the cycle row, its versions and plan values. The rows here hang off
a cycle directly (cycle_id) or through a parent (an override's cells, a scenario's
changes). Derived tables (roll-ups, accuracy scores) and the conversation (comments,
action items) stay writable. SQLite (the embedded default) relies on the services.
"""

from django.db import migrations

# table -> (column pointing at the owner, the owner's table when it is not the cycle)
LOCKED = {
    "cycles_stagesubmission": ("cycle_id", None),
    "cycles_gatewaiver": ("cycle_id", None),
    "cycles_signoffdecision": ("cycle_id", None),
    "demand_override": ("cycle_id", None),
    "demand_overridecell": ("override_id", "demand_override"),
    "demand_demandevent": ("cycle_id", None),
    "demand_submissionreopen": ("cycle_id", None),
    "reconciliation_gapdecision": ("cycle_id", None),
    "reconciliation_scenario": ("cycle_id", None),
    "reconciliation_scenariochange": ("scenario_id", "reconciliation_scenario"),
}
# Checked once per statement over the rows it touched (transition tables), so a bulk
# write of thousands of override cells costs one query, not one per row.
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
        ("cycles", "0005_waivers_name_what_they_waive"),
        ("demand", "0003_plan_rollup"),
        ("reconciliation", "0002_scenario_promotion_removed"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
