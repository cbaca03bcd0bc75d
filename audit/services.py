"""The only way to write the audit trail."""

from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from audit.models import AuditEvent


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    cycle_id: int | None = None,
    territory_id: int | None = None,
    product_id: int | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(  # type: ignore[misc]  # audit sits below accounts: a
        # signed-in actor is the project's user model (accounts.typing.User)
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj) if obj is not None else "",
        before=before,
        after=after,
        reason=reason,
        cycle_id=cycle_id,
        territory_id=territory_id,
        product_id=product_id,
    )


def audit_record_many(events: list[AuditEvent]) -> int:
    """Write many unsaved events in one go (a bulk edit records one event per figure)."""
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


M = TypeVar("M", bound=models.Model)


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The JSON-safe values of some fields, for a before/after record."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = field.value_from_object(instance)  # type: ignore[union-attr]  # a concrete field: the caller names columns
        values[name] = value if isinstance(value, (int, float, bool, type(None))) else str(value)
    return values


def audited_save(
    *,
    actor: AbstractBaseUser | None,
    instance: M,
    fields: list[str],
    action: str,
    reason: str = "",
    **scope,
) -> M:
    """Save a master-data row and record what it was and what it became.

    Call inside the caller's transaction; the caller checks permission first.
    """
    model = type(instance)
    original = model.objects.filter(pk=instance.pk).first()  # type: ignore[attr-defined]  # every model here has `objects` if instance.pk else None
    before = snapshot(original, fields) if original else None
    instance.full_clean()
    instance.save()
    after = snapshot(instance, fields)
    if before != after:
        audit_record(
            actor=actor,
            action=action,
            obj=instance,
            before=before,
            after=after,
            reason=reason,
            **scope,
        )
    return instance
