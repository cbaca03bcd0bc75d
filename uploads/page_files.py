"""A page's "Import" button: the posted file, checked before it is read, into the uploads
pipeline."""

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import redirect

from accounts.permissions import ensure_allowed
from cycles.selectors import current_cycle
from sop_planner.errors import DomainError
from uploads.services import upload_preview


def posted_file(request, action: str) -> UploadedFile:
    """The posted file, not read yet, or a refusal that says what is wrong.

    The role and the size are checked before the file is read: a refused post
    (a planner's 250 MB file on the budget import) costs no memory.
    """
    ensure_allowed(request.user, action)
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError("Choose a CSV or XLSX file to import.")
    limit = settings.FORM_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise DomainError(
            f"{upload.name} is {_size_in_words(upload.size)}; this import takes files up to "
            f"{_size_in_words(limit)}. Nothing was imported."
        )
    return upload


def uploaded_file(request, action: str) -> tuple[str, bytes]:
    """The name and content of the posted file, after the checks of `posted_file`."""
    upload = posted_file(request, action)
    return upload.name, upload.read()


def page_upload(request, *, kind: str, action: str, cycle_id: int, back: str):
    """A page's "Import" button: the file goes into the uploads pipeline as `kind`.

    The user lands on the upload's preview (every row checked, rejected rows
    named) and commits it there; nothing is written before. Plan figures go
    into the open cycle, so a page of another cycle refuses.
    """
    try:
        upload = posted_file(request, action)
        current = current_cycle()
        if current is None or current.pk != cycle_id:
            raise DomainError("Files are imported into the open cycle; this cycle is not open.")
        batch = upload_preview(actor=request.user, file=upload, file_name=upload.name, kind=kind)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.info(
        request,
        f"{batch}: being checked; then check the preview and commit. Nothing is written before.",
    )
    return redirect("uploads:batch", pk=batch.pk)


def _size_in_words(size: int) -> str:
    """A file size in words a user reads at a glance: 812 KB, 250.0 MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024)):,} KB"
    return f"{size / (1024 * 1024):,.1f} MB"
