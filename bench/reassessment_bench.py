"""Benchmark: score 12 released plans against one month of actuals for ~10,000 series.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/reassessment_bench.py
Options: --repeat N (default 2: the second run replaces the first run's scores).

What it does, on PostgreSQL:
1. migrates the database and makes sure the demo company exists at the scale of
   `manage.py seed_demo --scale 10000 --no-history` (about 10,000 SKU x territory series and
   48 months of history ending last month; loaded once, reused afterwards);
2. makes sure the 12 cycles whose horizon covers last month (last month - 11 ..
   last month) are released plans: each is written set-based, once, in SQL
   (baseline with its 80% interval and the consensus for every series and its
   12 months, and overrides by three bench planners with reason codes on about
   5% of the series, as demand.Override / OverrideCell rows), then released;
   they are reused on the next run;
3. times `reassessment.services.scores_recompute(months=[last month])`: one
   query per source into pandas, vectorised scoring of every lag x level
   (company, region, territory, family), FVA layers, the month's scores
   replaced in one transaction;
4. prints seconds per run and the cells and plans scored; the target is < 10 s.
The machine's load average is printed too: on a shared 2-core machine the
figures move with what else runs.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

from cycles.measures import MeasureCode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from large_company import bench_user, ensure_large_company  # noqa: E402  (bench/ is on the path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")

PLAN_MEASURES = {
    MeasureCode.BASELINE: "s.level * (0.85 + 0.3 * random())",
    MeasureCode.BASELINE_LOW: "s.level * 0.7",
    MeasureCode.BASELINE_HIGH: "s.level * 1.3",
    MeasureCode.CONSENSUS: "s.level * (0.85 + 0.3 * random())",
}
PLANNERS = ("bench-planner-a", "bench-planner-b", "bench-planner-c")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("reassessment_bench: set DATABASE_URL to a PostgreSQL database.")
    import django

    django.setup()
    run(options)


def run(options) -> None:
    from django.core.management import call_command

    from cycles.calendar import add_months, month_start
    from reassessment.services import scores_recompute

    call_command("migrate", verbosity=0)
    manager = ensure_company()
    target = add_months(month_start(date.today()), -1)
    ensure_released_plans(manager, target)
    for attempt in range(1, options.repeat + 1):
        started = time.perf_counter()
        result = scores_recompute(months=[target])
        seconds = time.perf_counter() - started
        print(
            f"run {attempt}: scored {result.plans_scored} released plans x "
            f"{result.cells_scored:,} cells for {target:%Y-%m} in {seconds:.2f} s "
            f"(target < 10 s)",
            flush=True,
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def ensure_company():
    from accounts.roles import Role

    ensure_large_company()
    return bench_user("reassessment-bench", Role.SALES_OPS_MANAGER)


def ensure_released_plans(manager, target: date) -> None:
    from cycles.calendar import add_months
    from cycles.models import Cycle

    for lag in range(12):
        month = add_months(target, -lag)
        cycle = Cycle.objects.filter(month=month).first()
        if cycle is not None and cycle.is_released:
            continue
        if cycle is not None:
            sys.exit(f"reassessment_bench: {cycle} exists and is open; use a database of its own.")
        started = time.perf_counter()
        write_released_plan(manager, month)
        print(f"wrote the released plan of {month:%Y-%m} in {time.perf_counter() - started:.1f} s")


def write_released_plan(manager, month: date) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from cycles.calendar import add_months
    from cycles.models import Cycle

    with transaction.atomic():
        cycle = Cycle.objects.create(month=month, owner=manager)
        with connection.cursor() as cursor:
            cursor.execute(_levels_sql(), [add_months(month, -12), month])
            for measure, expression in PLAN_MEASURES.items():
                cursor.execute(_plan_sql(measure, expression), [cycle.pk, month])
            _write_overrides(cursor, cycle, manager)
        Cycle.objects.filter(pk=cycle.pk).update(
            status="released", stage="sign_off", released_at=timezone.now()
        )


def _levels_sql() -> str:
    """Each series' mean monthly units over the year before the cycle: the plans' level."""
    return (
        "DROP TABLE IF EXISTS bench_level; CREATE TEMP TABLE bench_level AS "
        "SELECT product_id, territory_id, AVG(units) AS level FROM forecasting_salesactual "
        "WHERE period >= %s AND period < %s GROUP BY product_id, territory_id"
    )


def _plan_sql(measure: str, expression: str) -> str:
    return (
        "INSERT INTO cycles_planvalue (cycle_id, measure, product_id, territory_id, month, "
        "value, valid_from_seq, row_version, changed_at) "
        f"SELECT %s, '{measure}', s.product_id, s.territory_id, "
        "(%s::date + make_interval(months => h))::date, "
        f"ROUND(({expression})::numeric, 4), 1, 1, now() "
        "FROM bench_level s CROSS JOIN generate_series(0, 11) h"
    )


def _write_overrides(cursor, cycle, manager) -> None:
    """Three planners override ~5% of the series (3 products in 60), one reason each;
    the consensus of those cells is the override, as in demand planning."""
    from django.contrib.auth import get_user_model

    from demand.models import Override, ReasonCode

    reasons = list(ReasonCode.objects.order_by("pk")[:3])
    for number, username in enumerate(PLANNERS):
        actor, _ = get_user_model().objects.get_or_create(username=username)
        override = Override.objects.create(
            cycle=cycle, actor=actor, reason=reasons[number % len(reasons)], scope={},
            scope_label="bench", first_month=cycle.month, last_month=cycle.month,
            mode="percent", value=10, total_before=0, total_after=0, cell_count=0,
        )  # fmt: skip
        cursor.execute(_override_cells_sql(), [override.pk, cycle.pk, number])
    cursor.execute(
        "INSERT INTO cycles_planvalue (cycle_id, measure, product_id, territory_id, month, value, "
        "valid_from_seq, row_version, changed_at) SELECT o.cycle_id, 'override', c.product_id, "
        "c.territory_id, c.month, c.after, 1, 1, now() FROM demand_overridecell c "
        "JOIN demand_override o ON o.id = c.override_id WHERE o.cycle_id = %s",
        [cycle.pk],
    )
    cursor.execute(
        "UPDATE cycles_planvalue p SET value = o.value FROM cycles_planvalue o "
        "WHERE p.cycle_id = %s AND o.cycle_id = p.cycle_id AND p.measure = 'consensus' "
        "AND o.measure = 'override' AND o.product_id = p.product_id "
        "AND o.territory_id = p.territory_id AND o.month = p.month",
        [cycle.pk],
    )


def _override_cells_sql() -> str:
    return (
        "INSERT INTO demand_overridecell (override_id, product_id, territory_id, month, before, "
        "after) SELECT %s, p.product_id, p.territory_id, p.month, p.value, "
        "ROUND((p.value * (0.8 + 0.4 * random()))::numeric, 4) FROM cycles_planvalue p "
        "WHERE p.cycle_id = %s AND p.measure = 'consensus' "
        "AND p.product_id %% 60 = %s * 20"
    )


if __name__ == "__main__":
    main()
