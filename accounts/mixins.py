from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from accounts.permissions import can, denial


class ActionRequiredMixin(LoginRequiredMixin):
    """A view for users whose role allows `required_action` (the shared predicate)."""

    required_action: str = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, self.required_action):
            raise PermissionDenied(denial(request.user, self.required_action, None))
        return super().dispatch(request, *args, **kwargs)
