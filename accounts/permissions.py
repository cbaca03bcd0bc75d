"""The one permission predicate: UI, API, admin and services all call it.

Roles are Django groups named after accounts.roles.Role; territory scope comes
from the planner assignments in the territories app (read through the app registry:
accounts is below territories and cycles, and imports neither).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps

from accounts.roles import (
    ACTION_WORDS,
    CLOSED_BECAUSE,
    OWNERS_CALLED,
    OWNERSHIP,
    STAGES,
    Owner,
    Role,
    Scope,
    scope_of,
    who_may,
)
from sop_planner.errors import DomainError, NotAllowed

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
        assignments = apps.get_model("territories", "TerritoryAssignment")
        ids = (
            assignments.objects.current().filter(user=user).values_list("territory_id", flat=True)
        )
        cached = frozenset(ids)
        user._sop_territories = cached
    return cached


def can(
    user: AbstractBaseUser, action: str, obj: Any = None, *, territory_id: int | None = None
) -> bool:
    """May this user take this action (on this cycle or object, for this territory) now?

    Like Django's has_perm(perm, obj): without an object only the role and the territory
    are asked; with one (a cycle, or a row that has a `cycle`) its owner and stage too.
    """
    return refusal(user, action, obj, territory_id=territory_id) is None


def ensure_allowed(
    user: AbstractBaseUser, action: str, obj: Any = None, *, territory_id: int | None = None
) -> None:
    """Refuse, in words, what can() would not allow."""
    refused = refusal(user, action, obj, territory_id=territory_id)
    if refused is not None:
        raise refused


def refusal(
    user: AbstractBaseUser, action: str, obj: Any = None, *, territory_id: int | None = None
) -> DomainError | None:
    """Why this user may not take this action now (None: they may): role, owner, territory,
    then stage, the first that refuses. Who may not: NotAllowed; not now: DomainError."""
    scope = scope_of(user_roles(user), action)
    rule = OWNERSHIP.get(action)
    is_owner = obj is not None and _owns(user, obj)
    if rule is Owner.GRANTS and is_owner:
        scope = Scope.ALL
    if scope is None:
        return NotAllowed(denial(user, action, None))
    if rule is Owner.REQUIRED and obj is not None and not is_owner:
        owner = _cycle_of(obj).owner
        return NotAllowed(f"Only the cycle owner, {display_name(owner)}, may {_words(action)}.")
    if scope is Scope.OWN_TERRITORIES and not _plans(user, territory_id):
        return NotAllowed(denial(user, action, territory_id))
    if obj is not None and action in STAGES:
        return _stage_refusal(action, _cycle_of(obj))
    return None


def _plans(user: AbstractBaseUser, territory_id: int | None) -> bool:
    """Does a territory-scoped user plan this territory? No territory asked: the role answers."""
    return territory_id is None or territory_id in planned_territory_ids(user)


def owns(user: AbstractBaseUser, obj: Any) -> bool:
    """Is this user an owner of the object (its cycle's owner, or the person it is assigned
    to)? For what the owner is shown (their to-dos), not for what they may do: ask can()."""
    return _owns(user, obj)


def _cycle_of(obj: Any) -> Any:
    return getattr(obj, "cycle", None) or obj


def _owns(user: AbstractBaseUser, obj: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cycle = _cycle_of(obj)
    assignee = getattr(obj, "owner_id", None) if cycle is not obj else None
    return user.pk in (cycle.owner_id, assignee)


def _stage_refusal(action: str, cycle: Any) -> DomainError | None:
    labels = _stage_labels()
    what = _words(action)
    if cycle.is_released:
        return NotAllowed(
            f"{cycle} was released on {cycle.released_at:%Y-%m-%d %H:%M}; "
            f"its plan is locked: nobody may {what} any more."
        )
    if cycle.stage in STAGES[action]:
        return None
    open_in = ", ".join(label for value, label in labels.items() if value in STAGES[action])
    because = CLOSED_BECAUSE.get(action, f"you may {what} only in {open_in}")
    return DomainError(f"{cycle} is in {labels[cycle.stage]}: {because}.")


def _stage_labels() -> dict[str, str]:
    """Each stage's label, in stage order: the choices of the cycle's stage field (accounts
    sits below cycles, so it reads them through the app registry)."""
    return dict(apps.get_model("cycles", "Cycle")._meta.get_field("stage").choices)


def _words(action: str) -> str:
    return ACTION_WORDS.get(action, action)


def display_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def is_territory_scoped(user: AbstractBaseUser, action: str) -> bool:
    return scope_of(user_roles(user), action) is Scope.OWN_TERRITORIES


def denial(user: AbstractBaseUser, action: str, territory_id: int | None) -> str:
    """The refusal in words: what was asked, and who may do it (never the action's code)."""
    roles = ", ".join(sorted(user_roles(user))) or "no role"
    what = _words(action)
    if territory_id is not None and scope_of(user_roles(user), action):
        return f"You ({roles}) may {what} only for the territories you plan."
    who = ", ".join(role.value for role in who_may(action))
    if OWNERSHIP.get(action) is Owner.GRANTS:
        owners = OWNERS_CALLED.get(action, "the cycle owner")
        if not who:
            return f"Only {owners} may {what}."
        who += f" and {owners}"
    return f"Your role ({roles}) may not {what}; {who or 'nobody'} may."
