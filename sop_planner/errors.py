"""Domain errors and how HTTP sees them.

Services raise these with a message in the user's words; the API turns them
into 400/403/404/409 responses and the HTML views show the same message.
"""

from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A request the business rules refuse; the message says why."""

    status_code = 400

    def __init__(self, message: str, *, items: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.items = items or []


class NotAllowed(DomainError):
    """The user's role, stage or territory does not allow this action."""

    status_code = 403


class Missing(DomainError):
    """The object the request is about does not exist (its id came in the URL)."""

    status_code = 404


class Conflict(DomainError):
    """Someone else changed the data first; nothing was overwritten."""

    status_code = 409


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        if exc.items:
            body["items"] = exc.items
        return Response(body, status=exc.status_code)
    return exception_handler(exc, context)
