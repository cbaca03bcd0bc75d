"""How the plan-value store behaves at the size the issue asks for.

10,000 series x 12 months x 10 measures = 1.2 million values in one cycle.
Prints: load time, cost of a snapshot (a version), of one audited edit through
plan_value_set, of reading a version, and of comparing two versions after 1%
of the figures changed. Runs inside one transaction that is rolled back, so
the database is left as it was. Use PostgreSQL:

    DATABASE_URL=postgres://... .venv/bin/python bench/plan_store_versions.py [--series 10000]
"""

import argparse
import os
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from cycles.measures import MeasureCode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from accounts.roles import Role  # noqa: E402
from cycles import selectors, services  # noqa: E402
from cycles.calendar import add_months  # noqa: E402
from cycles.models import Cycle, PlanValue  # noqa: E402
from cycles.plan_services import (  # noqa: E402
    CellChange,
    plan_value_set,
    plan_values_set_many,
    plan_version_snapshot,
)
from products.models import Product, ProductFamily  # noqa: E402
from territories.models import Region, Territory  # noqa: E402

MEASURES = [
    MeasureCode.BASELINE,
    MeasureCode.BASELINE_LOW,
    MeasureCode.BASELINE_HIGH,
    MeasureCode.OVERRIDE,
    MeasureCode.EVENTS,
    MeasureCode.CONSENSUS,
    MeasureCode.CAPACITY,
    MeasureCode.INVENTORY_TARGET,
    MeasureCode.BUDGET_UNITS,
    MeasureCode.BUDGET_REVENUE,
]
MONTH = date(2031, 1, 1)


@contextmanager
def timed(label: str):
    start = time.perf_counter()
    yield
    print(f"{label:<58} {time.perf_counter() - start:8.3f} s")


def build_company(series: int) -> tuple[list[int], list[int]]:
    region = Region.objects.create(code="bench", name="Bench region")
    territories = Territory.objects.bulk_create(
        Territory(code=f"bench-{i}", name=f"Bench {i}", region=region) for i in range(12)
    )
    family = ProductFamily.objects.create(code="bench", name="Bench family")
    products = Product.objects.bulk_create(
        Product(sku=f"BENCH-{i:05d}", name=f"Bench {i}", family=family, unit_price=1, unit_cost=1)
        for i in range(-(-series // 12))
    )
    return [p.pk for p in products], [t.pk for t in territories]


def load_values(cycle: Cycle, product_ids: list[int], territory_ids: list[int]) -> None:
    """Every measure x series x month of the horizon, written by the database itself."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cycles_planvalue (cycle_id, measure, product_id, territory_id, month,
                value, valid_from_seq, row_version, changed_at)
            SELECT %s, m, p, t, (%s::date + make_interval(months => k))::date,
                   (p + t + k) %% 500, 1, 1, now()
            FROM unnest(%s::text[]) m, unnest(%s::bigint[]) p, unnest(%s::bigint[]) t,
                 generate_series(0, 11) k
            """,
            [cycle.pk, MONTH, MEASURES, product_ids, territory_ids],
        )


def edit_one_percent(cycle: Cycle) -> int:
    """A set-based stand-in for a month of edits: 1% of the figures change after the snapshot."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH picked AS (
                UPDATE cycles_planvalue SET valid_to_seq = %s
                WHERE cycle_id = %s AND valid_to_seq IS NULL AND valid_from_seq < %s
                  AND id %% 100 = 0
                RETURNING cycle_id, measure, product_id, territory_id, month, value, row_version)
            INSERT INTO cycles_planvalue (cycle_id, measure, product_id, territory_id, month,
                value, valid_from_seq, row_version, changed_at)
            SELECT cycle_id, measure, product_id, territory_id, month, value + 1, %s,
                   row_version + 1, now() FROM picked
            """,
            [cycle.version_seq, cycle.pk, cycle.version_seq, cycle.version_seq],
        )
        return cursor.rowcount


def run(series: int) -> None:
    from tests.factories import UserFactory

    finance = UserFactory.with_role(Role.FINANCE, username="bench-finance")
    manager = UserFactory.with_role(Role.SALES_OPS_MANAGER, username="bench-manager")
    cycle = services.cycle_open(actor=manager, month=MONTH)
    product_ids, territory_ids = build_company(series)
    with timed(f"load {len(MEASURES) * len(product_ids) * len(territory_ids) * 12:,} values"):
        load_values(cycle, product_ids, territory_ids)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    with timed("snapshot a version (plan_version_snapshot)"):
        first = plan_version_snapshot(cycle=cycle, actor=manager, label="bench")
        cycle.save(update_fields=["version_seq"])
    cells = [(p, t) for p in product_ids for t in territory_ids][:100]
    with timed("100 audited edits through plan_value_set"):
        for i, (product_id, territory_id) in enumerate(cells):
            plan_value_set(
                actor=finance,
                cycle_id=cycle.pk,
                measure=MeasureCode.BUDGET_UNITS,
                product_id=product_id,
                territory_id=territory_id,
                month=MONTH,
                value=i,
                expected_row_version=1,
            )
    pairs = [(p, t) for p in product_ids for t in territory_ids][:10_000]
    grid = [CellChange(p, t, add_months(MONTH, 1), 7, expected_row_version=1) for p, t in pairs]
    with timed(f"one grid save of {len(grid):,} figures (plan_values_set_many)"):
        plan_values_set_many(
            actor=finance, cycle_id=cycle.pk, measure=MeasureCode.BUDGET_UNITS, changes=grid
        )
    with timed("1% of the figures changed (set-based)"):
        changed = edit_one_percent(cycle)
    with timed("read a whole version: count + sum as of the snapshot"):
        rows = selectors.plan_values_as_of(cycle, first.seq)
        total = rows.count()
        list(rows.values("measure").annotate(s=django.db.models.Sum("value")))
    with timed(f"compare snapshot with now ({changed + 100 + len(grid):,} edits)"):
        changes = selectors.plan_versions_compare(
            cycle=cycle, seq_a=first.seq, seq_b=cycle.version_seq
        )
    print(f"values in the version: {total:,}; rows in the store: {PlanValue.objects.count():,}")
    print(f"changes found: {len(changes):,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    with transaction.atomic():
        run(args.series)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
