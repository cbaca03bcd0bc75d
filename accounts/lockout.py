"""What a locked-out sign-in sees: the login form or the API, each in its own words.

django-axes decides when an account is locked (settings.AXES_*); this module only
says so, and names when to try again and who can lift the lock.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_STATUS = 429


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"This account is locked after {settings.AXES_FAILURE_LIMIT} failed sign-ins. "
        f"Try again in {minutes} minutes, or ask an administrator to lift the lock."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=LOCKED_STATUS)
    context = {"locked_message": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=LOCKED_STATUS)
