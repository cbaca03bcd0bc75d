"""Scores are recomputed by a worker; the task takes ISO months and makes one call."""

from datetime import date

from celery import shared_task

from reassessment import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def scores_recompute_task(months: list[str] | None = None, actor_id: int | None = None) -> int:
    """Idempotent: a redelivered task replaces the same months' scores with the same rows."""
    chosen = None if months is None else [date.fromisoformat(m) for m in months]
    return services.scores_recompute_by_id(months=chosen, actor_id=actor_id).cells_scored
