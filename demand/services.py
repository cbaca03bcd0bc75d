"""Writes of demand planning: overrides at any level, and reopening a submitted territory.

Every change of the plan goes through the cycles plan store (plan_bulk) with
the cycle row locked, so a snapshot or a stage move never interleaves with an
edit; one audit record per edit, plus the Override and its cells for analysis.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record
from cycles import gates, measures
from cycles.measures import MeasureCode
from cycles.models import Cycle
from cycles.plan_bulk import Key, current_rows, plan_values_write_many
from cycles.plan_services import locked_cycle, plain, refuse_if_released, refuse_too_large
from cycles.selectors import plan_values_live
from cycles.stages import Stage
from demand.disaggregation import DisaggregationError, Edit, EditMode
from demand.models import Override, OverrideCell, ReasonCode, SubmissionReopen
from demand.plan_arith import Change, Parts, UndoConflict, edit_cells, undo_cells
from demand.rollup import families_of, rollup_refresh
from demand.scope import Scope
from sop_planner.errors import Conflict, DomainError, NotAllowed
from territories.models import Territory

EDIT_ACTION = "plan.demand.edit"


@dataclass
class Cell:
    consensus: Decimal = Decimal(0)
    baseline: Decimal = Decimal(0)
    events: Decimal = Decimal(0)
    override: Decimal | None = None
    row_version: int = 0

    def parts(self) -> Parts:
        return Parts(baseline=self.baseline, events=self.events, override=self.override)


@transaction.atomic
def override_apply(
    *,
    actor: User,
    cycle_id: int,
    filters: dict,
    first_month: date,
    last_month: date,
    mode: str,
    value,
    reason_code: str,
    comment: str = "",
    expected_versions: dict[str, int],
) -> Override:
    """Change the consensus of a level (family x region, a SKU row...) over a month range.

    Each month's total is set, shifted or scaled, then spread to its leaf cells
    in proportion to the baseline (see demand.disaggregation). Refused when the
    stage is not demand planning, a territory is not the actor's or already
    submitted, or someone changed the level since the actor loaded it.
    """
    cycle = _editable_cycle(cycle_id)
    scope = Scope.from_filters(filters)
    territory_ids = scope.territory_ids()
    ensure_may_edit(actor, cycle, territory_ids)
    reason = _reason(reason_code)
    months = months_between(cycle, first_month, last_month)
    edit = _edit(mode, value)
    cells = leaf_cells(cycle, scope, territory_ids, months)
    _check_versions(cells, months, expected_versions, scope)
    return _override_write(
        actor, cycle, scope, territory_ids, months, edit, reason, comment, cells
    )


def override_apply_agreed(
    *,
    actor: User,
    cycle: Cycle,
    filters: dict,
    first_month: date,
    last_month: date,
    mode: str,
    value,
    reason_code: str,
    comment: str = "",
) -> Override | None:
    """A demand change agreed after demand planning, e.g. a promoted reconciliation scenario.

    The caller has locked the cycle and checked its stage; the actor must be one who may
    promote a scenario into the plan. The consensus, the rollup and the Override record
    (for forecast value added) are written exactly as override_apply writes them.
    None: the level has no demand.
    """
    ensure_allowed(actor, "scenario.promote")
    scope = Scope.from_filters(filters)
    territory_ids = scope.territory_ids()
    reason = _reason(reason_code)
    months = months_between(cycle, first_month, last_month)
    edit = _edit(mode, value)
    cells = leaf_cells(cycle, scope, territory_ids, months)
    if not cells:
        return None
    return _override_write(
        actor, cycle, scope, territory_ids, months, edit, reason, comment, cells
    )


def _override_write(
    actor: User, cycle, scope, territory_ids, months, edit, reason, comment, cells
):
    changes = _changes(cells, months, edit)
    _cells_write(
        cycle,
        actor,
        overrides={key: change.override_after for key, change in changes.items()},
        consensus={key: change.consensus_after for key, change in changes.items()},
    )
    rollup_refresh(
        cycle=cycle, family_ids=families_of({k[0] for k in changes}), territory_ids=territory_ids
    )
    return _record(actor, cycle, scope, months, edit, reason, comment, changes)


def _cells_write(cycle, actor: User, *, overrides: dict, consensus: dict) -> None:
    """Write the override (None: none) and the consensus of leaf cells."""
    plan_values_write_many(
        cycle=cycle, measure=MeasureCode.OVERRIDE, values=overrides, actor=actor
    )
    plan_values_write_many(
        cycle=cycle, measure=MeasureCode.CONSENSUS, values=consensus, actor=actor
    )


@transaction.atomic
def overrides_apply(*, actor: User, cycle_id: int, edits: list[dict]) -> list[Override]:
    """Several overrides as one change (a range pasted from Excel, an undo): all or none.

    Each edit holds the keyword arguments of override_apply; the first refusal
    (permission, stale version, bad value) rolls every earlier edit back.
    """
    if not edits:
        raise DomainError("There is no cell to change.")
    return [override_apply(actor=actor, cycle_id=cycle_id, **edit) for edit in edits]


@transaction.atomic
def overrides_undo(*, actor: User, cycle_id: int, override_ids: list[int]) -> list[Override]:
    """Undo edits (the grid's Ctrl+Z: the last save, one edit or a pasted batch): all or none.

    Latest first, each cell's override goes back exactly to what it was (none,
    or the earlier figure, not rounded) and its consensus is recomposed; the
    edit is marked undone, so it leaves the override list and forecast value
    added, and the audit trail records the undo.
    """
    if not override_ids:
        raise DomainError("There is no change to undo.")
    cycle = _editable_cycle(cycle_id)
    overrides = list(
        Override.objects.select_for_update()
        .filter(cycle=cycle, pk__in=set(override_ids))
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    missing = sorted(set(override_ids) - {override.pk for override in overrides})
    if missing:
        raise DomainError(f"{cycle} has no change with id {missing[0]} to undo.")
    for override in overrides:
        _undo(actor, cycle, override)
    return overrides


def _undo(actor: User, cycle: Cycle, override: Override) -> None:
    cells = list(override.cells.all())
    _ensure_may_undo(actor, cycle, override, cells)
    changes = {cell_key(cell): _change_of(cell) for cell in cells}
    try:
        restored = undo_cells(changes, cell_parts(cycle, list(changes)))
    except UndoConflict as conflict:
        raise Conflict(
            f"{override.scope_label} was changed again after this edit; undo the later change "
            "first. Nothing was changed.",
            items=sorted({f"{key[2]:%Y-%m}" for key in conflict.keys}),
        ) from None
    _cells_write(
        cycle,
        actor,
        overrides={key: parts.override for key, parts in restored.items()},
        consensus={key: parts.consensus for key, parts in restored.items()},
    )
    rollup_refresh(
        cycle=cycle,
        family_ids=families_of({key[0] for key in restored}),
        territory_ids={key[1] for key in restored},
    )
    total = sum((parts.consensus for parts in restored.values()), Decimal(0))
    _mark_undone(actor, cycle, override, total)


def _ensure_may_undo(
    actor: User, cycle: Cycle, override: Override, cells: list[OverrideCell]
) -> None:
    if override.undone_at is not None:
        raise DomainError(f"This change to {override.scope_label} was already undone.")
    if override.actor_id != actor.pk:
        raise NotAllowed(
            f"Only {gates.display_name(override.actor)}, who made this change, may undo it."
        )
    ensure_may_edit(actor, cycle, sorted({cell.territory_id for cell in cells}))
    if any(cell.override_after is None for cell in cells):
        raise DomainError(
            f"This change to {override.scope_label} was saved before changes could be undone; "
            "enter the earlier figures again instead."
        )


def cell_key(cell: OverrideCell) -> Key:
    return (cell.product_id, cell.territory_id, cell.month)


def _change_of(cell: OverrideCell) -> Change:
    return Change(
        override_before=cell.override_before,
        override_after=cell.override_after,  # type: ignore[arg-type]  # None refused by the caller
        consensus_before=cell.before,
        consensus_after=cell.after,
    )


def cell_parts(cycle: Cycle, keys: list[Key]) -> dict[Key, Parts]:
    """The baseline, events and override of these leaf cells now (None: no figure)."""
    figures = {
        measure: current_rows(cycle, measure, keys)
        for measure in (MeasureCode.BASELINE, MeasureCode.EVENTS, MeasureCode.OVERRIDE)
    }
    return {
        key: Parts(
            **{m: (rows[key].value if key in rows else None) for m, rows in figures.items()}  # type: ignore[misc]  # MeasureCode is a str enum
        )
        for key in keys
    }


def _mark_undone(actor: User, cycle: Cycle, override: Override, total: Decimal) -> None:
    override.undone_at, override.undone_by = timezone.now(), actor
    override.save(update_fields=["undone_at", "undone_by"])
    audit_record(
        actor=actor,
        action="demand.override_undo",
        obj=override,
        before={"total": plain(override.total_after)},
        after={
            "level": override.scope_label,
            "months": f"{override.first_month:%Y-%m}..{override.last_month:%Y-%m}",
            "undone": f"{override.mode} {plain(override.value)}",
            "total": plain(total),
        },
        reason=f"Undo of {override.mode} {plain(override.value)} on {override.scope_label}",
        cycle_id=cycle.pk,
        territory_id=override.scope.get("territory"),
        product_id=override.scope.get("product"),
    )


def _editable_cycle(cycle_id: int) -> Cycle:
    cycle = locked_cycle(cycle_id)
    refuse_if_released(cycle)
    refusal = measures.edit_refusal(measures.measure(MeasureCode.OVERRIDE), cycle.stage_enum)
    if refusal:
        raise NotAllowed(refusal)
    return cycle


def ensure_may_edit(actor: User, cycle: Cycle, territory_ids: list[int]) -> None:
    """The actor may edit every territory under the level, and none is submitted."""
    if not territory_ids:
        raise DomainError("There is no active territory under this level.")
    for territory_id in territory_ids:
        ensure_allowed(actor, EDIT_ACTION, territory_id=territory_id)
    submitted = gates.current_submissions(cycle, Stage.DEMAND_PLANNING).filter(
        territory_id__in=territory_ids
    )
    for submission in submitted[:1]:
        raise NotAllowed(
            f"The demand plan of territory {submission.territory} was submitted by "
            f"{gates.display_name(submission.submitted_by)}; it is read-only unless the "
            "cycle owner reopens it."
        )


def _reason(code: str) -> ReasonCode:
    reason = ReasonCode.objects.filter(code=code, is_active=True).first()
    if reason is None:
        known = ", ".join(ReasonCode.objects.filter(is_active=True).values_list("code", flat=True))
        raise DomainError(f"Every override needs a reason code; {code!r} is not one of: {known}.")
    return reason


def months_between(cycle: Cycle, first: date, last: date) -> list[date]:
    horizon = cycle.horizon()
    first, last = first.replace(day=1), last.replace(day=1)
    months = [month for month in horizon if first <= month <= last]
    if first not in horizon or last not in horizon or not months:
        raise DomainError(
            f"Months {first:%Y-%m} to {last:%Y-%m} are not a range within the horizon of "
            f"{cycle} ({horizon[0]:%Y-%m} to {horizon[-1]:%Y-%m})."
        )
    return months


def _edit(mode: str, value) -> Edit:
    try:
        edit_mode = EditMode(mode)
    except ValueError:
        raise DomainError(f"{mode!r} is not an edit mode: use set, add or percent.") from None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{value!r} is not a number.") from None
    if not number.is_finite():
        raise DomainError(f"{value!r} is not a number.")
    refuse_too_large(number, value)
    return Edit(edit_mode, number)


def leaf_cells(cycle: Cycle, scope: Scope, territory_ids: list[int], months: list[date]):
    """The leaf cells under a level: consensus (with its row version), baseline, events, override."""
    rows = plan_values_live(
        cycle,
        MeasureCode.CONSENSUS,
        MeasureCode.BASELINE,
        MeasureCode.EVENTS,
        MeasureCode.OVERRIDE,
    ).filter(month__in=months, territory_id__in=territory_ids)
    if scope.product:
        rows = rows.filter(product_id=scope.product)
    if scope.family:
        rows = rows.filter(product__family_id=scope.family)
    cells: dict[Key, Cell] = {}
    fields = ("product_id", "territory_id", "month", "measure", "value", "row_version")
    for product_id, territory_id, month, measure, number, version in rows.values_list(*fields):
        cell = cells.setdefault((product_id, territory_id, month), Cell())
        if measure == MeasureCode.CONSENSUS:
            cell.consensus, cell.row_version = number, version
        else:
            setattr(cell, measure, number)
    return cells


def versions_by_month(cells: dict[Key, Cell]) -> dict[str, int]:
    """The stamp of a level per month: the sum of its cells' row versions (only ever grows)."""
    stamps: dict[str, int] = {}
    for (_, _, month), cell in cells.items():
        stamps[f"{month:%Y-%m}"] = stamps.get(f"{month:%Y-%m}", 0) + cell.row_version
    return stamps


def _check_versions(cells, months: list[date], expected: dict[str, int], scope: Scope) -> None:
    if not cells:
        raise DomainError(f"{scope.describe()} has no plan cells to change (no baseline yet).")
    have = versions_by_month(cells)
    stale = [m for m in months if have.get(f"{m:%Y-%m}", 0) != _int(expected.get(f"{m:%Y-%m}"))]
    if stale:
        totals = {
            f"{m:%Y-%m}": sum(c.consensus for k, c in cells.items() if k[2] == m) for m in stale
        }
        raise Conflict(
            f"Someone changed {scope.describe()} since you loaded it. Nothing was overwritten: "
            "reload and enter your figure again.",
            items=[f"{month}: now {plain(total)}" for month, total in totals.items()],
        )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _changes(cells: dict[Key, Cell], months: list[date], edit: Edit) -> dict[Key, Change]:
    """The edit on every leaf cell of the level, month by month (demand.plan_arith)."""
    changes: dict[Key, Change] = {}
    for month in months:
        month_cells = {key: cell for key, cell in cells.items() if key[2] == month}
        parts = {key: cell.parts() for key, cell in month_cells.items()}
        shown = {key: cell.consensus for key, cell in month_cells.items()}
        try:
            changes.update(edit_cells(parts, edit, shown))
        except DisaggregationError as error:
            raise DomainError(f"{month:%Y-%m}: {error}") from None
    return changes


def _record(actor: User, cycle, scope, months, edit, reason, comment, changes) -> Override:
    before = sum((change.consensus_before for change in changes.values()), Decimal(0))
    after = sum((change.consensus_after for change in changes.values()), Decimal(0))
    moved = sum(1 for c in changes.values() if c.consensus_after != c.consensus_before)
    override = Override.objects.create(
        cycle=cycle,
        actor=actor,
        reason=reason,
        comment=comment.strip(),
        scope=scope.as_filters(),
        scope_label=scope.describe(),
        first_month=months[0],
        last_month=months[-1],
        mode=edit.mode.value,
        value=Decimal(str(edit.value)),
        total_before=before,
        total_after=after,
        cell_count=moved,
    )
    OverrideCell.objects.bulk_create(
        [_override_cell(override, key, change) for key, change in changes.items()],
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action="demand.override",
        obj=override,
        before={"total": plain(before)},
        after={
            "level": override.scope_label,
            "months": f"{months[0]:%Y-%m}..{months[-1]:%Y-%m}",
            "mode": edit.mode.value,
            "value": plain(override.value),
            "total": plain(after),
            "cells": moved,
        },
        reason=f"{reason.label}: {override.comment}" if override.comment else reason.label,
        cycle_id=cycle.pk,
        territory_id=scope.territory,
        product_id=scope.product,
    )
    return override


def _override_cell(override: Override, key: Key, change: Change) -> OverrideCell:
    product_id, territory_id, month = key
    return OverrideCell(
        override=override,
        product_id=product_id,
        territory_id=territory_id,
        month=month,
        before=change.consensus_before,
        after=change.consensus_after,
        override_before=change.override_before,
        override_after=change.override_after,
    )


@transaction.atomic
def submission_reopen(
    *, actor: User, cycle_id: int, territory_id: int, reason: str
) -> SubmissionReopen:
    """The cycle owner reopens a territory's submitted demand plan, saying why."""
    ensure_allowed(actor, "plan.demand.reopen")
    cycle = locked_cycle(cycle_id)
    refuse_if_released(cycle)
    ensure_allowed(actor, "plan.demand.reopen", cycle)
    if not reason.strip():
        raise DomainError("Reopening a submitted plan needs a written reason.")
    submission = (
        gates.current_submissions(cycle, Stage.DEMAND_PLANNING)
        .filter(territory_id=territory_id)
        .first()
    )
    if cycle.stage_enum is not Stage.DEMAND_PLANNING or submission is None:
        territory = Territory.objects.filter(pk=territory_id).first()
        raise DomainError(f"The demand plan of {territory or 'this territory'} is not submitted.")
    reopen = SubmissionReopen.objects.create(
        cycle=cycle,
        territory_id=territory_id,
        submitted_by=submission.submitted_by,
        submitted_at=submission.submitted_at,
        reopened_by=actor,
        reason=reason.strip(),
    )
    submission.delete()
    audit_record(
        actor=actor,
        action="demand.reopen",
        obj=reopen,
        before={"submitted_by": submission.submitted_by.get_username()},
        reason=reason.strip(),
        cycle_id=cycle.pk,
        territory_id=territory_id,
    )
    return reopen
