"""Request wrappers: refusals as pages, and the browser feature policy."""

from django.conf import settings
from django.shortcuts import render

from sop_planner.errors import DomainError


class DomainErrorMiddleware:
    """HTML views show a refused action as a page with the reason, never as a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            title = "Not allowed" if exception.status_code == 403 else "That did not work"
            context = {"message": exception.message, "items": exception.items, "title": title}
            return render(request, "error.html", context, status=exception.status_code)
        return None


class PermissionsPolicyMiddleware:
    """Tell browsers the app never uses the camera, microphone, location or payments."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
