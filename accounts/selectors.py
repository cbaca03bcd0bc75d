"""Reads of users by role."""

from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.roles import Role


def users_with_role(role: Role) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role.value)
        .order_by("username")
    )


def users_overview() -> QuerySet:
    """Every user with their roles and planned territories, for the Users page."""
    return (
        get_user_model()
        .objects.order_by("username")
        .prefetch_related(
            "groups",
            Prefetch(  # today's assignments: ended and future ones are history
                "territoryassignment_set",
                queryset=apps.get_model("territories", "TerritoryAssignment")
                .objects.current()
                .select_related("territory")
                .order_by("territory__name"),
                to_attr="current_assignments",
            ),
        )
    )


def locked_usernames() -> set[str]:
    """Usernames that django-axes refuses now: enough failures within the cool-off time."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).values_list("username", flat=True)
    )
