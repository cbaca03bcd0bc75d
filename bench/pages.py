"""Benchmark: every page, API read and export each role reaches, timed on the server side.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> .venv/bin/python bench/pages.py
Options: --company demo|large (default demo), --repeat N (default 10), --role USERNAME
(only that demo user), --only TEXT (only pages whose label contains TEXT).

What it does, in one run on PostgreSQL:
1. migrates the database and loads the company once: `demo` is `manage.py seed_demo`
   (the demo company with its year of released cycles); `large` is the demo company
   at `--scale 10000` with its twelve released cycles (bench/large_company.py);
2. signs in as each demo user (one per role) and requests, in-process through
   Django's test client (so "server time": URL routing, middleware, views,
   templates, no network), every page of that user's menu, the pages of the open
   and the last released cycle, the API reads and the exports; a refused page is
   listed as refused, not timed;
3. prints per page and role: the status, p50 and p95 of --repeat requests after one
   warm-up, the SQL queries of one request, and p50 as a multiple of a trivial
   signed-in Django view (`__bench__/trivial/`, added by this script) measured in the
   same run; MISS where p95 is over the target (pages and API reads 300 ms on the
   demo, 1 s on the large company; exports 2 s) or the page runs over 50 queries;
4. a file a worker builds (a version as CSV) is timed twice: the request that asks for it
   (a POST that only records the intent, among the pages) and the build, run as the worker
   runs it, once per version (no target: nobody waits on it in a request);
5. times the first request of a fresh process (import, setup and one page), the
   cost a restarted web worker makes its first user pay (target under 1 s), with
   compiled bytecode (as the image ships it) and compiling every module from source.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")

DEMO_USERS = (
    "manager", "analyst", "specialist", "effectiveness", "admin",
    "planner-north", "supply", "finance", "exec",
)  # fmt: skip
MAX_QUERIES = 50
EXPORT_TARGET_MS = 2000


@dataclass(frozen=True)
class Page:
    label: str
    url: str  # may name {cycle}, {released}, {family}, {territory}, {run}, {batch}, {a}, {b}
    export: bool = False
    post: bool = False  # asks a worker for a file: the request only records the intent


PAGES = (
    Page("home", "/"),
    Page("cycle board", "/cycles/"),
    Page("demand grid page", "/demand/{cycle}/"),
    Page(
        "grid API, family x company",
        "/api/demand/cycles/{cycle}/grid/?product_level=family&territory_level=company",
    ),
    Page(
        "grid API, family x region",
        "/api/demand/cycles/{cycle}/grid/?product_level=family&territory_level=region",
    ),
    Page(
        "grid API, SKU x one territory",
        "/api/demand/cycles/{cycle}/grid/?product_level=sku&territory_level=territory"
        "&territory={territory}",
    ),
    Page("supply", "/supply/{cycle}/"),
    Page("supply of a family", "/supply/{cycle}/family/{family}/"),
    Page("reconciliation", "/reconciliation/{cycle}/"),
    Page("reconciliation, released", "/reconciliation/{released}/"),
    Page("scenarios", "/reconciliation/{cycle}/scenarios/"),
    Page("scenario compare API", "/api/plan/cycles/{cycle}/scenarios/compare/"),
    Page("sign-off, open cycle", "/cycles/{cycle}/sign-off/"),
    Page("sign-off, released", "/cycles/{released}/sign-off/"),
    Page("history", "/cycles/history/"),
    Page("version compare page", "/cycles/{released}/compare/"),
    Page("versions API", "/api/cycles/{released}/versions/"),
    Page("compare API, 1,000 rows", "/api/cycles/{released}/compare/?a={a}&b={b}&limit=1000"),
    Page("reassessment accuracy", "/reassessment/"),
    Page("reassessment value added", "/reassessment/fva/"),
    Page("reassessment decisions", "/reassessment/decisions/"),
    Page("KPI dashboard API", "/api/kpis/dashboard/"),
    Page("KPI settings", "/kpis/settings/"),
    Page("forecast runs", "/forecasting/runs/"),
    Page("forecast run", "/forecasting/runs/{run}/"),
    Page("sales history", "/forecasting/actuals/"),
    Page("uploads", "/uploads/"),
    Page("upload batch", "/uploads/{batch}/"),
    Page("territories", "/territories/"),
    Page("products", "/products/"),
    Page("calendar", "/cycles/calendar/"),
    Page("users", "/accounts/users/"),
    Page("notifications", "/collaboration/notifications/"),
    Page("cycles API", "/api/cycles/"),
    Page("actuals API, 1,000 rows", "/api/actuals/?limit=1000"),
    Page("released plan API, 1,000 rows", "/api/plan/cycles/{released}/released-plan/?limit=1000"),
    Page("audit API", "/api/audit/"),
    Page("version CSV, asked for (POST)", "/cycles/{released}/versions/{b}.csv", post=True),
    Page("sign-off pack XLSX", "/reconciliation/{released}/pack.xlsx", export=True),
    Page("sign-off pack PDF", "/reconciliation/{released}/pack.pdf", export=True),
    Page("grid export XLSX", "/demand/{cycle}/export.xlsx", export=True),
)


def trivial(request):
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse

    return login_required(lambda r: HttpResponse("ok"))(request)


def urlpatterns_with_trivial_view() -> list:
    from django.urls import include, path

    return [path("__bench__/trivial/", trivial), path("", include("sop_planner.urls"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--company", choices=["demo", "large"], default="demo")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--role", choices=DEMO_USERS)
    parser.add_argument("--only", default="")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("pages: set DATABASE_URL to a PostgreSQL database of the bench's own.")
    first = first_request_ms()
    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # refusals are listed below
    prepare(options.company)
    run(options, first)


def first_request_ms() -> tuple[float, float]:
    """A fresh process: import Django and the app, set up, answer the login page. Twice with
    bytecode written to a folder of its own (the first compiles ~1,000 modules from source,
    as a process does where bytecode is neither shipped nor writable; the second is what a
    restarted worker of the image, which ships compiled bytecode, pays)."""
    code = (
        "import time; t = time.perf_counter(); import django; django.setup(); "
        "from django.test import Client; Client().get('/accounts/login/', HTTP_HOST='localhost'); "
        "print((time.perf_counter() - t) * 1000)"
    )
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = folder
        times = [
            subprocess.run(
                [sys.executable, "-c", code],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for _ in range(2)
        ]
    source, compiled = (float(out.strip().splitlines()[-1]) for out in times)
    return source, compiled


def prepare(company: str) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import clear_url_caches

    call_command("migrate", verbosity=0)
    if company == "large":
        from large_company import ensure_large_company

        ensure_large_company(history=True)
    else:
        call_command("seed_demo", verbosity=0)
    settings.ROOT_URLCONF = "pages_urls"
    sys.modules["pages_urls"] = type(sys)("pages_urls")
    sys.modules["pages_urls"].urlpatterns = urlpatterns_with_trivial_view()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clear_url_caches()


def subjects() -> dict:
    """The ids the page addresses name, from what the company holds."""
    from cycles.models import Cycle, PlanVersion
    from forecasting.models import ForecastRun
    from products.models import ProductFamily
    from territories.selectors import active_territories
    from uploads.models import UploadBatch

    cycle = Cycle.objects.exclude(status=Cycle.Status.RELEASED).order_by("-month").first()
    released = Cycle.objects.filter(status=Cycle.Status.RELEASED).order_by("-month").first()
    released = released or cycle
    versions = list(PlanVersion.objects.filter(cycle=released).order_by("seq"))
    run = ForecastRun.objects.order_by("-pk").first()
    batch = UploadBatch.objects.order_by("-pk").first()
    return {
        "cycle": cycle.pk,
        "released": released.pk,
        "family": ProductFamily.objects.order_by("pk").first().pk,
        "territory": active_territories().order_by("pk").first().pk,
        "run": run.pk if run else None,
        "batch": batch.pk if batch else None,
        "a": versions[0].seq if versions else 1,
        "b": versions[-1].seq if versions else 1,
    }


def timed_get(client, url: str, repeat: int, post: bool = False) -> tuple[int, list[float]]:
    times, status = [], 0
    for _ in range(repeat + 1):  # the first is a warm-up
        started = time.perf_counter()
        response = client.post(url) if post else client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
        if status != (302 if post else 200):
            return status, []
    return status, times[1:]


def query_count(client, url: str, post: bool = False) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url) if post else client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def worker_builds(ids: dict, username: str, repeat: int = 2) -> None:
    """The files a worker builds, timed as the worker runs them (in this process)."""
    from django.contrib.auth import get_user_model

    from exports.models import ExportJob
    from exports.services import export_build, export_request

    user = get_user_model().objects.get(username=username)
    params = {"cycle": ids["released"], "version": str(ids["b"])}
    asked = export_request(actor=user, kind="version_csv", params=params)
    times = []
    for _ in range(repeat):
        job = ExportJob.objects.create(
            kind=asked.kind, params=asked.params, title=asked.title,
            file_name=asked.file_name, requested_by=user,
        )  # fmt: skip
        started = time.perf_counter()
        job = export_build(job_id=job.pk)
        times.append((time.perf_counter() - started) * 1000)
    print(f"{'(worker)':<14}{'version CSV, built by the worker':<34}{job.status:>6}"
          f"{statistics.median(times):>9.0f}{max(times):>9.0f}  {job.rows_total:,} rows, "
          f"{job.size / 1e6:.1f} MB (no target: off the web request)")  # fmt: skip


def p95(times: list[float]) -> float:
    return (
        statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]
    )


def run(options, first_ms: tuple[float, float]) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    ids = subjects()
    target = 1000 if options.company == "large" else 300
    users = [options.role] if options.role else list(DEMO_USERS)
    misses: list[str] = []
    print(f"company: {options.company}; {options.repeat} timed requests per page after a warm-up")
    print(f"{'user':<14}{'page':<34}{'status':>6}{'p50 ms':>9}{'p95 ms':>9}{'queries':>8}"
          f"{'x trivial':>10}  target")  # fmt: skip
    for username in users:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        _, base_times = timed_get(client, "/__bench__/trivial/", options.repeat)
        base = statistics.median(base_times)
        print(f"{username:<14}{'(trivial signed-in view)':<34}{200:>6}{base:>9.1f}"
              f"{p95(base_times):>9.1f}{query_count(client, '/__bench__/trivial/'):>8}{1:>10.1f}")  # fmt: skip
        for page in PAGES:
            if options.only and options.only not in page.label:
                continue
            if ("{run}" in page.url and not ids["run"]) or (
                "{batch}" in page.url and not ids["batch"]
            ):
                continue
            url = page.url.format(**ids)
            status, times = timed_get(client, url, options.repeat, page.post)
            if not times:
                print(f"{username:<14}{page.label:<34}{status:>6}  (refused or absent: not timed)")
                continue
            queries = query_count(client, url, page.post)
            limit = EXPORT_TARGET_MS if page.export else target
            verdict = "ok" if p95(times) <= limit and queries <= MAX_QUERIES else "MISS"
            if verdict == "MISS":
                misses.append(f"{username} {page.label}")
            print(f"{username:<14}{page.label:<34}{status:>6}{statistics.median(times):>9.1f}"
                  f"{p95(times):>9.1f}{queries:>8}{statistics.median(times) / base:>10.1f}"
                  f"  {verdict} (<= {limit} ms, <= {MAX_QUERIES} queries)")  # fmt: skip
    worker_builds(ids, users[0])
    source_ms, compiled_ms = first_ms
    print(f"first request of a fresh process: {compiled_ms:.0f} ms with compiled bytecode "
          f"({'ok' if compiled_ms < 1000 else 'MISS'}, target < 1000 ms); "
          f"{source_ms:.0f} ms compiling from source")  # fmt: skip
    print(f"{len(misses)} MISS" + (": " + "; ".join(misses) if misses else ""))


if __name__ == "__main__":
    main()
