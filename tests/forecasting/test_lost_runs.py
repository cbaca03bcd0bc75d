"""Forecast runs whose tasks never reached a worker: published again, or failed in words."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forecasting import services
from forecasting.models import ForecastRun
from tests.fixtures.waiting import wait_for


def _lost_start(cycle, manager, monkeypatch) -> ForecastRun:
    """Start a run as a web process killed right after its commit: nothing is published.

    (Capturing on-commit callbacks cannot stand in for the crash here: with committed
    test transactions they run at the commit, inside the capture.)
    """
    with monkeypatch.context() as crash:
        crash.setattr(services, "_enqueue", lambda run_id, chunks: None)
        run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    ForecastRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    return run


@pytest.mark.postgres
@pytest.mark.redis
def test_a_run_lost_before_its_publish_is_computed_after_the_sweep(
    celery_worker, cycle, history, manager, monkeypatch
):
    monkeypatch.setattr(services, "CHUNK_SIZE", 5)
    run = _lost_start(cycle, manager, monkeypatch)
    assert ForecastRun.objects.get(pk=run.pk).status == "queued"
    assert services.forecast_runs_sweep() == 1

    def finished():
        """the swept run to finish"""
        return ForecastRun.objects.filter(pk=run.pk, status="done").first()

    done = wait_for(finished, timeout=120)
    assert done.series_done == done.series_total == history


def test_a_run_queued_a_moment_ago_is_left_to_its_worker(
    db, cycle, history, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    assert services.forecast_runs_sweep() == 0


@pytest.mark.postgres
def test_with_the_broker_down_starting_a_run_says_so_and_leaves_no_run_waiting(
    post_with_broker_down, cycle, history, manager
):
    status, page = post_with_broker_down(
        manager, reverse("forecasting:run-start"), {"cycle": cycle.pk}
    )
    assert status == 200
    run = ForecastRun.objects.get()
    assert run.status == "failed" and "background worker could not be reached" in run.error
    assert "background worker could not be reached" in page
