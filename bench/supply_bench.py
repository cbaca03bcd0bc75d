"""Benchmark: supply plan, reconciliation view and a 3-scenario comparison on the large demo.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> .venv/bin/python bench/supply_bench.py
(PostgreSQL only; use a database of its own, the bench writes plan figures into it.)

What it does:
1. migrates and, once, loads the demo company at the scale of
   `manage.py seed_demo --scale 10000 --no-history` (about 10,000 SKU x territory series);
2. once, loads consensus demand into the plan store of the open cycle: one
   figure per series and month of the 12-month horizon (the mean of the series'
   last 12 months of actuals, with a seasonal wave), written in bulk as the
   demand app would; supply inputs per family (capacity at 97% of the family's
   mean demand, an opening stock, 2 weeks of target cover) and a budget per
   family x territory x month (units and revenue, 3% above demand);
3. times, each as a user would trigger it:
   - computing the supply plan (supply_plan_compute: read and sum consensus and
     inputs in the database, project every family, write production, inventory
     and shortage);
   - the reconciliation view (selectors.reconciliation: demand, supply and
     budget by family, region and month, and the gaps);
   - comparing 3 scenarios with the base plan (selectors.scenarios_compare), and
     their change by family and by month (selectors.scenario_changes);
   - deciding every gap of the cycle in one call (services.gap_decide_many);
   - and, for information, the executive pre-read (pack.pre_read).
Targets: under 2 s each. Prints the figures.
"""

import os
import sys
import time
from pathlib import Path

from cycles.measures import MeasureCode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from large_company import bench_user, ensure_large_company  # noqa: E402  (bench/ is on the path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")
TARGET_SECONDS = 2.0


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("supply_bench: set DATABASE_URL to a PostgreSQL database.")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    cycle, planner, manager = ensure_company()
    ensure_plan(cycle, manager)
    results = [
        timed("supply plan computed and stored", lambda: compute(cycle, planner)),
        timed("reconciliation view", lambda: reconcile(cycle)),
        timed("3 scenarios compared with the base", lambda: compare(cycle, manager)),
        timed("3 scenarios by family and month", lambda: compare_detail(cycle, manager)),
        timed("every gap decided in one call", lambda: decide_all(cycle, manager)),
        timed("executive pre-read (sign-off page data)", lambda: preread(cycle)),
    ]
    print()
    for label, seconds, detail in results:
        verdict = "ok" if seconds < TARGET_SECONDS else "OVER TARGET"
        print(f"{label:40s} {seconds:7.3f} s  ({detail}) [{verdict}, target < {TARGET_SECONDS} s]")


def timed(label: str, call):
    started = time.perf_counter()
    detail = call()
    return label, time.perf_counter() - started, detail


def ensure_company():
    from accounts.roles import Role
    from cycles.models import Cycle

    ensure_large_company()
    planner = bench_user("supply-bench", Role.SUPPLY_PLANNER)
    manager = bench_user("owner-bench", Role.SALES_OPS_MANAGER)
    cycle = Cycle.objects.filter(status=Cycle.Status.OPEN).order_by("-month").first()
    return cycle, planner, manager


def ensure_plan(cycle, manager) -> None:
    from cycles.models import PlanValue

    if not PlanValue.objects.filter(cycle=cycle, measure=MeasureCode.CONSENSUS).exists():
        started = time.perf_counter()
        count = load_consensus(cycle, manager)
        print(f"loaded {count:,} consensus figures in {time.perf_counter() - started:.1f} s")
    if not PlanValue.objects.filter(cycle=cycle, measure=MeasureCode.CAPACITY).exists():
        load_inputs_and_budget(cycle, manager)


def load_consensus(cycle, actor) -> int:
    """Mean of each series' last 12 months of actuals, with a seasonal wave, per horizon month."""
    import math

    from django.db.models import Avg

    from cycles.calendar import add_months
    from cycles.models import PlanValue
    from forecasting.models import SalesActual

    months = cycle.horizon()
    series = (
        SalesActual.objects.filter(period__gte=add_months(cycle.month, -12))
        .values("product_id", "territory_id")
        .annotate(mean=Avg("units"))
    )
    rows = [
        PlanValue(
            cycle=cycle,
            measure=MeasureCode.CONSENSUS,
            product_id=s["product_id"],
            territory_id=s["territory_id"],
            month=month,
            value=round(float(s["mean"]) * (1 + 0.2 * math.sin(t)), 2),
            valid_from_seq=cycle.version_seq,
            changed_by=actor,
        )
        for s in series
        for t, month in enumerate(months)
    ]
    PlanValue.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def load_inputs_and_budget(cycle, actor) -> None:
    from decimal import Decimal

    from reconciliation.selectors import region_cells
    from supply.selectors import family_anchors, measure_by_family_month
    from supply.store import plan_values_write
    from territories.models import Territory

    months, anchors = cycle.horizon(), family_anchors()
    demand = measure_by_family_month(cycle, (MeasureCode.CONSENSUS,))
    mean = {
        f: sum(demand.get((f, MeasureCode.CONSENSUS, m), 0) for m in months) / 12 for f in anchors
    }

    def at(f, m):
        return (anchors[f].product_id, anchors[f].territory_id, m)

    inputs = {
        MeasureCode.CAPACITY: {
            at(f, m): Decimal(round(mean[f] * 0.97)) for f in anchors for m in months
        },
        MeasureCode.OPENING_INVENTORY: {
            at(f, months[0]): Decimal(round(mean[f] * 0.3)) for f in anchors
        },
        MeasureCode.TARGET_WEEKS: {at(f, m): Decimal(2) for f in anchors for m in months},
    }
    for measure, values in inputs.items():
        plan_values_write(cycle=cycle, measure=measure, values=values, actor=actor)
    # budget: 3% above demand, per family x territory (its demand spread evenly)
    territories = list(Territory.objects.values_list("pk", "region_id"))
    per_region = {}
    for family, regions in region_cells(cycle).items():
        for region, cell in regions.items():
            per_region[(family, region)] = cell
    units, revenue = {}, {}
    for family in anchors:
        for territory, region in territories:
            cell = per_region.get((family, region))
            if cell is None:
                continue
            share = 1 / sum(1 for _t, r in territories if r == region)
            for t, month in enumerate(months):
                key = (anchors[family].product_id, territory, month)
                units[key] = Decimal(round(cell.demand[t] * share * 1.03, 2))
                revenue[key] = Decimal(round(cell.revenue[t] * share * 1.03, 2))
    plan_values_write(cycle=cycle, measure=MeasureCode.BUDGET_UNITS, values=units, actor=actor)
    plan_values_write(cycle=cycle, measure=MeasureCode.BUDGET_REVENUE, values=revenue, actor=actor)


def _stage(cycle, stage) -> None:
    type(cycle).objects.filter(pk=cycle.pk).update(stage=stage.value)
    cycle.refresh_from_db()


def compute(cycle, planner) -> str:
    from cycles.stages import Stage
    from supply.services import supply_plan_compute

    _stage(cycle, Stage.SUPPLY_PLANNING)
    plans = supply_plan_compute(actor=planner, cycle_id=cycle.pk)
    shortage = sum(sum(p.shortage) for p in plans.values())
    return f"{len(plans)} families, {shortage:,.0f} units short"


def reconcile(cycle) -> str:
    from cycles.stages import Stage
    from reconciliation.selectors import reconciliation

    _stage(cycle, Stage.RECONCILIATION)
    view = reconciliation(cycle)
    return (
        f"{len(view['by_family'])} families x {len(view['by_region'])} regions x "
        f"{len(view['by_month'])} months, {len(view['gaps'])} gaps"
    )


def compare(cycle, manager) -> str:
    from reconciliation.models import Scenario, ScenarioChange
    from reconciliation.selectors import scenarios_compare

    months = cycle.horizon()
    specs = (("capacity", 10), ("demand", -5), ("price", 3))
    ids = []
    for kind, percent in specs:
        scenario, _ = Scenario.objects.get_or_create(
            cycle=cycle, name=f"bench {kind}", defaults={"created_by": manager}
        )
        if not scenario.changes.exists():
            ScenarioChange.objects.create(
                scenario=scenario,
                kind=kind,
                month_from=months[2],
                month_to=months[8],
                percent=percent,
            )
        ids.append(scenario.pk)
    columns = scenarios_compare(cycle, ids)
    return ", ".join(f"{name}: revenue {fig.revenue:,.0f}" for name, fig in columns)


def compare_detail(cycle, manager) -> str:
    from reconciliation.models import Scenario
    from reconciliation.selectors import scenario_changes

    compare(cycle, manager)  # makes the three scenarios if they are not there yet
    ids = list(
        Scenario.objects.filter(cycle=cycle, name__startswith="bench ").values_list(
            "pk", flat=True
        )
    )
    changes = scenario_changes(cycle, ids, "revenue")
    return f"{len(changes['by_family'])} families, {len(changes['by_month'])} months"


def decide_all(cycle, manager) -> str:
    from reconciliation.selectors import gaps
    from reconciliation.services import gap_decide_many

    keys = [gap.key for gap in gaps(cycle)]
    rows = gap_decide_many(
        actor=manager,
        cycle_id=cycle.pk,
        gap_keys=keys,
        decision="accept",
        owner_id=manager.pk,
        rationale="bench",
        expected_impact="none",
    )
    return f"{len(rows)} gaps decided"


def preread(cycle) -> str:
    from reconciliation.pack import pre_read

    data = pre_read(cycle)
    return f"{len(data['kpis'])} KPIs, {len(data['gaps'])} gaps, {len(data['chart']['labels'])} months"


if __name__ == "__main__":
    main()
