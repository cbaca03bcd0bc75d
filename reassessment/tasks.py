"""Scores are recomputed by a worker; the task takes ISO months and makes one call."""

from datetime import date

from celery import shared_task
from django.db import DatabaseError

from reassessment import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def scores_recompute_task(months: list[str] | None = None, actor_id: int | None = None) -> int:
    """Idempotent: a redelivered task replaces the same months' scores with the same rows.

    Retried on a database error (a deadlock, a lost connection, a unique clash): the
    scores must follow the actuals, and a rerun recomputes them from the data as it is.
    """
    chosen = None if months is None else [date.fromisoformat(m) for m in months]
    return services.scores_recompute_by_id(months=chosen, actor_id=actor_id).cells_scored
