"""Set-based writes of sales actuals: stage, compare, upsert, undo.

On PostgreSQL a chunk goes by COPY into a temporary staging table and is
compared with the actuals in one INSERT ... SELECT; on SQLite the same SQL
runs after an executemany into the staging table. Only rows that change
something are kept (in uploads_uploadrow, with the values they replace), so
a commit is one INSERT ... ON CONFLICT and a revert one DELETE and one UPDATE.
"""

from __future__ import annotations

import io

import pandas as pd
from django.db import connection

from uploads.validation import month_of

STAGE = "upload_stage"
ACTUALS = "forecasting_salesactual"
ROWS = "uploads_uploadrow"
SAME_KEY = (
    "a.product_id = s.product_id AND a.territory_id = s.territory_id AND a.period = s.period"
)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _differs() -> str:
    return "IS DISTINCT FROM" if _is_postgres() else "IS NOT"


def _ensure_stage(cursor) -> None:
    temporary = "TEMPORARY" if _is_postgres() else "TEMP"
    cursor.execute(
        f"CREATE {temporary} TABLE IF NOT EXISTS {STAGE} (row_number integer, product_id bigint,"
        " territory_id bigint, period date, units numeric(14, 3), revenue numeric(16, 2))"
    )


def stage_chunk(*, batch_id: int, valid: pd.DataFrame) -> int:
    """Keep the rows of `valid` that change an actual; returns how many were kept."""
    if valid.empty:
        return 0
    frame = valid.assign(period=valid["period"].map(_month_text))
    frame = frame[["row", "product_id", "territory_id", "period", "units", "revenue"]]
    with connection.cursor() as cursor:
        _ensure_stage(cursor)
        cursor.execute(f"DELETE FROM {STAGE}")
        _load(cursor, frame)
        cursor.execute(
            f"INSERT INTO {ROWS} (batch_id, row_number, product_id, territory_id, period,"
            " new_units, new_revenue, old_units, old_revenue)"
            " SELECT %s, s.row_number, s.product_id, s.territory_id, s.period, s.units,"
            f" s.revenue, a.units, a.revenue FROM {STAGE} s LEFT JOIN {ACTUALS} a ON {SAME_KEY}"
            " WHERE a.id IS NULL OR a.units <> s.units OR a.revenue <> s.revenue",
            [batch_id],
        )
        kept = cursor.rowcount
        cursor.execute(f"DELETE FROM {STAGE}")
    return kept


_MONTHS: dict[int, str] = {}


def _month_text(index: int) -> str:
    text = _MONTHS.get(index)
    if text is None:
        text = _MONTHS[index] = month_of(int(index)).isoformat()
    return text


def _load(cursor, frame: pd.DataFrame) -> None:
    if _is_postgres():
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, header=False, float_format="%.3f")
        buffer.seek(0)
        cursor.cursor.copy_expert(f"COPY {STAGE} FROM STDIN WITH (FORMAT csv)", buffer)
        cursor.execute(f"ANALYZE {STAGE}")
        return
    rows = [
        (int(r), int(p), int(t), period, f"{u:.3f}", f"{v:.2f}")
        for r, p, t, period, u, v in frame.itertuples(index=False, name=None)
    ]
    cursor.executemany(f"INSERT INTO {STAGE} VALUES (%s, %s, %s, %s, %s, %s)", rows)


def count_kept(batch_id: int) -> tuple[int, int]:
    """(new, changed) rows staged for a batch."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) - COUNT(old_units), COUNT(old_units) FROM {ROWS} WHERE batch_id = %s",
            [batch_id],
        )
        new, changed = cursor.fetchone()
    return int(new), int(changed)


def clear(batch_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ROWS} WHERE batch_id = %s", [batch_id])


def moved_since_preview(batch_id: int) -> int:
    """Rows whose actual no longer holds the value seen at preview (someone wrote since)."""
    return _count_mismatch(batch_id, "old_units", "old_revenue")


def moved_since_commit(batch_id: int) -> int:
    """Rows whose actual no longer holds what this batch wrote (a later change)."""
    return _count_mismatch(batch_id, "new_units", "new_revenue")


def _count_mismatch(batch_id: int, units: str, revenue: str) -> int:
    differs = _differs()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {ROWS} s LEFT JOIN {ACTUALS} a ON {SAME_KEY}"
            f" WHERE s.batch_id = %s AND (a.units {differs} s.{units}"
            f" OR a.revenue {differs} s.{revenue})",
            [batch_id],
        )
        return int(cursor.fetchone()[0])


def write(batch_id: int) -> int:
    """Upsert the batch's rows into the actuals in one statement; returns rows written."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ACTUALS} (product_id, territory_id, period, units, revenue)"
            f" SELECT product_id, territory_id, period, new_units, new_revenue FROM {ROWS}"
            " WHERE batch_id = %s"
            " ON CONFLICT (product_id, territory_id, period)"
            " DO UPDATE SET units = excluded.units, revenue = excluded.revenue",
            [batch_id],
        )
        return cursor.rowcount


def undo(batch_id: int) -> int:
    """Delete the actuals the batch created and restore those it changed."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ACTUALS} WHERE EXISTS (SELECT 1 FROM {ROWS} s WHERE s.batch_id = %s"
            f" AND s.old_units IS NULL AND s.product_id = {ACTUALS}.product_id"
            f" AND s.territory_id = {ACTUALS}.territory_id AND s.period = {ACTUALS}.period)",
            [batch_id],
        )
        deleted = cursor.rowcount
        cursor.execute(
            f"UPDATE {ACTUALS} SET units = s.old_units, revenue = s.old_revenue FROM {ROWS} s"
            " WHERE s.batch_id = %s AND s.old_units IS NOT NULL"
            f" AND s.product_id = {ACTUALS}.product_id AND s.territory_id = {ACTUALS}.territory_id"
            f" AND s.period = {ACTUALS}.period",
            [batch_id],
        )
        return deleted + cursor.rowcount
