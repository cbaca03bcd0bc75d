"""The tasks are thin: a chunk that cannot be computed fails its run with the reason."""

import pytest

from forecasting import services, tasks
from forecasting.models import ForecastRun

pytestmark = pytest.mark.django_db


def test_a_chunk_that_errors_fails_the_run_and_says_which_chunk(cycle, history, manager):
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    outcome = tasks.forecast_chunk_task.apply(args=(run.pk, 99))
    assert outcome.failed()
    run = ForecastRun.objects.get(pk=run.pk)
    assert run.status == "failed" and run.error.startswith("Chunk 99: ")


def test_the_finishing_task_completes_a_run_without_series(cycle, manager):
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    assert run.series_total == 0 and run.chunk_count == 0
    assert tasks.forecast_run_finish_task.apply(args=(None, run.pk)).get() == "done"
