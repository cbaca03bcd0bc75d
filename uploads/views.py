"""Upload pages: parse the request, authorize, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import ensure_allowed, is_territory_scoped, planned_territory_ids
from sop_planner.background import worker_silence_message
from sop_planner.editing import form_data
from sop_planner.errors import DomainError
from uploads import access, selectors, services
from uploads.columns import KINDS, example_row
from uploads.forms import CommitForm, ConventionForm, MapForm, RevertForm, UploadForm
from uploads.models import UploadBatch
from uploads.outcomes import normalise_header


def _kinds_or_403(user) -> list[str]:
    kinds = selectors.kinds_for(user)
    if not kinds:
        raise PermissionDenied("Your role does not allow uploads.")
    return kinds


def _batch_for(user, pk: int) -> UploadBatch:
    batch = get_object_or_404(UploadBatch, pk=pk)
    if batch.kind not in _kinds_or_403(user):
        raise PermissionDenied("Your role does not allow this kind of upload.")
    if batch.created_by_id != user.pk and not access.handles_others(user):
        raise PermissionDenied(f"{batch} was uploaded by somebody else; you see your own only.")
    return batch


@login_required
def upload_page(request):
    kinds = _kinds_or_403(request.user)
    error = ""
    if request.method == "POST":
        try:
            batch = _preview(request)
        except DomainError as refusal:
            error = refusal.message
        else:
            return redirect("uploads:batch", pk=batch.pk)
    context = {
        "kinds": [KINDS[kind] for kind in kinds],
        "mappings": selectors.mappings_for(),
        "history": selectors.batch_history(request.user),
        "can_export_actuals": "actuals" in kinds,
        "error": error,
    }
    return render(request, "uploads/page.html", context, status=400 if error else 200)


def _preview(request) -> UploadBatch:
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError("Choose a file to upload.")
    fields = form_data(UploadForm, request.POST)
    return services.upload_preview(
        actor=request.user,
        file=upload,
        file_name=upload.name,
        kind=fields["kind"] or "actuals",
        sheet=fields["sheet"],
        mapping_name=fields["mapping_name"],
        convention=fields["convention"],
    )


@login_required
def batch_page(request, pk: int):
    batch = _batch_for(request.user, pk)
    convention = selectors.number_convention(batch)
    context = {
        "batch": batch,
        "spec": KINDS[batch.kind],
        "rejections": batch.rejections.all()[:1000],
        "territory_codes": selectors.territory_codes(batch.territories),
        "same_file": selectors.same_file_committed(batch),
        "convention": convention,
        "other_convention": selectors.other_convention(batch, convention),
        "headers": _suggested(batch) if batch.status == "needs_mapping" else [],
        "worker_silence": worker_silence_message(waiting=batch.is_running),
        "revert_refusal": services.upload_revert_refusal(actor=request.user, batch=batch)
        if batch.status == "committed"
        else None,
    }
    return render(request, "uploads/batch.html", context)


def _suggested(batch: UploadBatch) -> list[tuple[str, str]]:
    """Each column of the file, with the field its name already matches (if any)."""
    fields = {normalise_header(field): field for field in KINDS[batch.kind].columns}
    return [
        (name, fields.get(normalise_header(name), "")) for name in selectors.file_headers(batch)
    ]


@login_required
def batch_progress(request, pk: int):
    """Polled by htmx while a worker runs; a finished batch reloads the whole page."""
    batch = _batch_for(request.user, pk)
    context = {"batch": batch, "worker_silence": worker_silence_message(waiting=batch.is_running)}
    response = render(request, "uploads/_progress.html", context)
    if not batch.is_running:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def batch_map(request, pk: int):
    batch = _batch_for(request.user, pk)
    columns = {
        header: request.POST.get(f"map-{index}", "")
        for index, header in enumerate(request.POST.getlist("headers"))
    }
    try:
        services.upload_map(
            actor=request.user,
            batch_id=batch.pk,
            columns=columns,
            save_as=form_data(MapForm, request.POST)["save_as"],
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("uploads:batch", pk=pk)


@login_required
@require_POST
def batch_commit(request, pk: int):
    batch = _batch_for(request.user, pk)
    try:
        services.upload_commit(
            actor=request.user,
            batch_id=batch.pk,
            accept_partial=form_data(CommitForm, request.POST)["accept_partial"] == "yes",
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("uploads:batch", pk=pk)


@login_required
@require_POST
def batch_convention(request, pk: int):
    """The preview's "read the numbers with a decimal comma / point instead" button."""
    batch = _batch_for(request.user, pk)
    try:
        services.upload_reread(
            actor=request.user,
            batch_id=batch.pk,
            convention=form_data(ConventionForm, request.POST)["convention"],
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("uploads:batch", pk=pk)


@login_required
@require_POST
def batch_revert(request, pk: int):
    batch = _batch_for(request.user, pk)
    try:
        services.upload_revert(
            actor=request.user,
            batch_id=batch.pk,
            reason=form_data(RevertForm, request.POST)["reason"],
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("uploads:batch", pk=pk)


@login_required
def rejected_csv(request, pk: int):
    batch = _batch_for(request.user, pk)
    return _download(selectors.rejected_rows_csv(batch), f"rejected-rows-{batch.pk}.csv")


@login_required
def template_file(request, kind: str, extension: str):
    if kind not in KINDS or extension not in ("csv", "xlsx"):
        raise Http404("No such template.")
    spec = KINDS[kind]
    example = example_row(spec, selectors.example_codes())
    from uploads import templates_files  # openpyxl: only for the template download

    content, content_type = templates_files.template(spec, extension, example)
    return _download(content, f"{kind}-template.{extension}", content_type)


@login_required
def export_actuals(request):
    """Actuals in the upload format (a planner's own territories only, when scoped)."""
    ensure_allowed(request.user, "actuals.view")
    scoped = is_territory_scoped(request.user, "actuals.upload")
    territory_ids = list(planned_territory_ids(request.user)) if scoped else None
    return _download(selectors.actuals_export_csv(territory_ids=territory_ids), "actuals.csv")


def _download(content, file_name: str, content_type: str = "text/csv; charset=utf-8"):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
