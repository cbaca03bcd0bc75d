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
        instance = form.save(commit=False)
        try:
            type(self).service(actor=self.request.user, **{self.service_argument: instance})
        except (DomainError, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or error.messages[0])
            return self.form_invalid(form)
        messages.success(self.request, f"Saved {instance}.")
        return redirect(self.success_url_name)
