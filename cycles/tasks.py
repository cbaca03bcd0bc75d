from datetime import date

from celery import shared_task

from cycles import services


@shared_task
def cycle_open_monthly_task() -> int | None:
    """Open the current month's cycle if nobody has (beat, first day of the month)."""
    cycle = services.cycle_open_if_missing(today=date.today())
    return cycle.pk if cycle else None
