"""Lighter writes to the actuals table, with the same integrity.

- One index besides the id: the unique key becomes (territory, period,
  product), which serves every territory and period filter the readers use,
  so the separate (territory, period), product_id and territory_id indexes go.
  An upload inserts rows in the key's order: each index then grows at a few
  places instead of at a random place per row.
- On PostgreSQL, fillfactor 80 leaves room on each page, so a corrected upload
  updates rows in place (HOT updates: no new index entries).
- On PostgreSQL, the foreign keys become triggers: an INSERT is checked by
  one set-based statement-level check (and FOR KEY SHARE lock) of the
  products and territories it references, instead of a lookup per row, which
  cost a million-row upload about as much as writing the rows; an UPDATE is
  checked row by row only when it changes a row's product or territory (an
  upload's UPDATE sets units and revenue only, so it costs nothing). Deleting (or renumbering) a
  referenced product or territory is refused, as the foreign keys did. Under
  READ COMMITTED (Django's default) a concurrent delete and insert serialise on
  the row lock, and the loser's check sees the winner's committed rows.
"""

import django.db.models.deletion
from django.db import migrations, models

ACTUALS = "forecasting_salesactual"
REFERENCED = (("products_product", "product_id"), ("territories_territory", "territory_id"))

CHECK_NEW_ROWS = """
CREATE FUNCTION forecasting_actuals_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing record;
BEGIN
    PERFORM 1 FROM products_product WHERE id IN (SELECT product_id FROM new_rows) FOR KEY SHARE;
    PERFORM 1 FROM territories_territory WHERE id IN (SELECT territory_id FROM new_rows)
        FOR KEY SHARE;
    SELECT n.product_id, n.territory_id INTO missing FROM new_rows n
        WHERE NOT EXISTS (SELECT 1 FROM products_product p WHERE p.id = n.product_id)
           OR NOT EXISTS (SELECT 1 FROM territories_territory t WHERE t.id = n.territory_id)
        LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'sales actual refers to product % / territory % that does not exist',
            missing.product_id, missing.territory_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER actuals_references_on_insert AFTER INSERT ON forecasting_salesactual
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION forecasting_actuals_references();
CREATE FUNCTION forecasting_actual_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM products_product WHERE id = NEW.product_id FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'sales actual refers to product % that does not exist', NEW.product_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    PERFORM 1 FROM territories_territory WHERE id = NEW.territory_id FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'sales actual refers to territory % that does not exist',
            NEW.territory_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER actuals_references_on_update BEFORE UPDATE OF product_id, territory_id
    ON forecasting_salesactual FOR EACH ROW
    WHEN (NEW.product_id IS DISTINCT FROM OLD.product_id
          OR NEW.territory_id IS DISTINCT FROM OLD.territory_id)
    EXECUTE FUNCTION forecasting_actual_moved();
"""

CHECK_REFERENCED = """
CREATE FUNCTION forecasting_actuals_still_{column}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    used bigint;
BEGIN
    SELECT o.id INTO used FROM old_rows o
        WHERE NOT EXISTS (SELECT 1 FROM {table} k WHERE k.id = o.id)
          AND EXISTS (SELECT 1 FROM forecasting_salesactual a WHERE a.{column} = o.id)
        LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '{table} % still has sales actuals', used
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER actuals_keep_{column}_on_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION forecasting_actuals_still_{column}();
CREATE TRIGGER actuals_keep_{column}_on_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION forecasting_actuals_still_{column}();
"""


def create_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:  # no parameters: RAISE's % stays as is
        cursor.execute(f"ALTER TABLE {ACTUALS} SET (fillfactor = 80)")
        cursor.execute(CHECK_NEW_ROWS)
        for table, column in REFERENCED:
            cursor.execute(CHECK_REFERENCED.format(table=table, column=column))


def drop_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in REFERENCED:
        schema_editor.execute(f"DROP TRIGGER actuals_keep_{column}_on_delete ON {table}")
        schema_editor.execute(f"DROP TRIGGER actuals_keep_{column}_on_update ON {table}")
        schema_editor.execute(f"DROP FUNCTION forecasting_actuals_still_{column}()")
    schema_editor.execute(f"DROP TRIGGER actuals_references_on_insert ON {ACTUALS}")
    schema_editor.execute(f"DROP TRIGGER actuals_references_on_update ON {ACTUALS}")
    schema_editor.execute("DROP FUNCTION forecasting_actuals_references()")
    schema_editor.execute("DROP FUNCTION forecasting_actual_moved()")
    schema_editor.execute(f"ALTER TABLE {ACTUALS} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("forecasting", "0002_forecast_runs"),
        ("products", "0001_initial"),
        ("territories", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="salesactual",
            name="product",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                to="products.product",
            ),
        ),
        migrations.AlterField(
            model_name="salesactual",
            name="territory",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                to="territories.territory",
            ),
        ),
        migrations.RemoveConstraint(model_name="salesactual", name="one_actual_per_series_month"),
        migrations.RemoveIndex(model_name="salesactual", name="forecasting_territo_812262_idx"),
        migrations.AddConstraint(
            model_name="salesactual",
            constraint=models.UniqueConstraint(
                fields=("territory", "period", "product"), name="one_actual_per_series_month"
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
