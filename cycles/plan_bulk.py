"""Writes of many plan figures at once: set-based, versioned like plan_services.

`plan_services.plan_value_set` enters one figure; a loaded forecast or an edit
of a total changes thousands. These functions keep the same row rules (edit in
place inside the open sequence, otherwise close the old row and add one, row
version + 1) but in a few statements. The caller checks permission, locks the
cycle (plan_services.locked_cycle) and writes the one audit record of the edit.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from accounts.typing import User
from cycles.models import Cycle, PlanValue

Key = tuple[int, int, date]  # product_id, territory_id, month

TABLE = PlanValue._meta.db_table
SAME_KEY = "{a}.product_id = {b}.product_id AND {a}.territory_id = {b}.territory_id AND {a}.month = {b}.month"


def as_plan_number(expression: str) -> str:
    """SQL turning a float expression into a plan figure with 4 decimals, on either database."""
    if connection.vendor == "postgresql":
        return f"CAST({expression} AS NUMERIC(18, 4))"
    return f"ROUND({expression}, 4)"


def refresh_statistics(table: str = TABLE) -> None:
    """After a bulk load, let PostgreSQL's planner know the table's new size.

    Without it, a table that grew from empty in this transaction is planned as
    empty and the next set-based statement picks nested loops over full scans.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


def plan_values_upsert_from_query(
    *, cycle: Cycle, measure: str, source_sql: str, params: list, actor_id: int | None
) -> int:
    """Make the current figures of `measure` equal a query's rows; returns the rows changed.

    `source_sql` selects product_id, territory_id, month, value (one row per key).
    Unchanged figures keep their row version, so loading the same source twice
    changes nothing.
    """
    seq, now = cycle.version_seq, timezone.now()
    source = f"({source_sql}) src"
    here = f"{TABLE}.cycle_id = %s AND {TABLE}.measure = %s AND {TABLE}.valid_to_seq IS NULL"
    match = SAME_KEY.format(a=TABLE, b="src")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET value = src.value, row_version = {TABLE}.row_version + 1, "
            f"changed_by_id = %s, changed_at = %s FROM {source} WHERE {here} "
            f"AND {TABLE}.valid_from_seq = %s AND {match} AND {TABLE}.value <> src.value",
            [actor_id, now, *params, cycle.pk, measure, seq],
        )
        changed = cursor.rowcount
        cursor.execute(
            f"UPDATE {TABLE} SET valid_to_seq = %s FROM {source} WHERE {here} "
            f"AND {TABLE}.valid_from_seq < %s AND {match} AND {TABLE}.value <> src.value",
            [seq, *params, cycle.pk, measure, seq],
        )
        cursor.execute(
            _insert_missing_sql(source), _insert_params(cycle, measure, params, actor_id, now)
        )
        return changed + cursor.rowcount


def _insert_missing_sql(source: str) -> str:
    earlier = SAME_KEY.format(a="o", b="src")
    current = SAME_KEY.format(a="c", b="src")
    return (
        f"INSERT INTO {TABLE} (cycle_id, measure, product_id, territory_id, month, value, "
        "valid_from_seq, valid_to_seq, row_version, changed_by_id, changed_at) "
        "SELECT %s, %s, src.product_id, src.territory_id, src.month, src.value, %s, NULL, "
        f"COALESCE((SELECT MAX(o.row_version) FROM {TABLE} o WHERE o.cycle_id = %s "
        f"AND o.measure = %s AND {earlier}), 0) + 1, %s, %s FROM {source} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} c WHERE c.cycle_id = %s AND c.measure = %s "
        f"AND c.valid_to_seq IS NULL AND {current})"
    )


def _insert_params(cycle: Cycle, measure: str, params: list, actor_id, now) -> list:
    return [
        cycle.pk,
        measure,
        cycle.version_seq,
        cycle.pk,
        measure,
        actor_id,
        now,
        *params,
        cycle.pk,
        measure,
    ]


@dataclass
class WriteResult:
    written: int
    before: dict[Key, Decimal]


def plan_values_write_many(
    *, cycle: Cycle, measure: str, values: dict[Key, Decimal | None], actor: User
) -> WriteResult:
    """Write these figures of one measure; figures already equal are left alone.

    None clears a figure (the cell has no figure afterwards, not a zero): a row of
    the open sequence is deleted, an older one is closed, so earlier versions
    still show it.
    """
    current = current_rows(cycle, measure, list(values), lock=True)
    updates: list[PlanValue] = []
    closes: list[int] = []
    creates: list[PlanValue] = []
    cleared: list[PlanValue] = []
    now, seq = timezone.now(), cycle.version_seq
    for key, number in values.items():
        row = current.get(key)
        if (row.value if row is not None else None) == number:
            continue
        if number is None:
            cleared.append(row)  # type: ignore[arg-type]  # not None: an empty cell left empty was skipped above
            continue
        if row is not None and row.valid_from_seq == seq:
            row.value, row.changed_by, row.changed_at = number, actor, now
            row.row_version += 1
            updates.append(row)
            continue
        if row is not None:
            closes.append(row.pk)
        creates.append(_new_row(cycle, measure, key, number, row, actor))
    _update_in_place(updates, actor_id=getattr(actor, "pk", None), now=now)
    closes += [row.pk for row in cleared if row.valid_from_seq != seq]
    PlanValue.objects.filter(pk__in=closes).update(valid_to_seq=seq)
    PlanValue.objects.filter(
        pk__in=[row.pk for row in cleared if row.valid_from_seq == seq]
    ).delete()
    PlanValue.objects.bulk_create(creates, batch_size=2000)
    before = {key: row.value for key, row in current.items()}
    return WriteResult(written=len(updates) + len(creates) + len(cleared), before=before)


def _update_in_place(rows: list[PlanValue], *, actor_id: int | None, now) -> None:
    """New values of rows of the open sequence: one UPDATE ... FROM (VALUES ...) per batch.

    (Django's bulk_update builds a CASE per row and field: ten times slower here.)
    """
    alias = "v(id, value)" if connection.vendor == "postgresql" else "v"
    key, number = (
        ("v.id", "v.value") if connection.vendor == "postgresql" else ("v.column1", "v.column2")
    )
    cast = "CAST({} AS NUMERIC(18, 4))" if connection.vendor == "postgresql" else "{}"
    for start in range(0, len(rows), 2000):
        batch = rows[start : start + 2000]
        values = ", ".join(["(%s, %s)"] * len(batch))
        params = [p for row in batch for p in (row.pk, str(row.value))]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET value = {cast.format(number)}, "
                f"row_version = {TABLE}.row_version + 1, changed_by_id = %s, changed_at = %s "
                f"FROM (VALUES {values}) AS {alias} WHERE {TABLE}.id = {key}",
                [actor_id, now, *params],
            )


def _new_row(
    cycle: Cycle, measure: str, key: Key, number: Decimal, old: PlanValue | None, actor: User
) -> PlanValue:
    product_id, territory_id, month = key
    return PlanValue(
        cycle=cycle,
        measure=measure,
        product_id=product_id,
        territory_id=territory_id,
        month=month,
        value=number,
        valid_from_seq=cycle.version_seq,
        row_version=(old.row_version + 1) if old else 1,
        changed_by=actor,
    )


def current_rows(
    cycle: Cycle, measure: str, keys: list[Key], *, lock: bool = False
) -> dict[Key, PlanValue]:
    """The current rows of these cells, by key (locked when asked)."""
    if not keys:
        return {}
    rows = PlanValue.objects.filter(
        cycle=cycle,
        measure=measure,
        valid_to_seq=None,
        product_id__in={k[0] for k in keys},
        territory_id__in={k[1] for k in keys},
        month__in={k[2] for k in keys},
    )
    if lock:
        rows = rows.select_for_update()
    wanted = set(keys)
    by_key = {(row.product_id, row.territory_id, row.month): row for row in rows}
    return {key: row for key, row in by_key.items() if key in wanted}


INSERT_BATCH = 1000  # rows per INSERT on PostgreSQL: 9,000 parameters
INSERT_COLUMNS = (
    f"INSERT INTO {TABLE} (cycle_id, measure, product_id, territory_id, month, value, "
    "valid_from_seq, valid_to_seq, row_version, changed_by_id, changed_at) VALUES "
)
INSERT_ROW = "(%s, %s, %s, %s, %s, %s, %s, NULL, 1, %s, %s)"


def plan_values_insert(
    *, cycle: Cycle, measure: str, rows: list[tuple[int, int, date, float]], actor_id: int | None
) -> int:
    """First figures of cells that have none in this cycle yet (a generated history), row
    version 1, valid from the cycle's open sequence, in key order.

    A cell that already has a figure breaks the store's unique constraint, so this
    never overwrites: edits go through plan_values_write_many. SQLite inserts
    fastest row by row in one executemany; psycopg2's executemany is a round trip
    per row, so PostgreSQL gets multi-row INSERTs.
    """
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    months = {month: ops.adapt_datefield_value(month) for month in {row[2] for row in rows}}
    params = [
        (
            cycle.pk,
            measure,
            product,
            territory,
            months[month],
            value,
            cycle.version_seq,
            actor_id,
            now,
        )
        for product, territory, month, value in sorted(rows)
    ]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(INSERT_COLUMNS + INSERT_ROW, params)
            return len(rows)
        for start in range(0, len(params), INSERT_BATCH):
            batch = params[start : start + INSERT_BATCH]
            marks = ", ".join([INSERT_ROW] * len(batch))
            cursor.execute(INSERT_COLUMNS + marks, [p for row in batch for p in row])
    return len(rows)
