"""Writes of territory master data: check the role, save, audit."""

from django.db import transaction
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record, audited_save
from territories.assignments import (  # noqa: F401  (the app's one write path)
    planner_assign_dated,
    planner_assignment_end,
    rep_assign,
    rep_assignment_end,
    rep_move,
    sales_rep_save,
)
from territories.models import Region, Territory, TerritoryAssignment

REGION_FIELDS = ["code", "name"]
TERRITORY_FIELDS = ["code", "name", "region", "is_active"]


@transaction.atomic
def region_save(*, actor: User, region: Region, reason: str = "") -> Region:
    ensure_allowed(actor, "territories.edit")
    return audited_save(
        actor=actor, instance=region, fields=REGION_FIELDS, action="region.save", reason=reason
    )


@transaction.atomic
def territory_save(*, actor: User, territory: Territory, reason: str = "") -> Territory:
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
def planner_assign(*, actor: User, territory: Territory, user) -> TerritoryAssignment:
    ensure_allowed(actor, "assignments.edit")
    assignment = (
        TerritoryAssignment.objects.current().filter(territory=territory, user=user).first()
    )
    if assignment is None:
        assignment = TerritoryAssignment.objects.create(
            territory=territory, user=user, valid_from=timezone.localdate()
        )
        audit_record(
            actor=actor,
            action="territory.planner_assign",
            obj=assignment,
            after={"user": user.get_username()},
            territory_id=territory.pk,
        )
    return assignment


@transaction.atomic
def planner_unassign(*, actor: User, territory: Territory, user) -> None:
    ensure_allowed(actor, "assignments.edit")
    deleted = assignments_end_today(
        TerritoryAssignment.objects.filter(territory=territory, user=user)
    )
    if deleted:
        audit_record(
            actor=actor,
            action="territory.planner_unassign",
            obj=territory,
            before={"user": user.get_username()},
            territory_id=territory.pk,
        )


def assignments_end_today(rows) -> int:
    """End today's planner assignments among these rows (see DatedQuerySet.end_today)."""
    return rows.end_today()
