"""A worker killed (SIGKILL) in the middle of a run: a new worker finishes it, exactly once."""

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.db.models import Count

from forecasting import services
from forecasting.models import ForecastRun, ForecastSeries, ForecastValue
from tests.fixtures.waiting import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"


def worker_env() -> dict:
    """The test database (test_<name>), the test Redis, and a short visibility timeout."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_VISIBILITY_TIMEOUT": "5",
    }


def start_worker(name: str, log: Path) -> subprocess.Popen:
    command = [str(CELERY), "-A", "sop_planner", "worker", "--pool=prefork", "-c", "2"]
    command += ["-n", f"{name}@%h", "--loglevel=INFO", "--without-gossip", "--without-mingle"]
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=worker_env(), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool children (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def test_a_killed_worker_loses_nothing_and_duplicates_nothing(
    transactional_db, cycle, history, manager, monkeypatch, tmp_path
):
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    monkeypatch.setattr(services, "CHUNK_SIZE", 1)
    first = start_worker("doomed", tmp_path / "worker.log")
    second = None
    try:
        run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)

        def some_progress():
            """the first worker to write a few chunks"""
            return ForecastRun.objects.get(pk=run.pk).series_done >= 2

        wait_for(some_progress, timeout=90, interval=0.05)
        kill(first)
        killed = ForecastRun.objects.get(pk=run.pk)
        assert killed.status == "running" and killed.series_done < history

        second = start_worker("rescuer", tmp_path / "worker.log")

        def run_done():
            """the new worker to complete the run"""
            return ForecastRun.objects.filter(pk=run.pk, status="done").first()

        done = wait_for(run_done, timeout=300, interval=0.5)
    finally:
        kill(first)
        if second:
            kill(second)
    assert done.series_done == history
    assert ForecastSeries.objects.filter(run=run).count() == history
    per_series = ForecastValue.objects.filter(run=run).values("product", "territory")
    assert [row["n"] for row in per_series.annotate(n=Count("id"))] == [12] * history


def _load_waiting_on_the_cycle() -> bool:
    """a worker's baseline load to be waiting on the plan table the test holds"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else frozen for the transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_during_the_baseline_load_loses_no_baseline(
    transactional_db, cycle, history, manager, monkeypatch, tmp_path
):
    from django.db import transaction

    from cycles.models import PlanValue

    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    monkeypatch.setattr(services, "CHUNK_SIZE", 10)
    first = start_worker("doomed", tmp_path / "worker.log")
    second = None
    try:
        run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
        with transaction.atomic(), connection.cursor() as cursor:
            # Only the load writes plan figures: it will wait here, in the middle.
            cursor.execute("LOCK TABLE cycles_planvalue IN EXCLUSIVE MODE")

            def run_done():
                """the run to be done"""
                return ForecastRun.objects.filter(pk=run.pk, status="done").exists()

            wait_for(run_done, timeout=120, interval=0.2)
            wait_for(_load_waiting_on_the_cycle, timeout=60, interval=0.1)
            kill(first)  # in the middle of the load
        assert ForecastRun.objects.get(pk=run.pk).baseline_loaded_at is None
        second = start_worker("rescuer", tmp_path / "worker.log")

        def loaded():
            """the redelivered load to put the baseline into the plan"""
            return ForecastRun.objects.filter(pk=run.pk, baseline_loaded_at__isnull=False).exists()

        wait_for(loaded, timeout=120, interval=0.5)
    finally:
        kill(first)
        if second:
            kill(second)
    live = PlanValue.objects.filter(cycle=cycle, measure="baseline", valid_to_seq=None)
    assert live.count() == history * 12
    assert live.values("product", "territory", "month").distinct().count() == history * 12
