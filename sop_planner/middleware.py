"""Request wrappers: refusals as pages, NUL characters refused, the browser feature policy."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from sop_planner.errors import DomainError

NUL = "\x00"


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


class NulRefusalMiddleware:
    """A NUL character in a filter or a form field is refused with a 400 naming the field.

    PostgreSQL cannot store or compare text holding NUL and answers with an error
    deep in a query; no field of the app has a use for one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = _field_with_nul(request)
        if name is None:
            return self.get_response(request)
        message = f"“{name}” holds a NUL character (\\x00); remove it and try again."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        context = {"message": message, "title": "That did not work"}
        return render(request, "error.html", context, status=400)


def _field_with_nul(request) -> str | None:
    if NUL in request.path:
        return "the address"
    fields = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        fields.append(request.POST)
    for query in fields:
        for name, values in query.lists():
            if NUL in name or any(NUL in value for value in values):
                return name.replace(NUL, "\\x00")
    return None
