"""Files are validated, written and reverted by a worker; each task takes an id and makes one call."""

from celery import shared_task

from uploads import services


@shared_task(acks_late=True)
def upload_validate_task(batch_id: int) -> str:
    return services.upload_validate(batch_id=batch_id).status


@shared_task(acks_late=True)
def upload_write_task(batch_id: int) -> str:
    return services.upload_write(batch_id=batch_id).status


@shared_task(acks_late=True)
def upload_revert_task(batch_id: int) -> str:
    return services.upload_unwrite(batch_id=batch_id).status


@shared_task
def upload_sweep_task() -> int:
    """Run every minute by beat: publish again the batches lost between commit and publish."""
    return services.uploads_sweep()
