"""A forecast run on a real Celery worker (Redis broker, PostgreSQL)."""

import pytest
from django.db.models import Count

from forecasting import services, tasks
from forecasting.models import ForecastRun, ForecastValue
from tests.fixtures.waiting import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_a_run_completes_on_the_worker_and_a_chunk_rerun_adds_nothing(
    celery_worker, cycle, history, manager, monkeypatch
):
    monkeypatch.setattr(services, "CHUNK_SIZE", 8)
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)

    def run_done():
        """the worker to finish the run"""
        return ForecastRun.objects.filter(pk=run.pk, status="done").first()

    done = wait_for(run_done, timeout=120)
    assert (done.series_done, done.chunk_count) == (history, 3)
    counts = ForecastValue.objects.filter(run=run).values("product", "territory")
    assert [row["n"] for row in counts.annotate(n=Count("id"))] == [12] * history

    assert tasks.forecast_chunk_task.delay(run.pk, 1).get(timeout=60) == 0  # run is done
    assert ForecastValue.objects.filter(run=run).count() == history * 12
