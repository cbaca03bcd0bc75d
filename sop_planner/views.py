"""Project-level pages that belong to no app."""

from functools import cache

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to: send them to the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@cache
def _schema_views() -> dict:
    """The API schema and its docs page, built on first use: drf_spectacular's views import
    its whole schema generator (about a second), which no other request needs."""
    from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

    return {
        "schema": SpectacularAPIView.as_view(),
        "docs": SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
    }


@csrf_exempt
def api_schema(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    return _schema_views()["schema"](request, *args, **kwargs)


@csrf_exempt
def api_docs(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    return _schema_views()["docs"](request, *args, **kwargs)


# Django's own error pages, except under /api/, where a client reads JSON whatever went wrong.
API_PREFIX = "/api/"


def _api_error(request: HttpRequest, status: int, detail: str) -> HttpResponse | None:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail}, status=status)
    return None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(request, 400, "Bad request.") or defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    detail = "You do not have permission to perform this action."
    return _api_error(request, 403, detail) or defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    detail = f"There is no API address {request.path!r}."
    return _api_error(request, 404, detail) or defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    detail = "Server error: the request was not completed; the administrator can see why."
    return _api_error(request, 500, detail) or defaults.server_error(request)
