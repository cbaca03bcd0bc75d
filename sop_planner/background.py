"""Background work that cannot be lost: publishing a task, sweeping, and the worker's pulse.

A task is published after the transaction that records its job commits. If the web
process dies in between, or the broker cannot be reached, the job would wait forever:
`publish` turns a broker that does not answer into a message on the job, and each
app's sweeper (run every minute by Celery beat) publishes again what has waited too
long. Beat also runs `worker_heartbeat_task`; its last result tells the pages whether
any worker is alive.
"""

import logging
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection
from django.utils import timezone

log = logging.getLogger(__name__)

HEARTBEAT_TASK = "sop_planner.tasks.worker_heartbeat_task"
SILENT_AFTER = timedelta(minutes=3)
STALE_AFTER = timedelta(minutes=2)
BROKER_DOWN = (
    "The background worker could not be reached, so this was not started; nothing was "
    "changed. Try again in a minute; if it keeps happening, tell your administrator."
)


def publish(send: Callable[[], object], *, on_failure: Callable[[str], object]) -> bool:
    """Send a task; when the broker refuses, record why on the job instead of failing."""
    try:
        send()
    except Exception:  # kombu raises OperationalError, redis ConnectionError, OSError...
        log.exception("publishing a background task failed")
        on_failure(BROKER_DOWN)
        return False
    return True


@contextmanager
def exclusive(key: str) -> Iterator[bool]:
    """Whether this process is the only one doing the work named `key` right now.

    A PostgreSQL advisory lock of the connection's session: released at the end, or
    by PostgreSQL when the worker dies, so a redelivered task can take it. The
    embedded SQLite mode has one worker machine and no such lock: always True there.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    number = zlib.crc32(key.encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
        mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [number])


def stale_before():
    """Queued work older than this has probably been lost between commit and publish."""
    return timezone.now() - STALE_AFTER


def worker_silence() -> timedelta | None:
    """How long no worker has answered beat's heartbeat; None while one answers."""
    from django_celery_results.models import TaskResult

    last = (
        TaskResult.objects.filter(task_name=HEARTBEAT_TASK, status="SUCCESS")
        .order_by("-date_done")
        .values_list("date_done", flat=True)
        .first()
    )
    if last is None:
        return timedelta.max
    silence = timezone.now() - last
    return silence if silence > SILENT_AFTER else None


def worker_silence_message(*, waiting: bool) -> str:
    """Words for a page whose work waits on a worker; empty while all is well."""
    silence = worker_silence() if waiting else None
    if silence is None:
        return ""
    if silence == timedelta.max:
        return (
            "No background worker has answered yet: queued work will start as soon as "
            "one runs. If this stays, tell your administrator."
        )
    minutes = int(silence.total_seconds() // 60)
    return (
        f"No background worker has answered for {minutes} minutes: queued work will "
        "continue as soon as one is back. If this stays, tell your administrator."
    )
