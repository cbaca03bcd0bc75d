"""Demand planning's background work: loading a finished forecast run as the baseline."""

from celery import shared_task

from demand import baseline


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=1800, soft_time_limit=1740)
def baseline_load_task(run_id: int) -> bool:
    """Load the run into the plan (again, if it was already: the same rows are written once)."""
    return baseline.baseline_load_run(run_id=run_id, actor=None) is not None


@shared_task
def baseline_sweep_task() -> int:
    """Run every minute by beat: load the finished runs whose load never happened."""
    pending = baseline.baselines_not_loaded()
    for run_id in pending:
        baseline_load_task.delay(run_id)
    return len(pending)
