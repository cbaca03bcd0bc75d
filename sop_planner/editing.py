"""One edit view for master data: the form parses, the service writes.

The service checks the permission again, saves and writes the audit record;
its refusal is shown on the form, and nothing is saved.
"""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView

from accounts.mixins import ActionRequiredMixin
from accounts.permissions import ensure_allowed
from sop_planner.errors import DomainError


class ServiceFormView(ActionRequiredMixin, FormView):
    template_name = "masterdata_form.html"
    model = None
    service: Callable | None = None
    service_argument = ""
    success_url_name = ""
    title = ""

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(self.model, pk=pk) if pk else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": self.title,
            "cancel_url_name": self.success_url_name,
        }

    def form_valid(self, form):
        locked = locked_fields_changed(form)
        if locked:
            form.add_error(None, f"Your role does not allow changing: {', '.join(locked)}.")
            return self.form_invalid(form)
        instance = form.instance
        try:
            type(self).service(actor=self.request.user, **{self.service_argument: instance})
        except (DomainError, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or error.messages[0])
            return self.form_invalid(form)
        messages.success(self.request, f"Saved {instance}.")
        return redirect(self.success_url_name)


def locked_fields_changed(form) -> list[str]:
    """Labels of read-only (disabled) fields that the request tried to change anyway.

    Django quietly keeps a disabled field's initial value; we refuse instead,
    so a user never sees "Saved" for a change that was not made.
    """
    changed = []
    for name, field in form.fields.items():
        if not field.disabled or form.add_prefix(name) not in form.data:
            continue
        field.disabled = False
        try:
            if form[name]._has_changed():
                changed.append(str(field.label))
        finally:
            field.disabled = True
    return changed


def run_service(request, call: Callable[[], object], success: str, back: str):
    """Call a service for a form post; show its refusal as an error message.

    The service changes nothing when it refuses; either way the user goes back
    to the page the form was on.
    """
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(back)


KEPT = "kept_form"  # session key: a refused form's typed values, shown once on the next page


def run_form(request, form_class: type[forms.Form], call: Callable[[dict], object], **pages):
    """A form post on a page that redirects: parse with `form_class`, then `call(cleaned)`.

    `pages` gives `success` (the message), `back` (where to go) and optionally
    `refused` (where to go when refused, when the form lives on another page).
    A refusal (a bad field, named with its value, or the service's reason) is
    shown as a message, and the typed values come back in the form on the page
    (`kept.<FormName>.<field>` in templates), so nobody types a reason twice;
    `kept.<FormName>.invalid` lists the fields the form refused, for the page to mark.
    """
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            raise form_refusal(form)
        call(form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
        keep_typed(request, form_class.__name__, request.POST, invalid=list(form.errors))
        return redirect(pages.get("refused", pages["back"]))
    else:
        messages.success(request, pages["success"])
    return redirect(pages["back"])


def keep_typed(request, name: str, data, *, invalid: list[str] | None = None) -> None:
    typed = {key: data.get(key, "") for key in data if key != "csrfmiddlewaretoken"}
    request.session[KEPT] = {name: {**typed, "invalid": invalid or []}}


def kept_form(request) -> dict:
    """Context processor: the typed values of the last refused form, once."""
    session = getattr(request, "session", None)
    return {"kept": session.pop(KEPT, {}) if session is not None else {}}


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
    from cycles.selectors import current_cycle
    from uploads.services import upload_preview

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


def form_data(form_class: type[forms.Form], data) -> dict:
    """The posted fields parsed by a Django form, or a refusal naming each bad field and value."""
    form = form_class(data)
    if form.is_valid():
        return form.cleaned_data
    raise form_refusal(form)


def form_refusal(form: forms.Form) -> DomainError:
    """A refusal naming each bad field of a bound form, with the value the user typed."""
    problems = [
        f"{_label(form, name)} “{form.data.get(form.add_prefix(name), '')}”: {' '.join(errors)}"
        if name != NON_FIELD_ERRORS
        else " ".join(errors)
        for name, errors in form.errors.items()
    ]
    return DomainError("Nothing was saved. " + " ".join(problems), items=problems)


def _label(form: forms.Form, name: str) -> str:
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else name


def row_version(post, name: str) -> int:
    """The row version a grid posted in hidden field `name` (0: empty when read)."""
    value = post.get(name) or "0"
    try:
        return forms.IntegerField(min_value=0).clean(value)
    except ValidationError:
        raise DomainError(
            f"Field {name} holds “{value}”, not the row version of a figure; reload the page "
            "and enter your figures again. Nothing was saved."
        ) from None


def safe_next(request, target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site, else `fallback`: no redirect leaves the site."""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else fallback
