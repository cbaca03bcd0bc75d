"""Benchmark: the executive pack as the worker builds it, and version compare by family x region.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> .venv/bin/python bench/pack_bench.py
(after `manage.py migrate && manage.py seed_demo` in that database: the newest released cycle
and the open one are measured; the pack files go to a temporary folder, nothing else is written
but the pack build rows.)

Prints, per cycle: the pre-read (what the sign-off page reads), the PDF, the XLSX (with every
plan figure) and the whole build through the service the worker runs (pack_services.pack_build),
with the files' sizes; then, on the released cycle, the compare page's family x region grid of
agreed demand (baseline version -> released), its SKU drill-down for one family x region and the
whole difference streamed as CSV (lines and seconds). Targets: the demo's pack under 2 s in the
worker (issue 15); a compare grid under 300 ms.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

from cycles.measures import MeasureCode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")


def timed(label: str, call):
    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    return label, seconds, result


def show(label: str, seconds: float, detail: str = "") -> None:
    print(f"  {label:52s} {seconds:7.3f} s  {detail}")


def bench_pack(cycle, user) -> None:
    from reconciliation import pack_services
    from reconciliation.pack import pack_data, plan_row_count
    from reconciliation.pack_pdf import pack_pdf
    from reconciliation.pack_xlsx import pack_workbook

    print(f"{cycle} ({'released' if cycle.is_released else 'open'}, "
          f"{plan_row_count(cycle):,} plan figures)")  # fmt: skip
    label, seconds, data = timed("pack data (pre-read, quota, coverage)", lambda: pack_data(cycle))
    show(label, seconds)
    label, seconds, pdf = timed("PDF", lambda: pack_pdf(cycle, data))
    show(label, seconds, f"{len(pdf) / 1024:,.0f} KB")
    label, seconds, xlsx = timed("XLSX with the plan", lambda: pack_workbook(cycle, data))
    show(label, seconds, f"{len(xlsx) / 1024:,.0f} KB")
    build = pack_services.pack_request(actor=user, cycle_id=cycle.pk)
    if build.status == "done":  # a kept pack: build a fresh one to time it
        build.pk = None
        build.status, build.released = "queued", False
        build.save()
    label, seconds, done = timed(
        "whole build in the worker's service", lambda: pack_services.pack_build(build_id=build.pk)
    )
    show(label, seconds, f"status {done.status} {done.error}")


def bench_compare(cycle) -> None:
    from cycles.compare_drill import Scope, difference_csv_lines, difference_grid

    versions = list(cycle.versions.order_by("seq"))
    if len(versions) < 2:
        print(f"{cycle}: fewer than two versions, no comparison")
        return
    low, high = versions[0].seq, versions[-1].seq
    print(f"{cycle}: version #{low} -> #{high}")
    scope = Scope(MeasureCode.CONSENSUS)
    args = {"cycle": cycle, "low": low, "high": high, "only_changed": True}
    label, seconds, grid = timed(
        "family x region x month grid", lambda: difference_grid(**args, scope=scope, by_sku=False)
    )
    show(label, seconds, f"{len(grid.rows)} rows")
    if grid.rows:
        row = grid.rows[0]
        narrow = Scope(MeasureCode.CONSENSUS, row.family_id, row.region_id)
        label, seconds, skus = timed(
            "SKU drill-down of one family x region",
            lambda: difference_grid(**args, scope=narrow, by_sku=True),
        )
        show(label, seconds, f"{len(skus.rows)} SKUs")
    label, seconds, lines = timed(
        "whole difference as CSV (streamed)",
        lambda: sum(c.count("\n") for c in difference_csv_lines(
            cycle=cycle, low=low, high=high, scope=None)),
    )  # fmt: skip
    show(label, seconds, f"{lines:,} lines")


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("pack_bench: set DATABASE_URL to a PostgreSQL database with the demo loaded.")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from cycles.models import Cycle

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="pack-bench-")
    users = get_user_model().objects.filter(is_active=True)
    user = users.filter(username="exec").first() or users.order_by("pk").first()
    released = Cycle.objects.filter(status="released").order_by("-month").first()
    current = Cycle.objects.filter(status="open").order_by("-month").first()
    if user is None or released is None:
        sys.exit("pack_bench: load the demo first (manage.py seed_demo).")
    for cycle in filter(None, (released, current)):
        bench_pack(cycle, user)
    bench_compare(released)


if __name__ == "__main__":
    main()
