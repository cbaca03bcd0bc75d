"""Reads of users by role."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from accounts.roles import Role
from territories.models import Territory


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
            "groups", Prefetch("planned_territories", queryset=Territory.objects.order_by("name"))
        )
    )
