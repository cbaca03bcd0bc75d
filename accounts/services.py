"""Writes of the accounts app: roles as groups, users with a role."""

from collections.abc import Iterable
from datetime import datetime

from axes.utils import reset as axes_reset
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

from accounts.permissions import ensure_allowed
from accounts.roles import ADMIN_MODEL_PERMISSIONS, Role, actions_of
from accounts.typing import User
from audit.services import audit_record
from sop_planner.errors import DomainError


def roles_sync(*, using: str = "default") -> None:
    """Create a group per role and give it the admin permissions its actions imply.

    Model permissions are created app by app after migrate; accounts comes before
    the apps whose permissions it grants, so create them all first (idempotent):
    otherwise a fresh database leaves every role but the administrator without any.
    """
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        codenames = _model_permissions(role)
        perms = [
            perm
            for perm in Permission.objects.using(using).select_related("content_type")
            if f"{perm.content_type.app_label}.{perm.codename}" in codenames
        ]
        group.permissions.set(perms)


def _model_permissions(role: Role) -> set[str]:
    return {
        perm for action in actions_of(role) for perm in ADMIN_MODEL_PERMISSIONS.get(action, ())
    }


def user_roles_seed(*, user, roles: list[Role]) -> None:
    """Give a user roles with nobody signed in: the demo company, benchmarks, fixtures.

    Unchecked and unaudited on purpose (there is no actor); people's roles change only
    through user_save, which checks users.manage and audits. A test keeps views, the API,
    tasks and other services from calling this.
    """
    _user_set_roles(user=user, roles=roles)


@transaction.atomic
def _user_set_roles(*, user, roles: list[Role]) -> None:
    """Replace a user's roles; staff status follows admin access."""
    role_groups = Group.objects.filter(name__in=[r.value for r in Role])
    user.groups.remove(*role_groups)
    user.groups.add(*Group.objects.filter(name__in=[r.value for r in roles]))
    user.is_staff = any("admin.access" in actions_of(role) for role in roles)
    user.save(update_fields=["is_staff"])
    for attr in ("_sop_roles", "_sop_territories"):
        user.__dict__.pop(attr, None)


@transaction.atomic
def user_save(
    *,
    actor: User,
    user,
    roles: list[Role],
    territories: Iterable[Model] = (),
    password: str = "",
) -> AbstractUser:
    """Create or change a user with their roles and planned territories, audited.

    An administrator cannot lock themselves out: they keep their own
    administrator role and stay active.
    """
    ensure_allowed(actor, "users.manage")
    if user.pk == actor.pk and (
        not user.is_active or Role.TECHNICAL_OPERATIONS_ADVISOR not in roles
    ):
        raise DomainError("You cannot remove your own administrator access.")
    before = _user_state(user) if user.pk else None
    if password:
        user.set_password(password)
        _revoke_tokens(user)
    elif not user.pk:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _user_set_roles(user=user, roles=roles)
    _set_territories(user, territories)
    after = _user_state(user)
    if before != after:
        audit_record(actor=actor, action="user.save", obj=user, before=before, after=after)
    return user


def _set_territories(user, territories: Iterable[Model]) -> None:
    """Today's planner assignments of `user` become `territories` (earlier ones stay as
    history). accounts is below territories: it reaches the model through the registry."""
    assignments = _assignments()
    wanted = {territory.pk for territory in territories}
    assignments.filter(user=user).exclude(territory_id__in=wanted).end_today()
    planned = set(assignments.current().filter(user=user).values_list("territory_id", flat=True))
    for territory_id in wanted - planned:
        assignments.create(user=user, territory_id=territory_id, valid_from=timezone.localdate())
    user.__dict__.pop("_sop_territories", None)


def _user_state(user) -> dict:
    stored = type(user).objects.get(pk=user.pk)
    return {
        "username": stored.username,
        "name": stored.get_full_name(),
        "email": stored.email,
        "active": stored.is_active,
        "roles": sorted(stored.groups.values_list("name", flat=True)),
        "territories": sorted(
            _assignments().current().filter(user=stored).values_list("territory__code", flat=True)
        ),
    }


def _assignments():
    return apps.get_model("territories", "TerritoryAssignment").objects


def _revoke_tokens(user) -> None:
    """A new password ends every API token issued under the old one."""
    if user.pk:
        AuthToken.objects.filter(user=user).delete()


@transaction.atomic
def user_unlock(*, actor: User, user) -> None:
    """Lift a sign-in lock (django-axes) before its cool-off time runs out, audited."""
    ensure_allowed(actor, "users.manage")
    cleared = axes_reset(username=user.get_username())
    audit_record(actor=actor, action="user.unlock", obj=user, after={"attempts_cleared": cleared})


@transaction.atomic
def user_tokens_revoke(*, actor: User, user) -> int:
    """End a user's API tokens: their own, or anyone's for an administrator."""
    if actor.pk != user.pk:
        ensure_allowed(actor, "users.manage")
    revoked, _ = AuthToken.objects.filter(user=user).delete()
    audit_record(actor=actor, action="user.tokens_revoked", obj=user, after={"revoked": revoked})
    return revoked


def sign_in_lockout_record(*, username: str, ip_address: str | None) -> None:
    """Record in the audit trail that an account was locked after failed sign-ins."""
    user = get_user_model().objects.filter(username=username).first()
    audit_record(
        actor=None,
        action="user.locked_out",
        obj=user,
        after={"username": username, "ip_address": ip_address or ""},
    )


def api_token_create(*, user) -> tuple[str, datetime]:
    """Issue a new API token; only its digest is stored, and it expires (REST_KNOX)."""
    instance, token = AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
    return token, instance.expiry


def api_token_revoke(*, token: AuthToken) -> None:
    token.delete()
