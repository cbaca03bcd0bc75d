"""Writes of dated assignments: sales reps and demand planners to territories.

Re-exported by territories.services, the app's one write path. Only the Sales
Ops Manager assigns with dates; overlapping periods are refused naming the
dates; a move ends the old period the day before the new one starts, so the
old territory keeps the rep's history.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.permissions import ensure_allowed
from accounts.roles import Role
from accounts.typing import User
from audit.services import audit_record
from sop_planner.errors import DomainError
from territories.models import RepAssignment, SalesRep, Territory, TerritoryAssignment
from territories.periods import Period, PeriodError, check_order, day_before, first_overlap

ACTION = "territories.assign_dated"


def _period_checked(start: date | None, end: date | None) -> Period:
    period = Period(start, end)
    try:
        check_order(period)
    except PeriodError as error:
        raise DomainError(str(error)) from None
    return period


def _refuse_overlap(period: Period, rows, who: str) -> None:
    existing = [(Period(row.valid_from, row.valid_to), row) for row in rows]
    clash = first_overlap(period, [p for p, _row in existing])
    if clash is not None:
        row = next(r for p, r in existing if p == clash)
        raise DomainError(
            f"Nothing was saved: {who} is already assigned to {row.territory} "
            f"{clash.words()}, which overlaps {period.words()}. End that assignment first."
        )


def _rep_state(row: RepAssignment) -> dict:
    return {
        "rep": row.rep.email,
        "territory": row.territory.code,
        "valid_from": row.valid_from.isoformat(),
        "valid_to": row.valid_to.isoformat() if row.valid_to else None,
    }


@transaction.atomic
def sales_rep_save(*, actor: User, rep: SalesRep) -> SalesRep:
    """Create or change a sales rep (name, e-mail, user, active)."""
    ensure_allowed(actor, ACTION)
    before = None
    if rep.pk:
        stored = SalesRep.objects.get(pk=rep.pk)
        before = {"name": stored.name, "email": stored.email, "active": stored.is_active}
    rep.full_clean()
    rep.save()
    after = {"name": rep.name, "email": rep.email, "active": rep.is_active}
    if before != after:
        audit_record(actor=actor, action="sales_rep.save", obj=rep, before=before, after=after)
    return rep


@transaction.atomic
def rep_assign(
    *, actor: User, rep_id: int, territory_id: int, valid_from: date, valid_to: date | None = None
) -> RepAssignment:
    """Assign a rep to a territory for a period that overlaps none of theirs."""
    ensure_allowed(actor, ACTION)
    rep = _locked_rep(rep_id)
    territory = _territory(territory_id)
    period = _period_checked(valid_from, valid_to)
    _refuse_overlap(period, rep.assignments.select_related("territory"), rep.name)
    row = RepAssignment.objects.create(
        rep=rep, territory=territory, valid_from=valid_from, valid_to=valid_to
    )
    audit_record(
        actor=actor, action="rep.assign", obj=row, after=_rep_state(row), territory_id=territory.pk
    )
    return row


@transaction.atomic
def rep_move(*, actor: User, rep_id: int, territory_id: int, on: date) -> RepAssignment:
    """Move a rep to another territory from a day on: the open assignment ends the day
    before, so what they sold until then stays with the old territory."""
    ensure_allowed(actor, ACTION)
    rep = _locked_rep(rep_id)
    open_row = rep.assignments.select_related("territory").filter(valid_to__isnull=True).first()
    if open_row is not None:
        if open_row.valid_from >= on:
            raise DomainError(
                f"{rep.name} starts in {open_row.territory} on {open_row.valid_from:%Y-%m-%d}; "
                f"a move on {on:%Y-%m-%d} must come after that."
            )
        before = _rep_state(open_row)
        open_row.valid_to = day_before(on)
        open_row.save(update_fields=["valid_to"])
        audit_record(
            actor=actor,
            action="rep.assignment_end",
            obj=open_row,
            before=before,
            after=_rep_state(open_row),
            territory_id=open_row.territory_id,
        )
    return rep_assign(actor=actor, rep_id=rep.pk, territory_id=territory_id, valid_from=on)


@transaction.atomic
def rep_assignment_end(*, actor: User, assignment_id: int, valid_to: date) -> RepAssignment:
    """End an assignment on a day (its last day)."""
    ensure_allowed(actor, ACTION)
    row = _locked(RepAssignment, assignment_id, "rep assignment")
    period = _period_checked(row.valid_from, valid_to)
    others = row.rep.assignments.exclude(pk=row.pk).select_related("territory")
    _refuse_overlap(period, others, row.rep.name)
    before = _rep_state(row)
    row.valid_to = valid_to
    row.save(update_fields=["valid_to"])
    audit_record(
        actor=actor,
        action="rep.assignment_end",
        obj=row,
        before=before,
        after=_rep_state(row),
        territory_id=row.territory_id,
    )
    return row


@transaction.atomic
def planner_assign_dated(
    *, actor: User, user_id: int, territory_id: int, valid_from: date, valid_to: date | None = None
) -> TerritoryAssignment:
    """A demand planner plans a territory for a period; their scope follows today's rows."""
    ensure_allowed(actor, ACTION)
    user = _planner(user_id)
    territory = _territory(territory_id)
    period = _period_checked(valid_from, valid_to)
    rows = TerritoryAssignment.objects.filter(user=user, territory=territory)
    _refuse_overlap(period, rows.select_related("territory"), user.get_username())
    row = TerritoryAssignment.objects.create(
        user=user, territory=territory, valid_from=valid_from, valid_to=valid_to
    )
    audit_record(
        actor=actor,
        action="territory.planner_assign",
        obj=row,
        after={
            "user": user.get_username(),
            "valid_from": str(valid_from),
            "valid_to": str(valid_to),
        },
        territory_id=territory.pk,
    )
    return row


@transaction.atomic
def planner_assignment_end(
    *, actor: User, assignment_id: int, valid_to: date
) -> TerritoryAssignment:
    """End a planner's assignment on a day (its last day); the row stays as history."""
    ensure_allowed(actor, ACTION)
    row = _locked(TerritoryAssignment, assignment_id, "planner assignment")
    _period_checked(row.valid_from, valid_to)
    before = {"valid_to": str(row.valid_to)}
    row.valid_to = valid_to
    row.save(update_fields=["valid_to"])
    audit_record(
        actor=actor,
        action="territory.planner_assignment_end",
        obj=row,
        before=before,
        after={"user": row.user.get_username(), "valid_to": str(valid_to)},
        territory_id=row.territory_id,
    )
    return row


def _locked(model, pk: int, noun: str):
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise DomainError(f"There is no {noun} with id {pk}.")
    return row


def _locked_rep(rep_id: int) -> SalesRep:
    return _locked(SalesRep, rep_id, "sales rep")


def _territory(territory_id: int) -> Territory:
    territory = Territory.objects.filter(pk=territory_id).first()
    if territory is None:
        raise DomainError(f"There is no territory with id {territory_id}.")
    return territory


def _planner(user_id: int):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.groups.filter(name=Role.DEMAND_PLANNER.value).exists():
        raise DomainError("Choose an active demand planner.")
    return user
