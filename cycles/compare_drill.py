"""Two versions compared by family x region x month, drilled down to SKUs, and the whole
difference as CSV lines.

The grids sum each version's figures of one measure in the database (grouped by family
and region, or by SKU, and month), so a cell's change is exactly the sum of the changes
of the figures under it. The CSV reads the changed figures through a server-side cursor
and yields them in chunks: 90,000 changes are never held as one list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Sum

from cycles.measures import MEASURES, Aggregation
from cycles.models import Cycle
from cycles.selectors import plan_values_as_of
from cycles.version_compare import _DIFFERS, _changed, _typed
from products.models import Product, ProductFamily
from sop_planner.spreadsheet import csv_line
from territories.models import Region, Territory

ZERO = Decimal(0)
GRID_AGGREGATIONS = (Aggregation.SUM, Aggregation.STOCK)  # ratios and prices do not add up


@dataclass(frozen=True)
class Scope:
    """What the comparison is narrowed to; None is everything."""

    measure: str
    family_id: int | None = None
    region_id: int | None = None
    month: date | None = None


@dataclass
class GridRow:
    name: str
    family_id: int | None
    region_id: int | None
    before: list[Decimal]
    after: list[Decimal]
    stock: bool = False  # a level: its horizon figure is the last month's, not a sum

    @property
    def changes(self) -> list[Decimal]:
        return [a - b for b, a in zip(self.before, self.after, strict=True)]

    @property
    def changed(self) -> bool:
        return any(self.changes)

    def _over(self, figures: list[Decimal]) -> Decimal:
        return (figures[-1] if figures else ZERO) if self.stock else sum(figures, ZERO)

    @property
    def total_before(self) -> Decimal:
        return self._over(self.before)

    @property
    def total_after(self) -> Decimal:
        return self._over(self.after)

    @property
    def total_change(self) -> Decimal:
        return self.total_after - self.total_before


@dataclass
class Grid:
    months: list[date]
    rows: list[GridRow] = field(default_factory=list)
    total: GridRow | None = None


def grid_measure(measure: str) -> bool:
    """Whether a measure's figures add up into a grid (units, revenue, stock levels)."""
    known = MEASURES.get(measure)
    return bool(known and known.aggregation in GRID_AGGREGATIONS)


def difference_grid(
    *, cycle: Cycle, low: int, high: int, scope: Scope, by_sku: bool, only_changed: bool
) -> Grid:
    """Before, after and change per family x region (or per SKU) and month of the horizon."""
    months = [scope.month] if scope.month else cycle.horizon()
    keys = ("product_id",) if by_sku else ("product__family_id", "territory__region_id")
    before = _sums(cycle, low, scope, keys)
    after = _sums(cycle, high, scope, keys)
    stock = MEASURES[scope.measure].aggregation is Aggregation.STOCK
    names = _names(by_sku, {key for key, _ in (*before, *after)})
    rows = []
    for key in sorted({k for k, _ in (*before, *after)}, key=lambda k: names[k][0]):
        name, family_id, region_id = names[key]
        row = GridRow(
            name,
            family_id,
            region_id,
            before=[before.get((key, m), ZERO) for m in months],
            after=[after.get((key, m), ZERO) for m in months],
            stock=stock,
        )
        if row.changed or not only_changed:
            rows.append(row)
    return Grid(months, rows, _total(rows, len(months), stock))


def _sums(cycle: Cycle, seq: int, scope: Scope, keys: tuple[str, ...]) -> dict:
    rows = plan_values_as_of(cycle, seq).filter(measure=scope.measure)
    if scope.family_id:
        rows = rows.filter(product__family_id=scope.family_id)
    if scope.region_id:
        rows = rows.filter(territory__region_id=scope.region_id)
    if scope.month:
        rows = rows.filter(month=scope.month)
    grouped = rows.order_by().values(*keys, "month").annotate(total=Sum("value"))
    return {(tuple(row[k] for k in keys), row["month"]): row["total"] for row in grouped}


def _names(by_sku: bool, keys: set[tuple]) -> dict[tuple, tuple[str, int | None, int | None]]:
    """Each row's name (and the family and region a drill-down narrows to)."""
    if by_sku:
        products = Product.objects.filter(pk__in=[k[0] for k in keys])
        return {(p.pk,): (f"{p.sku} {p.name}", p.family_id, None) for p in products}
    families = dict(ProductFamily.objects.values_list("pk", "name"))
    regions = dict(Region.objects.values_list("pk", "name"))
    return {(f, r): (f"{families.get(f, '?')} · {regions.get(r, '?')}", f, r) for f, r in keys}


def _total(rows: list[GridRow], months: int, stock: bool) -> GridRow:
    before, after = [ZERO] * months, [ZERO] * months
    for row in rows:
        before = [x + y for x, y in zip(before, row.before, strict=True)]
        after = [x + y for x, y in zip(after, row.after, strict=True)]
    return GridRow("Total", None, None, before, after, stock=stock)


CSV_HEADER = ["measure", "family", "region", "sku", "territory", "month", "before", "after",
              "change", "changed_by"]  # fmt: skip


def _filtered(scope: Scope | None) -> tuple[str, dict]:
    conditions, params = [], {}
    for name, column, value in (
        ("measure", "c.measure", scope and scope.measure),
        ("family", "p.family_id", scope and scope.family_id),
        ("region", "t.region_id", scope and scope.region_id),
        ("month", "c.month", scope and scope.month),
    ):
        if value:
            conditions.append(f"AND {column} = %({name})s")
            params[name] = value
    return " ".join(conditions), params


def difference_rows(
    *, cycle_id: int, low: int, high: int, scope: Scope | None, limit: int | None, offset: int = 0
) -> Iterator[tuple]:
    """The changed figures in (measure, family, region, SKU, territory, month) order, as
    (measure, family, region, sku, territory, month, before, after, changed_by_id, changed_at)."""
    changed, params = _changed(cycle_id, low, high)
    where, extra = _filtered(scope)
    sql = (
        "SELECT c.measure, f.name, r.name, p.sku, t.name, c.month, c.before, c.after, "
        f"c.changed_by_id, c.changed_at FROM ({changed}) c "
        f"JOIN {Product._meta.db_table} p ON p.id = c.product_id "
        f"JOIN {ProductFamily._meta.db_table} f ON f.id = p.family_id "
        f"JOIN {Territory._meta.db_table} t ON t.id = c.territory_id "
        f"JOIN {Region._meta.db_table} r ON r.id = t.region_id "
        f"WHERE {_DIFFERS} {where} ORDER BY c.measure, f.name, r.name, p.sku, t.name, c.month "
        "LIMIT %(limit)s OFFSET %(offset)s"
    )
    params |= extra | {"limit": 2**62 if limit is None else limit, "offset": offset}
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            for measure, family, region, *rest in chunk:
                typed = _typed((measure, *rest))
                yield (typed[0], family, region, *typed[1:])


def difference_csv_lines(*, cycle: Cycle, low: int, high: int, scope: Scope | None):
    """Every changed figure as CSV, 2,000 lines at a time; measures named in words."""
    users = {u.pk: u.get_full_name() or u.get_username() for u in get_user_model().objects.all()}
    yield csv_line(CSV_HEADER)
    lines = []
    rows = difference_rows(cycle_id=cycle.pk, low=low, high=high, scope=scope, limit=None)
    for measure, family, region, sku, territory, month, before, after, by, _at in rows:
        change = (after or ZERO) - (before or ZERO)
        label = MEASURES[measure].label if measure in MEASURES else measure
        lines.append(csv_line([label, family, region, sku, territory, f"{month:%Y-%m}",
                               before, after, change, users.get(by, "")]))  # fmt: skip
        if len(lines) == 2000:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def change_count(*, cycle_id: int, low: int, high: int, scope: Scope | None) -> int:
    changed, params = _changed(cycle_id, low, high)
    where, extra = _filtered(scope)
    sql = (
        f"SELECT COUNT(*) FROM ({changed}) c "
        f"JOIN {Product._meta.db_table} p ON p.id = c.product_id "
        f"JOIN {Territory._meta.db_table} t ON t.id = c.territory_id "
        f"WHERE {_DIFFERS} {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params | extra)
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class FigureChange:
    """One changed figure, named: what the figure-by-figure list shows."""

    measure: str
    family: str
    region: str
    sku: str
    territory: str
    month: date
    before: Decimal | None
    after: Decimal | None
    changed_by: str

    @property
    def delta(self) -> Decimal:
        return (self.after or ZERO) - (self.before or ZERO)

    @property
    def measure_label(self) -> str:
        known = MEASURES.get(self.measure)
        return known.label if known else self.measure


def named_changes(rows: list[tuple]) -> list[FigureChange]:
    """difference_rows' tuples with the people who changed them by name (one query)."""
    ids = {row[8] for row in rows if row[8] is not None}
    users = get_user_model().objects.filter(pk__in=ids)
    names = {u.pk: u.get_full_name() or u.get_username() for u in users}
    return [FigureChange(*row[:8], changed_by=names.get(row[8], "")) for row in rows]
