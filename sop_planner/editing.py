"""Form posts on pages: parse, call the service, show its refusal in words.

The master-data edit view is accounts.editing; a page's file import is uploads.page_files.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from sop_planner.errors import DomainError


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
