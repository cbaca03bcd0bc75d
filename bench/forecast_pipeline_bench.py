"""Full forecast pipeline benchmark: read from the database, fit, select, write, on Celery.

One command measures every speed target of the forecast engine issue:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/sop_bench REDIS_URL=redis://127.0.0.1:6379/14
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --scale 10000 --no-history
    .venv/bin/python bench/forecast_pipeline_bench.py --workers 1,2

For each worker count: start a real prefork Celery worker with that many processes, start a
forecast run of the open cycle through the service, wait until it is done; the run's own
start/finish times give series per second, and /proc gives the peak resident memory of the
worker's processes. Then raw statsforecast fits the same methods on the same series, read
from the same database, with as many processes (n_jobs) in the same run: once the forecast
alone, once with the same cross-validation the engine runs ("same work"). The overhead is
the pipeline's time over the same-work raw time. Last, one territory (the largest, about
1,000 series in the 10,000-series company) is recomputed with the most workers: its run is
started with the series list restricted to that territory, in this process only.

It prints the load average (the figures are only meaningful on a quiet machine) and a table
of the targets with PASS/MISS. The Redis database of REDIS_URL is flushed: give it its own.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")

import django  # noqa: E402

django.setup()

import pandas as pd  # noqa: E402
import redis  # noqa: E402
from django.conf import settings  # noqa: E402

from cycles.models import Cycle  # noqa: E402
from forecasting import selectors, services  # noqa: E402
from forecasting.engine.candidates import REGULAR, EngineConfig, build_models  # noqa: E402
from forecasting.engine.run import prepare_history  # noqa: E402
from forecasting.models import ForecastRun  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from forecast_bench import raw_cross_validate  # noqa: E402

FULL_LIMIT_S = 600  # the large company (10,000 series) with 2 workers
TERRITORY_LIMIT_S = 60
SPEEDUP_MIN = 1.8
OVERHEAD_MAX = 0.25
RSS_LIMIT_MB = 1024


def start_worker(processes: int) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "celery"), "-A", "sop_planner", "worker"]
    command += ["--pool=prefork", "-c", str(processes), "--loglevel=WARNING", "-n", "bench@%h"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def group_rss_mb(pgid: int) -> tuple[float, float]:
    """(largest process, sum over processes) resident memory of a process group, in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:
                sizes.append(int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 2**20)
        except (OSError, IndexError, ValueError):
            continue
    return (max(sizes, default=0.0), sum(sizes))


def timed_run(cycle: Cycle, processes: int, territory_id: int | None = None) -> dict:
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    worker = start_worker(processes)
    peak = [0.0, 0.0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            largest, total = group_rss_mb(worker.pid)
            peak[0], peak[1] = max(peak[0], largest), max(peak[1], total)
            time.sleep(0.5)

    threading.Thread(target=sample, daemon=True).start()
    try:
        time.sleep(8)  # the worker imports statsforecast once, before any task
        run = start_run(cycle, territory_id)
        while ForecastRun.objects.get(pk=run.pk).is_active:
            time.sleep(0.5)
        run = ForecastRun.objects.get(pk=run.pk)
    finally:
        stop.set()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    if run.status != ForecastRun.Status.DONE:
        raise SystemExit(f"Run {run.pk} ended {run.status}: {run.error}")
    seconds = (run.finished_at - run.started_at).total_seconds()
    return {"run": run, "seconds": seconds, "peak": tuple(peak)}


def start_run(cycle: Cycle, territory_id: int | None) -> ForecastRun:
    """A run of the open cycle; for the territory case, of one territory's series only."""
    if territory_id is None:
        return services.forecast_run_start(cycle_id=cycle.pk, actor=cycle.owner)
    every = selectors.series_with_actuals

    def one_territory(*, end):
        return [s for s in every(end=end) if s[1] == territory_id]

    with mock.patch.object(selectors, "series_with_actuals", one_territory):
        return services.forecast_run_start(cycle_id=cycle.pk, actor=cycle.owner)


def largest_territory(cycle: Cycle) -> tuple[int, int]:
    end = (cycle.month.replace(day=1) - pd.DateOffset(months=1)).date()
    counts = pd.Series([t for _, t in selectors.series_with_actuals(end=end)]).value_counts()
    return int(counts.index[0]), int(counts.iloc[0])


def raw_seconds(cycle: Cycle, processes: int, *, same_work: bool) -> float:
    """Raw statsforecast on the same series read from the same database."""
    from statsforecast import StatsForecast
    from statsforecast.models import Naive

    config = EngineConfig()
    started = time.perf_counter()
    end = cycle.month.replace(day=1) - pd.DateOffset(months=1)
    series = selectors.series_with_actuals(end=end.date())
    history = selectors.history_frame(series=series, end=end.date())
    prepared, _ = prepare_history(history, end=end, max_history=config.max_history)
    sf = StatsForecast(
        models=build_models(REGULAR), freq="MS", n_jobs=processes, fallback_model=Naive()
    )
    if same_work:
        raw_cross_validate(sf, prepared, config)
    sf.forecast(df=prepared, h=config.horizon, level=list(config.levels))
    return time.perf_counter() - started


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg()) + f" on {os.cpu_count()} cores"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2", help="worker process counts, e.g. 1,2")
    parser.add_argument("--no-territory", action="store_true", help="skip the territory run")
    args = parser.parse_args()
    cycle = Cycle.objects.filter(status=Cycle.Status.OPEN).order_by("-month").first()
    if cycle is None:
        raise SystemExit("No open cycle: run `manage.py seed_demo --scale N` first.")
    counts = sorted(int(p) for p in args.workers.split(","))
    print(f"engine {EngineConfig()}")
    print(f"chunk size {services.CHUNK_SIZE}; cycle {cycle}; load average {load_average()}")
    header = f"{'workers':>8}{'series':>8}{'seconds':>9}{'series/s':>10}{'speed-up':>10}"
    header += f"{'peak RSS max/sum MB':>22}{'raw fc s':>10}{'raw cv+fc s':>13}{'overhead':>10}"
    print(header)
    rows = {}
    for processes in counts:
        got = timed_run(cycle, processes)
        run, seconds = got["run"], got["seconds"]
        got["rate"] = run.series_total / seconds
        got["raw"] = raw_seconds(cycle, processes, same_work=True)
        raw_fc = raw_seconds(cycle, processes, same_work=False)
        got["overhead"] = seconds / got["raw"] - 1
        rows[processes] = got
        print(
            f"{processes:>8}{run.series_total:>8}{seconds:>9.1f}{got['rate']:>10.1f}"
            f"{got['rate'] / rows[counts[0]]['rate']:>9.2f}x"
            f"{got['peak'][0]:>12.0f} / {got['peak'][1]:<7.0f}"
            f"{raw_fc:>10.1f}{got['raw']:>13.1f}{100 * got['overhead']:>+9.0f}%",
            flush=True,
        )
    territory = None
    if not args.no_territory:
        territory_id, size = largest_territory(cycle)
        territory = timed_run(cycle, counts[-1], territory_id)
        print(
            f"territory {territory_id} ({size} series), {counts[-1]} worker(s): "
            f"{territory['seconds']:.1f} s, peak RSS {territory['peak'][0]:.0f} MB"
        )
    print(f"load average at the end {load_average()}")
    print_targets(rows, counts, territory)


def print_targets(rows: dict, counts: list[int], territory: dict | None) -> None:
    most, least = rows[counts[-1]], rows[counts[0]]
    series = most["run"].series_total
    projected = 10_000 / most["rate"]
    peak = max(max(r["peak"][0] for r in rows.values()), territory["peak"][0] if territory else 0)
    lines = [
        (
            f"full recompute, {counts[-1]} workers, < {FULL_LIMIT_S} s for 10,000 series",
            f"{most['seconds']:.0f} s for {series} series (10,000 at this rate: {projected:.0f} s)",
            verdict(projected < FULL_LIMIT_S),
        ),
        (
            f"{counts[-1]} workers >= {SPEEDUP_MIN}x one",
            f"{most['rate'] / least['rate']:.2f}x" if len(counts) > 1 else "n/a",
            verdict(len(counts) > 1 and most["rate"] / least["rate"] >= SPEEDUP_MIN),
        ),
        (
            f"one territory < {TERRITORY_LIMIT_S} s",
            f"{territory['seconds']:.1f} s ({territory['run'].series_total} series)"
            if territory
            else "not run",
            verdict(territory is not None and territory["seconds"] < TERRITORY_LIMIT_S),
        ),
        (
            f"overhead over raw statsforecast < {OVERHEAD_MAX:.0%}",
            ", ".join(f"{w} worker(s) {100 * rows[w]['overhead']:+.0f}%" for w in counts),
            verdict(all(rows[w]["overhead"] < OVERHEAD_MAX for w in counts)),
        ),
        (
            f"peak worker memory < {RSS_LIMIT_MB} MB",
            f"{peak:.0f} MB",
            verdict(peak < RSS_LIMIT_MB),
        ),
    ]
    print(f"\n{'target':<54}{'measured':<60}result")
    for target, measured, result in lines:
        print(f"{target:<54}{measured:<60}{result}")


if __name__ == "__main__":
    main()
