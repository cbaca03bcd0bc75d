"""Benchmark: the demand plan grid and a 1,000-cell override on the large demo company.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> .venv/bin/python bench/demand_bench.py
Options: --repeat N (timings are the median of N runs; default 5).

What it does, in one run on PostgreSQL:
1. migrates the database and makes sure the demo company exists at the scale of
   `manage.py seed_demo --scale 10000 --no-history` (about 10,000 SKU x territory series,
   48 months of history; loaded once, reused afterwards);
2. puts the demo's open cycle in demand planning and, when it has no finished
   forecast run, writes one by SQL (seasonal naive: the same month last year,
   interval +-20%), since the bench measures planning, not the forecast engine;
3. times baseline_load (the forecast run into baseline, interval and consensus,
   set-based), the same path as when a run finishes;
4. times the grid selector (what the API and the screen call, default measures)
   at company (family x company), region (family x region) and territory (SKU x
   one territory, a planner's scope) level, next to a plain SELECT of the leaf
   plan rows under the view, in the same run (company and region views read the
   family x territory rollup, hence ratios below 1);
5. times override_apply of +1% on a family in a region over enough months to
   touch about 1,000 leaf cells, next to a plain SELECT of those cells'
   consensus and baseline (what the service reads before it writes).
Targets: every grid view under 300 ms server time; the override under 500 ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from cycles.measures import MeasureCode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from large_company import bench_user, ensure_large_company  # noqa: E402  (bench/ is on the path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("demand_bench: set DATABASE_URL to a PostgreSQL database.")
    import django

    django.setup()
    run(options)


def timed(function, repeat: int) -> tuple[float, object]:
    """Median milliseconds of `repeat` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def run(options) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    manager = ensure_company()
    cycle = ensure_demand_cycle(manager)
    from cycles.models import PlanValue
    from demand.baseline import baseline_load

    started = time.perf_counter()
    changed = baseline_load(actor=manager, cycle_id=cycle.pk)
    print(f"baseline_load: {(time.perf_counter() - started) * 1000:,.0f} ms, changed {changed}")
    cells = PlanValue.objects.live().filter(cycle=cycle).count()
    print(f"plan store: {cells:,} current figures in {cycle}\n")
    print(f"{'view':<44}{'server ms':>10}{'plain ms':>10}{'ratio':>8}{'rows':>7}")
    for label, query, plain in grid_cases(cycle):
        ms, result = timed(lambda q=query: grid(q, manager), options.repeat)
        floor, _count = timed(plain, options.repeat)
        print(f"{label:<44}{ms:>10.1f}{floor:>10.1f}{ms / floor:>8.1f}{len(result['rows']):>7}")
    override_case(cycle, manager, options.repeat)


def ensure_company():
    from accounts.roles import Role

    ensure_large_company()
    return bench_user("demand-bench", Role.SALES_OPS_MANAGER)


def ensure_demand_cycle(manager):
    """The demo's open cycle, in demand planning, with a finished forecast run."""
    from django.db import connection
    from django.utils import timezone

    from cycles.calendar import add_months
    from cycles.models import Cycle
    from forecasting.models import ForecastRun, ForecastValue, SalesActual

    cycle = Cycle.objects.filter(status=Cycle.Status.OPEN).order_by("-month").first()
    Cycle.objects.filter(pk=cycle.pk).update(stage="demand_planning", owner=manager)
    cycle.refresh_from_db()
    if not ForecastRun.objects.filter(cycle=cycle, status="done").exists():
        print("writing a seasonal-naive forecast run by SQL (once)...", flush=True)
        run = ForecastRun.objects.create(
            cycle=cycle,
            status="done",
            history_end=add_months(cycle.month, -1),
            finished_at=timezone.now(),
            trigger="bench",
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {ForecastValue._meta.db_table} (run_id, chunk, product_id, "
                "territory_id, month, point, lo80, hi80, lo95, hi95) SELECT %s, 0, product_id, "
                "territory_id, (period + interval '12 months')::date, units, units * 0.8, "
                f"units * 1.2, units * 0.6, units * 1.4 FROM {SalesActual._meta.db_table} "
                "WHERE period >= %s AND period <= %s",
                [run.pk, add_months(cycle.month, -12), add_months(cycle.month, -1)],
            )
    return cycle


def grid(query, user):
    from demand.selectors import grid as grid_rows

    return grid_rows(query, user)


def plain_select(cycle, **filters):
    from cycles.models import PlanValue
    from demand.selectors import DEFAULT_MEASURES

    def select():
        rows = (
            PlanValue.objects.live()
            .filter(
                cycle=cycle,
                measure__in=DEFAULT_MEASURES,
                **filters,
            )
            .values_list("product_id", "territory_id", "measure", "month", "value", "row_version")
        )
        return len(list(rows))

    return select


def grid_cases(cycle):
    from demand.scope import Scope
    from demand.selectors import GridQuery
    from territories.selectors import active_territories

    territory = active_territories().order_by("pk").first()
    return [
        (
            "company (family x company)",
            GridQuery(cycle=cycle, territory_level="company"),
            plain_select(cycle),
        ),
        (
            "region (family x region)",
            GridQuery(cycle=cycle, territory_level="region"),
            plain_select(cycle),
        ),
        (
            "region, revenue",
            GridQuery(cycle=cycle, territory_level="region", revenue=True),
            plain_select(cycle),
        ),
        (
            f"territory {territory.name} (SKU x territory)",
            GridQuery(
                cycle=cycle,
                scope=Scope(territory=territory.pk),
                product_level="sku",
                territory_level="territory",
            ),
            plain_select(cycle, territory_id=territory.pk),
        ),
    ]


def override_case(cycle, manager, repeat: int) -> None:
    """+1% on a family in a region, over as many months as make about 1,000 leaf cells."""
    from django.db.models import Count

    from cycles.models import PlanValue
    from demand.scope import Scope
    from demand.services import leaf_cells, override_apply, versions_by_month

    series = (
        PlanValue.objects.live()
        .filter(cycle=cycle, measure=MeasureCode.CONSENSUS, month=cycle.month)
        .values("product__family_id", "territory__region_id")
        .annotate(n=Count("id"))
    )
    best = min(series, key=lambda s: min(abs(s["n"] * m - 1000) for m in range(1, 13)))
    months_count = min(range(1, 13), key=lambda m: abs(best["n"] * m - 1000))
    months = cycle.horizon()[:months_count]
    filters = {"family": best["product__family_id"], "region": best["territory__region_id"]}
    scope = Scope.from_filters(filters)
    territories = scope.territory_ids()
    times, touched = [], 0
    for _ in range(repeat):
        expected = versions_by_month(leaf_cells(cycle, scope, territories, months))
        started = time.perf_counter()
        override = override_apply(
            actor=manager,
            cycle_id=cycle.pk,
            filters=filters,
            first_month=months[0],
            last_month=months[-1],
            mode="percent",
            value=1,
            reason_code="other",
            comment="bench",
            expected_versions=expected,
        )
        times.append((time.perf_counter() - started) * 1000)
        touched = override.cell_count
    cells = best["n"] * months_count

    products, places = scope.product_ids(), territories

    def plain():
        rows = (
            PlanValue.objects.live()
            .filter(
                cycle=cycle,
                measure__in=(MeasureCode.CONSENSUS, MeasureCode.BASELINE),
                month__in=months,
                product_id__in=products,
                territory_id__in=places,
            )
            .values_list("product_id", "territory_id", "measure", "month", "value", "row_version")
        )
        return len(list(rows))

    floor, _ = timed(plain, repeat)
    ms = statistics.median(times)
    print(
        f"\noverride +1% on {scope.describe()}, {months_count} month(s): {cells:,} leaf cells "
        f"({touched:,} changed in the last run)\n"
        f"{'override_apply':<44}{ms:>10.1f}{floor:>10.1f}{ms / floor:>8.1f}"
    )


if __name__ == "__main__":
    main()
