from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from accounts.permissions import can


class ActionRequiredMixin(LoginRequiredMixin):
    """A view for users whose role allows `required_action` (the shared predicate)."""

    required_action: str = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, self.required_action):
            raise PermissionDenied(f"Your role does not allow '{self.required_action}'.")
        return super().dispatch(request, *args, **kwargs)
