"""Celery tasks of forecast runs: a chord of chunk tasks and a final step.

Each task takes ids and calls one service. acks_late + reject_on_worker_lost:
a chunk whose worker dies is delivered again, and the chunk's write is
idempotent, so nothing is lost and nothing is duplicated.
"""

from celery import chord, shared_task
from celery.signals import worker_init

from forecasting import services

CHUNK_TIME_LIMIT = 1200


@worker_init.connect
def _preload_statsforecast(**_) -> None:
    """Import statsforecast (~3 s, ~220 MB) once in the worker's parent: forked
    children share it, and no task pays for the import."""
    import statsforecast.models  # noqa: F401


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=CHUNK_TIME_LIMIT,
    soft_time_limit=CHUNK_TIME_LIMIT - 60,
)
def forecast_chunk_task(run_id: int, chunk_number: int) -> int:
    """One chunk; an error (or the time limit) fails the run with the chunk's message."""
    try:
        return services.forecast_chunk_compute(run_id=run_id, chunk_number=chunk_number)
    except Exception as error:
        services.forecast_run_fail(run_id=run_id, error=f"Chunk {chunk_number}: {error}")
        raise


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600, soft_time_limit=540)
def forecast_run_finish_task(_results, run_id: int) -> str:
    return services.forecast_run_finish(run_id=run_id).status


@shared_task
def forecast_sweep_task() -> int:
    """Run every minute by beat: publish again the runs lost between commit and publish."""
    return services.forecast_runs_sweep()


def enqueue_run(*, run_id: int, chunks: list[int]) -> None:
    """These chunks in parallel, then the finishing step (called after commit)."""
    header = [forecast_chunk_task.si(run_id, n) for n in chunks]
    if not header:
        forecast_run_finish_task.delay(None, run_id)
        return
    chord(header)(forecast_run_finish_task.s(run_id))
