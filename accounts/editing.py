"""One edit view for master data: the form parses, the service writes.

The service checks the permission again, saves and writes the audit record;
its refusal is shown on the form, and nothing is saved.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from accounts.mixins import ActionRequiredMixin
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
