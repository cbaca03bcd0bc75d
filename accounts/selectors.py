"""Reads of users by role."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from accounts.roles import Role


def users_with_role(role: Role) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role.value)
        .order_by("username")
    )
