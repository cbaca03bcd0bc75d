"""Project-wide Celery tasks."""

from celery import shared_task


@shared_task(ignore_result=False)
def worker_heartbeat_task() -> str:
    """Run every minute by beat: its stored result says a worker was alive then."""
    return "alive"
