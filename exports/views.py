"""Export pages: follow a file being built, then download it. Parse, authorize, call, render."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render

from exports import kinds, selectors
from sop_planner.background import worker_silence_message


@login_required
def export_page(request, pk: int):
    job = selectors.export_for(request.user, pk)
    return render(request, "exports/job.html", _context(job))


@login_required
def export_progress(request, pk: int):
    """Polled by htmx while a worker builds the file; the fragment stops polling once done."""
    job = selectors.export_for(request.user, pk)
    return render(request, "exports/_progress.html", _context(job))


@login_required
def export_download(request, pk: int):
    job = selectors.export_for(request.user, pk)
    path = selectors.export_file(job)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type=kinds.kind(job.kind).content_type,
    )


def _context(job) -> dict:
    return {"job": job, "worker_silence": worker_silence_message(waiting=job.is_running)}
