"""Comparing two versions in the database: the summary and one page of changes, never the plan.

A figure differs between sequences low < high when its row valid at `low` ended by
`high` (the "before" side) or a row valid at `high` started after `low` (the "after"
side). Both sides are read in one UNION, grouped per figure and filtered to the ones
whose value differs, so 90,000 changed figures cost one aggregate query and a page
of 1,000 rows, not 180,000 Python tuples. Plain SQL that PostgreSQL and SQLite share.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cycles.models import PlanValue
from products.models import Product
from territories.models import Territory

_SIDES = """
SELECT measure, product_id, territory_id, month,
       MAX(CASE WHEN side = 0 THEN value END) AS before,
       MAX(CASE WHEN side = 1 THEN value END) AS after,
       MAX(CASE WHEN side = 1 THEN changed_by_id END) AS changed_by_id,
       MAX(CASE WHEN side = 1 THEN changed_at END) AS changed_at
FROM (
  SELECT 0 AS side, measure, product_id, territory_id, month, value, changed_by_id, changed_at
    FROM {plan} WHERE cycle_id = %(cycle)s AND valid_from_seq <= %(low)s
     AND valid_to_seq > %(low)s AND valid_to_seq <= %(high)s
  UNION ALL
  SELECT 1, measure, product_id, territory_id, month, value, changed_by_id, changed_at
    FROM {plan} WHERE cycle_id = %(cycle)s AND valid_from_seq > %(low)s
     AND valid_from_seq <= %(high)s AND (valid_to_seq IS NULL OR valid_to_seq > %(high)s)
) sides
GROUP BY measure, product_id, territory_id, month
"""
_DIFFERS = "((c.before IS NULL) <> (c.after IS NULL) OR c.before <> c.after)"


def _changed(cycle_id: int, low: int, high: int) -> tuple[str, dict]:
    sql = _SIDES.format(plan=PlanValue._meta.db_table)
    return sql, {"cycle": cycle_id, "low": low, "high": high}


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def measure_totals(*, cycle_id: int, low: int, high: int) -> list[tuple[str, int, Decimal]]:
    """Per measure (by code): how many figures changed and their change in all."""
    changed, params = _changed(cycle_id, low, high)
    sql = (
        f"SELECT c.measure, COUNT(*), SUM(COALESCE(c.after, 0) - COALESCE(c.before, 0)) "
        f"FROM ({changed}) c WHERE {_DIFFERS} GROUP BY c.measure ORDER BY c.measure"
    )
    return [(code, count, _decimal(total)) for code, count, total in _fetch(sql, params)]


def change_rows(
    *, cycle_id: int, low: int, high: int, measure: str | None, limit: int | None, offset: int
) -> list[tuple]:
    """One page of changes in (measure, SKU, territory, month) order, as
    (measure, sku, territory name, month, before, after, changed_by_id, changed_at)."""
    changed, params = _changed(cycle_id, low, high)
    only = "AND c.measure = %(measure)s" if measure else ""
    sql = (
        "SELECT c.measure, p.sku, t.name, c.month, c.before, c.after, c.changed_by_id, "
        f"c.changed_at FROM ({changed}) c "
        f"JOIN {Product._meta.db_table} p ON p.id = c.product_id "
        f"JOIN {Territory._meta.db_table} t ON t.id = c.territory_id "
        f"WHERE {_DIFFERS} {only} ORDER BY c.measure, p.sku, t.name, c.month "
        "LIMIT %(limit)s OFFSET %(offset)s"
    )
    # no LIMIT NULL in SQLite nor LIMIT -1 in PostgreSQL: "all" is a bound no plan reaches
    params |= {"measure": measure, "limit": 2**62 if limit is None else limit, "offset": offset}
    return [_typed(row) for row in _fetch(sql, params)]


def _typed(row: tuple) -> tuple:
    """SQLite hands back text and floats where PostgreSQL hands back dates and decimals."""
    measure, sku, territory, month, before, after, by, at = row
    return (
        measure,
        sku,
        territory,
        month if isinstance(month, date) else date.fromisoformat(month),
        _decimal(before),
        _decimal(after),
        by,
        _moment(at),
    )


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal("0.0001"))


def _moment(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    moment = parse_datetime(value)
    if settings.USE_TZ and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment
