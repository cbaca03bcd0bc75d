from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from accounts import selectors, services
from accounts.forms import UserForm
from accounts.mixins import ActionRequiredMixin
from accounts.permissions import ensure_allowed
from accounts.roles import Role
from sop_planner.errors import DomainError


@login_required
def user_list(request):
    ensure_allowed(request.user, "users.manage")
    context = {"users": selectors.users_overview(), "locked": selectors.locked_usernames()}
    return render(request, "accounts/users.html", context)


@login_required
@require_POST
def user_unlock(request, pk: int):
    user = get_object_or_404(get_user_model(), pk=pk)
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, f"{user.get_username()} can sign in again.")
    return redirect("users")


class UserEditView(ActionRequiredMixin, FormView):
    required_action = "users.manage"
    template_name = "masterdata_form.html"
    form_class = UserForm

    def get_form_kwargs(self):
        pk = self.kwargs.get("pk")
        instance = get_object_or_404(get_user_model(), pk=pk) if pk else None
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": "User", "cancel_url_name": "users"}

    def form_valid(self, form):
        try:
            user = services.user_save(
                actor=self.request.user,
                user=form.instance,
                roles=[Role(name) for name in form.cleaned_data["roles"]],
                territories=form.cleaned_data["territories"],
                password=form.cleaned_data["password"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved {user.get_username()}.")
        return redirect("users")
