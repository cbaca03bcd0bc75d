"""The executive pack is built by a worker; each task takes an id and makes one call."""

from celery import shared_task

from reconciliation import pack_services


@shared_task(acks_late=True)
def pack_build_task(build_id: int) -> str:
    return pack_services.pack_build(build_id=build_id).status


@shared_task
def pack_sweep_task() -> int:
    """Run every minute by beat: publish again the builds lost between commit and publish."""
    return pack_services.packs_sweep()
