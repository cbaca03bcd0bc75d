"""Files are built by a worker; each task takes an id and makes one call."""

from celery import shared_task

from exports import services


@shared_task(acks_late=True)
def export_build_task(job_id: int) -> str:
    return services.export_build(job_id=job_id).status


@shared_task
def export_sweep_task() -> int:
    """Run every minute by beat: publish again the jobs lost between commit and publish."""
    return services.exports_sweep()
