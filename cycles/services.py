"""Writes of the cycles app: the planning calendar and opening a cycle."""

from datetime import date

from django.db import transaction

from accounts.permissions import ensure_allowed
from accounts.roles import Role
from accounts.selectors import users_with_role
from audit.services import audit_record, audited_save
from cycles.calendar import month_start
from cycles.models import CalendarMonth, Cycle
from sop_planner.errors import DomainError


@transaction.atomic
def calendar_month_save(*, actor, month: CalendarMonth, reason: str = "") -> CalendarMonth:
    ensure_allowed(actor, "calendar.edit")
    return audited_save(
        actor=actor,
        instance=month,
        fields=["month", "holidays", "note"],
        action="calendar.save",
        reason=reason,
    )


@transaction.atomic
def cycle_open(*, month: date, owner, actor=None) -> Cycle:
    """Open the cycle for a month; there is only ever one per month."""
    month = month_start(month)
    if Cycle.objects.filter(month=month).exists():
        raise DomainError(f"The cycle for {month:%Y-%m} is already open.")
    cycle = Cycle.objects.create(month=month, owner=owner)
    audit_record(
        actor=actor,
        action="cycle.open",
        obj=cycle,
        after={"month": f"{month:%Y-%m}"},
        cycle_id=cycle.pk,
    )
    return cycle


def cycle_open_if_missing(*, today: date) -> Cycle | None:
    """Beat's monthly job: open this month's cycle, led by a Sales Ops Manager.

    Returns None when the cycle exists already or nobody can own it.
    """
    owner = users_with_role(Role.SALES_OPS_MANAGER).first()
    if owner is None or Cycle.objects.filter(month=month_start(today)).exists():
        return None
    return cycle_open(month=today, owner=owner)
