"""The type of a person acting in a service: `actor: User` (AUTH_USER_MODEL is Django's own).

Views pass `request.user`; login_required and the API's IsAuthenticated make it a User there.
"""

from django.contrib.auth.models import User

__all__ = ["User"]
