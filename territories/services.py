"""Writes of territory master data: check the role, save, audit."""

from django.db import transaction

from accounts.permissions import ensure_allowed
from audit.services import audit_record, audited_save
from territories.models import Region, Territory, TerritoryAssignment

REGION_FIELDS = ["code", "name"]
TERRITORY_FIELDS = ["code", "name", "region", "is_active"]


@transaction.atomic
def region_save(*, actor, region: Region, reason: str = "") -> Region:
    ensure_allowed(actor, "territories.edit")
    return audited_save(
        actor=actor, instance=region, fields=REGION_FIELDS, action="region.save", reason=reason
    )


@transaction.atomic
def territory_save(*, actor, territory: Territory, reason: str = "") -> Territory:
    ensure_allowed(actor, "territories.edit")
    return audited_save(
        actor=actor,
        instance=territory,
        fields=TERRITORY_FIELDS,
        action="territory.save",
        reason=reason,
        territory_id=territory.pk,
    )


@transaction.atomic
def planner_assign(*, actor, territory: Territory, user) -> TerritoryAssignment:
    ensure_allowed(actor, "assignments.edit")
    assignment, created = TerritoryAssignment.objects.get_or_create(territory=territory, user=user)
    if created:
        audit_record(
            actor=actor,
            action="territory.planner_assign",
            obj=assignment,
            after={"user": user.get_username()},
            territory_id=territory.pk,
        )
    return assignment


@transaction.atomic
def planner_unassign(*, actor, territory: Territory, user) -> None:
    ensure_allowed(actor, "assignments.edit")
    deleted, _ = TerritoryAssignment.objects.filter(territory=territory, user=user).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="territory.planner_unassign",
            obj=territory,
            before={"user": user.get_username()},
            territory_id=territory.pk,
        )
