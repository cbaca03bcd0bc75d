"""The one permission predicate: UI, API, admin and services all call it.

Roles are Django groups named after accounts.roles.Role; territory scope comes
from the planner assignments in the territories app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.roles import ACTION_WORDS, Role, Scope, scope_of, who_may
from sop_planner.errors import NotAllowed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

ROLE_NAMES = {role.value: role for role in Role}


def user_roles(user: AbstractBaseUser) -> frozenset[Role]:
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_sop_roles", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)
        cached = frozenset(ROLE_NAMES[name] for name in names if name in ROLE_NAMES)
        user._sop_roles = cached
    return cached


def planned_territory_ids(user: AbstractBaseUser) -> frozenset[int]:
    """The territories this user plans (their demand-planning scope)."""
    cached = getattr(user, "_sop_territories", None)
    if cached is None:
        from territories.models import TerritoryAssignment

        ids = TerritoryAssignment.objects.filter(user=user).values_list("territory_id", flat=True)
        cached = frozenset(ids)
        user._sop_territories = cached
    return cached


def can(user: AbstractBaseUser, action: str, *, territory_id: int | None = None) -> bool:
    """May this user take this action (for this territory, when one is given)?"""
    scope = scope_of(user_roles(user), action)
    if scope is Scope.ALL:
        return True
    if scope is Scope.OWN_TERRITORIES:
        return territory_id is None or territory_id in planned_territory_ids(user)
    return False


def ensure_allowed(
    user: AbstractBaseUser, action: str, *, territory_id: int | None = None
) -> None:
    if not can(user, action, territory_id=territory_id):
        raise NotAllowed(denial(user, action, territory_id))


def is_territory_scoped(user: AbstractBaseUser, action: str) -> bool:
    return scope_of(user_roles(user), action) is Scope.OWN_TERRITORIES


def denial(user: AbstractBaseUser, action: str, territory_id: int | None) -> str:
    """The refusal in words: what was asked, and who may do it (never the action's code)."""
    roles = ", ".join(sorted(user_roles(user))) or "no role"
    what = ACTION_WORDS.get(action, action)
    if territory_id is not None and scope_of(user_roles(user), action):
        return f"You ({roles}) may {what} only for the territories you plan."
    who = ", ".join(role.value for role in who_may(action)) or "nobody"
    return f"Your role ({roles}) may not {what}; {who} may."
