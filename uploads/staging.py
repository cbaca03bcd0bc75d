"""Set-based writes of sales actuals: stage, compare, upsert, undo.

On PostgreSQL each chunk goes by COPY into a temporary staging table; the
whole file is then compared with the actuals in one INSERT ... SELECT. On
SQLite the same SQL runs after an executemany into the staging table. Every valid row is
kept (in uploads_uploadrow, with the values it replaces, equal to its own when it changes
nothing), so a commit can check that every previewed row still holds what it was compared
against, unchanged rows included; it writes with one UPDATE and one INSERT, and a revert
undoes with one DELETE and one UPDATE.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.db import connection

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

STAGE = "upload_stage"
ACTUALS = "forecasting_salesactual"
ROWS = "uploads_uploadrow"
SAME_KEY = (
    "a.product_id = s.product_id AND a.territory_id = s.territory_id AND a.period = s.period"
)
CHANGES = "(old_units <> new_units OR old_revenue <> new_revenue)"  # false for new rows too


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _differs() -> str:
    return "IS DISTINCT FROM" if _is_postgres() else "IS NOT"


def _roomy(cursor) -> None:
    """Let this transaction sort and hash a million rows in memory, not on disk."""
    if _is_postgres():
        cursor.execute("SET LOCAL work_mem = '256MB'")


def begin() -> None:
    """An empty staging table for this connection (it lives as long as the session)."""
    temporary = "TEMPORARY" if _is_postgres() else "TEMP"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE {temporary} TABLE IF NOT EXISTS {STAGE} (row_number bigint,"
            " product_id bigint, territory_id bigint, month bigint, milli_units bigint,"
            " cents bigint)"
        )
        cursor.execute(f"{_empty()} {STAGE}")


def stage_chunk(*, valid: pd.DataFrame) -> None:
    """Add a chunk of valid rows to the staging table, as integers (binary COPY on PostgreSQL).

    Units travel as thousandths and revenue as cents, the month as an index:
    no text formatting of a million numbers, and exact decimals.
    """
    import numpy as np  # here: the commit and revert paths need no numpy

    if valid.empty:
        return
    columns = [
        valid["row"].to_numpy(np.int64),
        valid["product_id"].to_numpy(np.int64),
        valid["territory_id"].to_numpy(np.int64),
        valid["period"].to_numpy(np.int64),
        np.rint(valid["units"].to_numpy(np.float64) * 1000).astype(np.int64),
        np.rint(valid["revenue"].to_numpy(np.float64) * 100).astype(np.int64),
    ]
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.cursor.copy_expert(
                f"COPY {STAGE} FROM STDIN WITH (FORMAT binary)", io.BytesIO(_binary_copy(columns))
            )
        else:
            rows = list(zip(*(column.tolist() for column in columns), strict=True))
            cursor.executemany(f"INSERT INTO {STAGE} VALUES (%s, %s, %s, %s, %s, %s)", rows)


def _binary_copy(columns: list[np.ndarray]) -> bytes:
    """PostgreSQL's binary COPY format for rows of bigints, built by numpy in one go."""
    import numpy as np

    layout = [("fields", ">i2")]
    for index in range(len(columns)):
        layout += [(f"size{index}", ">i4"), (f"value{index}", ">i8")]
    rows = np.empty(len(columns[0]), dtype=np.dtype(layout))
    rows["fields"] = len(columns)
    for index, column in enumerate(columns):
        rows[f"size{index}"] = 8
        rows[f"value{index}"] = column
    header = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8
    return header + rows.tobytes() + b"\xff\xff"


def _staged() -> str:
    """The staging table with dates and decimals, in this database's SQL."""
    if _is_postgres():
        period = "make_date((month / 12)::int, (month %% 12 + 1)::int, 1)"
        units, revenue = "milli_units::numeric / 1000", "cents::numeric / 100"
    else:
        period = "date(printf('%%04d-%%02d-01', month / 12, month %% 12 + 1))"
        units, revenue = "milli_units / 1000.0", "cents / 100.0"
    return (
        f"(SELECT row_number, product_id, territory_id, {period} AS period,"
        f" {units} AS units, {revenue} AS revenue FROM {STAGE})"
    )


def keep_changes(*, batch_id: int) -> tuple[int, int, int]:
    """Keep the staged rows with the values they replace (or would: unchanged rows too).

    One INSERT ... SELECT joins the whole file with the actuals; returns
    (rows staged, new rows, changed rows). The staging table is emptied.
    """
    keep = (
        f"INSERT INTO {ROWS} (batch_id, row_number, product_id, territory_id, period,"
        " new_units, new_revenue, old_units, old_revenue)"
        " SELECT %s, s.row_number, s.product_id, s.territory_id, s.period, s.units,"
        f" s.revenue, a.units, a.revenue FROM {_staged()} s LEFT JOIN {ACTUALS} a ON {SAME_KEY}"
    )
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(f"ANALYZE {STAGE}")
        _roomy(cursor)
        cursor.execute(f"SELECT COUNT(*) FROM {STAGE}")
        staged = int(cursor.fetchone()[0])
        cursor.execute(keep, [batch_id])
        # Counting afterwards beats INSERT ... RETURNING in a CTE, which costs more
        # than reading the batch's rows again (measured: +1.1 s vs +0.3 s at 1M rows).
        new, changed = _count_kept(cursor, batch_id)
        cursor.execute(f"{_empty()} {STAGE}")
    return staged, int(new), int(changed)


def _empty() -> str:
    return "TRUNCATE" if _is_postgres() else "DELETE FROM"


def _count_kept(cursor, batch_id: int) -> tuple[int, int]:
    cursor.execute(
        f"SELECT COUNT(*) - COUNT(old_units), COUNT(*) FILTER (WHERE {CHANGES})"
        f" FROM {ROWS} WHERE batch_id = %s",
        [batch_id],
    )
    return cursor.fetchone()


def clear(batch_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ROWS} WHERE batch_id = %s", [batch_id])


def moved_since_preview(batch_id: int, *, shown: int = 5) -> tuple[int, list[tuple]]:
    """Rows whose actual no longer holds the value seen at preview (someone wrote since):
    new, changed and unchanged rows alike. Returns the count and the first `shown` rows as
    (row number, product id, territory id, period, units and revenue then, units and
    revenue now)."""
    differs = _differs()
    moved = (
        f"FROM {ROWS} s LEFT JOIN {ACTUALS} a ON {SAME_KEY} WHERE s.batch_id = %s"
        f" AND (a.units {differs} s.old_units OR a.revenue {differs} s.old_revenue)"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {moved}", [batch_id])
        count = int(cursor.fetchone()[0])
        if not count:
            return 0, []
        cursor.execute(
            "SELECT s.row_number, s.product_id, s.territory_id, s.period, s.old_units,"
            f" s.old_revenue, a.units, a.revenue {moved} ORDER BY s.row_number LIMIT %s",
            [batch_id, shown],
        )
        return count, cursor.fetchall()


def moved_since_commit(batch_id: int) -> int:
    """Rows this batch changed whose actual no longer holds what it wrote (a later change)."""
    differs = _differs()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {ROWS} s LEFT JOIN {ACTUALS} a ON {SAME_KEY}"
            f" WHERE s.batch_id = %s AND (s.old_units IS NULL OR {_changes('s')})"
            f" AND (a.units {differs} s.new_units OR a.revenue {differs} s.new_revenue)",
            [batch_id],
        )
        return int(cursor.fetchone()[0])


def _changes(alias: str) -> str:
    return CHANGES.replace("old_", f"{alias}.old_").replace("new_", f"{alias}.new_")


def lock_actuals() -> None:
    """One writer of actuals at a time (readers are not blocked), so the rows compared with
    the preview cannot change before they are written (PostgreSQL; SQLite has one writer)."""
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ACTUALS} IN SHARE ROW EXCLUSIVE MODE")


def write(batch_id: int) -> int:
    """Write the batch's rows into the actuals; returns rows written.

    Call under lock_actuals(), after checking that no row moved since the preview:
    then the rows seen as new are still absent and the others still present, so
    one UPDATE and one plain INSERT do the work of an upsert without its
    per-row conflict checks (about 10% faster at a million rows).
    """
    with connection.cursor() as cursor:
        _roomy(cursor)
        cursor.execute(
            f"UPDATE {ACTUALS} SET units = s.new_units, revenue = s.new_revenue FROM {ROWS} s"
            f" WHERE s.batch_id = %s AND {_changes('s')} AND {_same_key(ACTUALS)}",
            [batch_id],
        )
        changed = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {ACTUALS} (product_id, territory_id, period, units, revenue)"
            f" SELECT product_id, territory_id, period, new_units, new_revenue FROM {ROWS}"
            " WHERE batch_id = %s AND old_units IS NULL"
            " ORDER BY territory_id, period, product_id",  # the unique index's order
            [batch_id],
        )
        return changed + cursor.rowcount


def _same_key(table: str) -> str:
    return (
        f"s.product_id = {table}.product_id AND s.territory_id = {table}.territory_id"
        f" AND s.period = {table}.period"
    )


def _delete_created() -> str:
    """PostgreSQL deletes through a join (a batch holds each key once: no semi-join to
    dedupe, about 20% faster); SQLite has no DELETE ... USING."""
    if _is_postgres():
        return (
            f"DELETE FROM {ACTUALS} USING {ROWS} s WHERE s.batch_id = %s"
            f" AND s.old_units IS NULL AND {_same_key(ACTUALS)}"
        )
    return (
        f"DELETE FROM {ACTUALS} WHERE EXISTS (SELECT 1 FROM {ROWS} s WHERE s.batch_id = %s"
        f" AND s.old_units IS NULL AND {_same_key(ACTUALS)})"
    )


def undo(batch_id: int) -> int:
    """Delete the actuals the batch created and restore those it changed."""
    with connection.cursor() as cursor:
        _roomy(cursor)
        cursor.execute(_delete_created(), [batch_id])
        deleted = cursor.rowcount
        cursor.execute(
            f"UPDATE {ACTUALS} SET units = s.old_units, revenue = s.old_revenue FROM {ROWS} s"
            f" WHERE s.batch_id = %s AND {_changes('s')} AND {_same_key(ACTUALS)}",
            [batch_id],
        )
        return deleted + cursor.rowcount
