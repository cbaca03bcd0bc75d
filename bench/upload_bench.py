"""Benchmark: upload a 1,000,000-row actuals CSV through the service, next to a raw COPY.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/upload_bench.py
Options: --rows N (default 1,000,000), --keep (leave the uploaded rows; default reverts them).

What it does, in one run on PostgreSQL:
1. migrates the database and makes sure the demo company exists at the scale of
   `manage.py seed_demo --scale 10000 --no-history` (about 10,000 SKU x territory series and
   48 months of history; loaded once, reused afterwards);
2. writes a CSV of N actuals rows (the demo series over the latest months,
   partly overlapping the history, so there are new and changed rows) into a
   temporary folder that is deleted at the end: no data file is ever committed;
3. times the floors on the same rows: a plain `psql \\copy` of the file into a bare
   table (the issue's baseline), the same COPY from this process, and the rows
   resolved to ids (nothing parsed or validated) copied into a table shaped like
   the actuals: bare, with the actuals' keys kept row by row, and bare with the
   keys built afterwards (see `floors`);
4. times the upload through the services, the request's part and the worker's both
   run in this process: upload_preview + upload_validate (parse, validate the whole
   file, stage, compare) then upload_commit + upload_write (one UPDATE and one
   INSERT, set-based, in one transaction);
5. prints rows/second of each and the ratios to the baseline; the target is the
   whole upload <= 3x psql \\copy and under 60 s. Then reverts the batch (timed
   too) unless --keep.
Every timed write starts after a CHECKPOINT, so each pays the same full-page writes.
The machine's load average is printed too: on a shared 2-core machine the
figures move with what else runs.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from large_company import bench_user, ensure_large_company  # noqa: E402  (bench/ is on the path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("upload_bench: set DATABASE_URL to a PostgreSQL database.")
    with tempfile.TemporaryDirectory(prefix="upload-bench-") as folder:
        os.environ["MEDIA_ROOT"] = str(Path(folder) / "media")
        import django

        django.setup()
        run(options, Path(folder))


def run(options, folder: Path) -> None:
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.UPLOAD_MAX_BYTES = 1 << 40
    analyst = ensure_company()
    vacuum()
    path = folder / "actuals.csv"
    started = time.perf_counter()
    size = write_file(path, options.rows)
    print(
        f"generated {options.rows:,} rows ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
    )
    floor = floors(path, folder)
    report("psql \\copy into a bare table (the baseline)", options.rows, floor["psql"])
    report("COPY from this process into a bare table", options.rows, floor["copy"])
    report("floor: resolved ids into a bare actuals shape", options.rows, floor["ids bare"])
    report("floor: resolved ids into the keyed actuals", options.rows, floor["ids keyed"])
    report("floor: bare, then the keys built", options.rows, floor["ids keyed after"])
    preview, commit, batch = service_upload(path, analyst)
    report("upload_preview (parse + validate + stage)", options.rows, preview)
    report("upload_commit (set-based write)", options.rows, commit)
    total = preview + commit
    report("whole upload", options.rows, total)
    print(
        f"counts: new {batch.new_count:,}, changed {batch.changed_count:,}, "
        f"unchanged {batch.unchanged_count:,}, rejected {batch.rejected_count:,}, "
        f"written {batch.rows_written:,}"
    )
    print("ratios to psql \\copy (and to the in-process COPY):")
    for label, seconds in (
        ("whole upload", total),
        ("floor: resolved ids into the keyed actuals", floor["ids keyed"]),
        ("floor: bare, then the keys built", floor["ids keyed after"]),
    ):
        print(f"  {label:<43} {seconds / floor['psql']:5.2f}x ({seconds / floor['copy']:5.2f}x)")
    verdict = "OK" if total <= 3 * floor["psql"] and total < 60 else "MISSED"
    print(f"target: whole upload <= 3x psql \\copy and < 60 s: {verdict}")
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if not options.keep:
        from uploads.services import upload_revert, upload_unwrite

        started = time.perf_counter()
        upload_revert(actor=analyst, batch_id=batch.pk, reason="benchmark clean-up")
        upload_unwrite(batch_id=batch.pk)  # the worker's part, run here
        report("upload_revert", options.rows, time.perf_counter() - started)


def vacuum() -> None:
    """Start every run from the same compact actuals table and a fresh checkpoint.

    Each run (upload, then revert) leaves a million dead rows behind; a plain
    VACUUM frees them but keeps the table's size, so the next run's writes
    would land scattered over a bloated table and runs would drift slower.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM FULL ANALYZE forecasting_salesactual")
        cursor.execute("VACUUM ANALYZE uploads_uploadrow")
        cursor.execute("CHECKPOINT")


def report(label: str, rows: int, seconds: float) -> None:
    print(f"{label:<45} {seconds:7.2f} s  {rows / seconds:>12,.0f} rows/s")


def ensure_company():
    from accounts.roles import Role

    ensure_large_company()
    return bench_user("upload-bench", Role.SALES_OPS_ANALYST)


def write_file(path: Path, rows: int) -> int:
    """The demo series over the latest months (as many as N rows need), random units."""
    import numpy as np
    import pandas as pd

    from cycles.calendar import add_months, month_start
    from products.models import Product
    from territories.models import Territory

    skus = list(Product.objects.order_by("sku").values_list("sku", flat=True))
    codes = list(Territory.objects.order_by("code").values_list("code", flat=True))
    series = len(skus) * len(codes)
    months = -(-rows // series)
    last = add_months(month_start(date.today()), -1)
    labels = [f"{add_months(last, -offset):%Y-%m}" for offset in range(months)]
    index = np.arange(rows)
    frame = pd.DataFrame(
        {
            "period": np.array(labels)[index // series],
            "product": np.array(skus)[(index % series) // len(codes)],
            "territory": np.array(codes)[index % len(codes)],
            "units": np.random.default_rng(7).integers(0, 500, rows),
        }
    )
    frame.to_csv(path, index=False)
    return path.stat().st_size


def floors(path: Path, folder: Path) -> dict[str, float]:
    """Seconds for the floors the upload is measured against, all on the same rows.

    - "psql": the issue's baseline, a plain `psql \\copy` of the file into a bare
      table (a separate psql process reading the file, as a person would run it);
    - "copy": the same COPY from this process (psycopg2 copy_expert), the
      tighter floor for getting the file's text into PostgreSQL;
    - "ids bare", "ids keyed", "ids keyed after": the rows already resolved to
      ids (no parsing, no validation) copied into a table shaped like the actuals,
      without indexes; with the actuals' indexes (id and the unique
      territory, period, product key, kept up to date row by row, as in any
      table that already holds data); and into a bare table whose indexes are
      built afterwards (possible only for an empty table). These say what
      writing a million actuals costs before the upload does anything else.
    """
    from django.db import connection, transaction

    resolved = folder / "resolved.csv"
    seconds: dict[str, float] = {}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_copy")
        cursor.execute(
            "CREATE TABLE bench_raw_copy (period text, product text, territory text, units numeric)"
        )
    seconds["psql"] = _psql_copy(path)
    _timed_copy(seconds, "copy", "bench_raw_copy", path, header=True)
    with connection.cursor() as cursor, resolved.open("w") as handle:
        cursor.cursor.copy_expert(f"COPY ({RESOLVE}) TO STDOUT WITH (FORMAT csv)", handle)
        cursor.execute("DROP TABLE bench_raw_copy")
    for label, table, indexes in (
        ("ids bare", "bench_ids_bare", " INCLUDING IDENTITY"),
        ("ids keyed", "bench_ids_keyed", " INCLUDING ALL"),
        ("ids keyed after", "bench_ids_after", " INCLUDING IDENTITY"),
    ):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TABLE {table} (LIKE forecasting_salesactual{indexes})")
        _timed_copy(seconds, label, f"{table} ({RESOLVED_COLUMNS})", resolved, header=False)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE bench_ids_after ADD PRIMARY KEY (id)")
        cursor.execute("ALTER TABLE bench_ids_after ADD UNIQUE (territory_id, period, product_id)")
    seconds["ids keyed after"] += time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in ("bench_ids_bare", "bench_ids_keyed", "bench_ids_after"):
            cursor.execute(f"DROP TABLE {table}")
        cursor.execute("CHECKPOINT")
    return seconds


RESOLVED_COLUMNS = "product_id, territory_id, period, units, revenue"
RESOLVE = """
SELECT p.id, t.id, (r.period || '-01')::date, r.units, r.units * p.unit_price
FROM bench_raw_copy r JOIN products_product p ON p.sku = r.product
JOIN territories_territory t ON t.code = r.territory
"""


def _psql_copy(path: Path) -> float:
    """A plain `psql \\copy` in its own process; the bench needs psql on the PATH."""
    if shutil.which("psql") is None:
        sys.exit("upload_bench: psql is not on the PATH (Debian: postgresql-client).")
    command = f"\\copy bench_raw_copy FROM '{path}' WITH (FORMAT csv, HEADER)"
    _checkpoint()
    started = time.perf_counter()
    subprocess.run(
        ["psql", "--no-psqlrc", "--quiet", os.environ["DATABASE_URL"], "-c", command], check=True
    )
    elapsed = time.perf_counter() - started
    _truncate("bench_raw_copy")
    return elapsed


def _timed_copy(seconds: dict[str, float], label: str, target: str, path: Path, *, header):
    from django.db import connection, transaction

    _checkpoint()
    options = "FORMAT csv, HEADER" if header else "FORMAT csv"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, path.open() as handle:
        cursor.cursor.copy_expert(f"COPY {target} FROM STDIN WITH ({options})", handle)
    seconds[label] = time.perf_counter() - started


def _checkpoint() -> None:
    """Every timed write starts after a checkpoint, so each pays the same full-page writes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def _truncate(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")


def service_upload(path: Path, analyst):
    """The request's part and the worker's part, both run here (no task is published):
    bench/upload_limits.py measures the same through gunicorn and a real worker."""
    from uploads import services

    services._publish_validation = services._publish_write = lambda batch_id: None
    started = time.perf_counter()
    with path.open("rb") as handle:
        batch = services.upload_preview(
            actor=analyst, file=handle, file_name=path.name, kind="actuals"
        )
    batch = services.upload_validate(batch_id=batch.pk)
    preview = time.perf_counter() - started
    if batch.rejected_count:
        first = batch.rejections.first()
        print(f"unexpected rejections: {batch.rejected_count} (first: {first})")
    started = time.perf_counter()
    services.upload_commit(actor=analyst, batch_id=batch.pk, accept_partial=True)
    batch = services.upload_write(batch_id=batch.pk)
    return preview, time.perf_counter() - started, batch


if __name__ == "__main__":
    main()
