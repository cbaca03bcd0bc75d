"""Full forecast pipeline benchmark: read from the database, fit, select, write, on Celery.

For 1 and 2 worker processes: start a real prefork worker, start a forecast
run for the open cycle, wait until it is done and print series per second,
the speed-up, the worker's peak memory, and raw statsforecast fitting the
same methods on the same series in the same run (read from the same DB).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/sop_bench REDIS_URL=redis://127.0.0.1:6379/14
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --scale 1000
    .venv/bin/python bench/forecast_pipeline_bench.py --workers 1,2

The Redis database of REDIS_URL is flushed: give the benchmark its own.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

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


def start_worker(processes: int) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "celery"), "-A", "sop_planner", "worker"]
    command += ["--pool=prefork", "-c", str(processes), "--loglevel=WARNING", "-n", "bench@%h"]
    return subprocess.Popen(command, cwd=ROOT, start_new_session=True, stderr=subprocess.DEVNULL)


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


def timed_run(cycle: Cycle, processes: int) -> dict:
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
        run = services.forecast_run_start(cycle_id=cycle.pk, actor=cycle.owner)
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
    sf.forecast(df=prepared, h=12, level=[80, 95])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2", help="worker process counts, e.g. 1,2")
    args = parser.parse_args()
    cycle = Cycle.objects.filter(status=Cycle.Status.OPEN).order_by("-month").first()
    if cycle is None:
        raise SystemExit("No open cycle: run `manage.py seed_demo --scale N` first.")
    print(f"chunk size {services.CHUNK_SIZE}; cycle {cycle}")
    header = f"{'workers':>8}{'series':>8}{'seconds':>9}{'series/s':>10}{'speed-up':>10}"
    header += f"{'peak RSS max/sum MB':>22}{'raw fc s':>10}{'raw cv+fc s':>13}{'overhead':>10}"
    print(header)
    base = None
    for processes in [int(p) for p in args.workers.split(",")]:
        got = timed_run(cycle, processes)
        run, seconds = got["run"], got["seconds"]
        rate = run.series_total / seconds
        base = base or rate
        print(
            f"{processes:>8}{run.series_total:>8}{seconds:>9.1f}{rate:>10.1f}{rate / base:>9.2f}x"
            f"{got['peak'][0]:>12.0f} / {got['peak'][1]:<7.0f}",
            end="",
            flush=True,
        )
        raw_fc = raw_seconds(cycle, processes, same_work=False)
        raw_all = raw_seconds(cycle, processes, same_work=True)
        print(f"{raw_fc:>10.1f}{raw_all:>13.1f}{100 * (seconds / raw_all - 1):>+9.0f}%")


if __name__ == "__main__":
    main()
