"""Benchmark: reconciliation with about 100 gaps: the gap list page, every gap decided in
one action, and three scenarios' change by family and by month.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> .venv/bin/python bench/gap_list_bench.py
(PostgreSQL; a database of its own: the demo company is loaded once, as `manage.py seed_demo`.)

What it does, inside one transaction rolled back at the end (the database is left as it was):
1. takes the released cycle of the demo's year of history with the most gaps, copies its
   current plan figures (consensus, supply inputs, budget) into the open cycle, moved to
   the open cycle's months, and places the open cycle in Reconciliation;
2. times, as the Sales Ops Manager would meet them (Django's test client, in-process:
   routing, middleware, view, template; no network):
   - the reconciliation page (figures, the gap list with its rows and totals);
   - deciding every gap at once (POST of the page's form: gap_decide_many, all or none);
   - three scenarios' change against the base plan by family and by month
     (selectors.scenario_changes), and the scenarios page showing it.
Target: under 1 s each. Prints the figures.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")
TARGET_SECONDS = 1.0


class Rollback(Exception):
    """Raised at the end so the copied plan and the decisions are not kept."""


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("gap_list_bench: set DATABASE_URL to a PostgreSQL database.")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '300s'")  # never a stray query
            results = run()
            raise Rollback
    except Rollback:
        pass
    print()
    for label, seconds, detail in results:
        verdict = "ok" if seconds < TARGET_SECONDS else "OVER TARGET"
        print(f"{label:44s} {seconds:7.3f} s  ({detail}) [{verdict}, target < {TARGET_SECONDS} s]")


def run() -> list[tuple[str, float, str]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    cycle = copy_busiest_plan()
    manager = get_user_model().objects.get(username="manager")
    client = Client()
    client.force_login(manager)
    page = f"/reconciliation/{cycle.pk}/"
    client.get(page)  # warm-up: templates, imports
    keys = gap_keys(cycle)
    form = {
        "gap_key": keys,
        "decision": "accept",
        "owner": manager.pk,
        "rationale": "bench",
        "expected_impact": "none",
    }
    ids = scenarios(cycle, manager)
    return [
        timed("reconciliation page with the gap list", lambda: get(client, page, keys)),
        timed("every gap decided in one action", lambda: decide(client, page, form, cycle)),
        timed("3 scenarios' change by family and month", lambda: changes(cycle, ids)),
        timed(
            "scenarios page with that comparison",
            lambda: get(client, f"/reconciliation/{cycle.pk}/scenarios/?" + compare(ids), []),
        ),
    ]


def copy_busiest_plan():
    """The open cycle in Reconciliation with the plan of the released cycle with most gaps."""
    from django.db import connection

    from cycles.calendar import add_months
    from cycles.models import Cycle, PlanValue
    from cycles.selectors import current_cycle
    from cycles.stages import Stage
    from reconciliation.selectors import gaps

    released = Cycle.objects.filter(status="released")
    source = max(released, key=lambda c: len(gaps(c)))
    target = current_cycle()
    shift = (target.month.year - source.month.year) * 12 + target.month.month - source.month.month
    horizon = set(target.horizon())
    PlanValue.objects.filter(cycle=target).delete()
    rows = PlanValue.objects.live().filter(cycle=source).exclude(measure="actuals")
    PlanValue.objects.bulk_create(
        PlanValue(
            cycle=target,
            measure=row.measure,
            product_id=row.product_id,
            territory_id=row.territory_id,
            month=add_months(row.month, shift),
            value=row.value,
            valid_from_seq=target.version_seq,
        )
        for row in rows.iterator()
        if add_months(row.month, shift) in horizon
    )
    with connection.cursor() as cursor:  # statistics that see the copied rows, as in real use
        cursor.execute("ANALYZE cycles_planvalue")
    Cycle.objects.filter(pk=target.pk).update(stage=Stage.RECONCILIATION.value)
    target.refresh_from_db()
    print(f"{source}'s plan copied into {target}: {len(gaps(target))} gaps", flush=True)
    return target


def gap_keys(cycle) -> list[str]:
    from reconciliation.selectors import gaps

    return [gap.key for gap in gaps(cycle)]


def get(client, url: str, keys: list[str]) -> str:
    html = client.get(url).content.decode()
    assert all(key in html for key in keys), "a gap is missing from the page"
    return f"{len(html) // 1024} kB of HTML"


def decide(client, page: str, form: dict, cycle) -> str:
    from reconciliation.models import GapDecision

    answer = client.post(page + "decide/", form)
    assert answer.status_code == 302, answer.content.decode()[:500]
    return f"{GapDecision.objects.filter(cycle=cycle).count()} gaps decided"


def scenarios(cycle, manager) -> list[int]:
    from reconciliation.models import Scenario, ScenarioChange

    months, ids = cycle.horizon(), []
    for kind, percent in (("capacity", 10), ("demand", -5), ("price", 3)):
        scenario = Scenario.objects.create(cycle=cycle, name=f"bench {kind}", created_by=manager)
        ScenarioChange.objects.create(
            scenario=scenario, kind=kind, month_from=months[2], month_to=months[8], percent=percent
        )
        ids.append(scenario.pk)
    return ids


def changes(cycle, ids: list[int]) -> str:
    from reconciliation.selectors import scenario_changes

    result = scenario_changes(cycle, ids, "revenue")
    return f"{len(result['by_family'])} families x {len(result['by_month'])} months"


def compare(ids: list[int]) -> str:
    return "&".join(f"compare={i}" for i in ids)


def timed(label: str, call) -> tuple[str, float, str]:
    start = time.perf_counter()
    detail = call()
    return label, time.perf_counter() - start, detail


if __name__ == "__main__":
    main()
