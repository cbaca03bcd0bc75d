"""Reads of export jobs: a user's own job, and whether they may still have its file."""

from pathlib import Path

from django.conf import settings

from accounts.permissions import ensure_allowed
from exports import kinds
from exports.models import ExportJob
from sop_planner.errors import DomainError, NotAllowed


class NoSuchExport(DomainError):
    status_code = 404


def export_for(user, job_id: int) -> ExportJob:
    """The job, if it is this user's: a file somebody asked for is theirs to download."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NoSuchExport(f"There is no export {job_id}.")
    if job.requested_by_id != user.pk:
        raise NotAllowed(f"{job} was asked for by somebody else; ask for your own copy.")
    ensure_allowed(user, kinds.kind(job.kind).action)
    return job


def export_file(job: ExportJob) -> Path:
    """The built file on disk; refused in words while it is not ready."""
    if job.status != ExportJob.Status.READY:
        raise DomainError(f"{job} is {job.get_status_display()}; it cannot be downloaded yet.")
    path = Path(settings.MEDIA_ROOT) / job.stored_path
    if not path.is_file():
        raise NoSuchExport(f"The file of {job} is no longer kept; ask for it again.")
    return path
