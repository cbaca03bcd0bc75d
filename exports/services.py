"""Exports: the one write path of export jobs (asked for in a request, built by a worker).

The request only records the intent and publishes the task once its transaction
commits; the worker counts the rows, writes the file in pieces to a temporary name,
records its progress between pieces (each a short write of its own) and renames
the file into place when it is whole. A file of data that never changes (a version
taken) is served again to whoever asks next, without building it twice.
"""

import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from exports import kinds
from exports.models import ExportJob
from sop_planner import background

log = logging.getLogger(__name__)
Status = ExportJob.Status
PROGRESS_EVERY_ROWS = 10_000


def export_request(*, actor: User, kind: str, params: dict) -> ExportJob:
    """Record that `actor` wants a file; a worker builds it (or a built one is reused)."""
    spec = kinds.kind(kind)
    ensure_allowed(actor, spec.action)
    prepared = spec.prepare(params)
    same = ExportJob.objects.filter(kind=kind, params=prepared.params)
    running = same.filter(requested_by=actor, status__in=ExportJob.RUNNING).first()
    if running:  # asked twice (a double click): follow the job already on its way
        return running
    built = _built(same) if prepared.fixed else None
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind,
            params=prepared.params,
            title=prepared.title,
            file_name=prepared.file_name,
            requested_by=actor,
            reusable=prepared.fixed,
            **_copy_of(built) if built else {"queued_at": timezone.now()},
        )
        if not built:
            transaction.on_commit(lambda: _publish(job.pk))
    return job


def _built(same) -> ExportJob | None:
    """A finished file of the same fixed data, still on disk."""
    for job in same.filter(status=Status.READY, reusable=True).order_by("-finished_at")[:3]:
        if job.stored_path and (Path(settings.MEDIA_ROOT) / job.stored_path).is_file():
            return job
    return None


def _copy_of(built: ExportJob) -> dict:
    return {
        "status": Status.READY,
        "stored_path": built.stored_path,
        "size": built.size,
        "rows_total": built.rows_total,
        "rows_done": built.rows_done,
        "finished_at": timezone.now(),
    }


def _publish(job_id: int) -> None:
    from exports.tasks import export_build_task

    background.publish(
        lambda: export_build_task.delay(job_id),
        on_failure=lambda message: ExportJob.objects.filter(
            pk=job_id, status=Status.QUEUED
        ).update(status=Status.FAILED, error=f"{message} Ask for the file again."),
    )


def exports_sweep() -> int:
    """Publish again the jobs that have waited too long for a worker (a lost publish)."""
    stale = ExportJob.objects.filter(status=Status.QUEUED, queued_at__lt=background.stale_before())
    waiting = list(stale.values_list("pk", flat=True))
    for job_id in waiting:
        _publish(job_id)
    return len(waiting)


def export_build(*, job_id: int) -> ExportJob:
    """Build a queued file (in a worker). Safe to run again after a crash: it starts over."""
    with background.exclusive(f"export-build:{job_id}") as mine:
        job = ExportJob.objects.get(pk=job_id)
        if not mine or not job.is_running:
            return job
        try:
            _build(job)
        except Exception as error:
            message = getattr(error, "message", "") or f"an unexpected error ({error})"
            _update(job, status=Status.FAILED, error=f"The file could not be built: {message}")
            log.exception("export %s failed", job_id)
            if not hasattr(error, "message"):
                raise
        job.refresh_from_db()
        return job


def _build(job: ExportJob) -> None:
    spec = kinds.kind(job.kind)
    prepared = spec.prepare(job.params)
    _update(job, status=Status.BUILDING, rows_total=spec.rows(prepared), rows_done=0)
    relative = f"exports/{job.pk}/{job.file_name}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    done = reported = 0
    with partial.open("w", encoding="utf-8", newline="") as out:
        for text, rows in spec.chunks(prepared):
            out.write(text)
            done += rows
            if done - reported >= PROGRESS_EVERY_ROWS:
                _update(job, rows_done=done)
                reported = done
    os.replace(partial, target)
    _update(
        job,
        status=Status.READY,
        rows_done=done,
        stored_path=relative,
        size=target.stat().st_size,
        finished_at=timezone.now(),
        error="",
    )


def _update(job: ExportJob, **fields) -> None:
    """One short write (autocommit): the page reads it while the build goes on."""
    ExportJob.objects.filter(pk=job.pk).update(**fields)
