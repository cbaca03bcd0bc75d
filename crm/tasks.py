"""The CRM sync as background work: on demand (the page's button) and nightly by beat."""

from celery import shared_task

from crm import services


@shared_task(acks_late=True)
def crm_sync_task(run_id: int) -> str:
    return services.sync_execute(run_id=run_id).status


@shared_task
def crm_sync_nightly_task() -> list[int]:
    """Run by beat at 02:30: queue a sync of every enabled connection."""
    return services.syncs_nightly()
