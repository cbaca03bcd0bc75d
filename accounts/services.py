"""Writes of the accounts app: roles as groups, users with a role."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.roles import ADMIN_MODEL_PERMISSIONS, Role, actions_of


def roles_sync(*, using: str = "default") -> None:
    """Create a group per role and give it the admin permissions its actions imply."""
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


@transaction.atomic
def user_set_roles(*, user, roles: list[Role]) -> None:
    """Replace a user's roles; staff status follows admin access."""
    role_groups = Group.objects.filter(name__in=[r.value for r in Role])
    user.groups.remove(*role_groups)
    user.groups.add(*Group.objects.filter(name__in=[r.value for r in roles]))
    user.is_staff = any("admin.access" in actions_of(role) for role in roles)
    user.save(update_fields=["is_staff"])
    for attr in ("_sop_roles", "_sop_territories"):
        user.__dict__.pop(attr, None)
