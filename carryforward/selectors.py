"""Reads of carry-forward: what a cycle was proposed, who may confirm it, and the grids' hints."""

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from accounts.permissions import can
from accounts.roles import PERMISSIONS
from carryforward import rules
from carryforward.models import Proposal, ProposedFigure
from cycles import measures
from cycles.measures import MeasureCode
from cycles.models import Cycle

CONFIRM_ALL = {
    Proposal.Kind.SUPPLY: "Confirm the supply inputs of every family",
    Proposal.Kind.BUDGET: "Confirm the budget of every family",
    Proposal.Kind.EVENT: "Confirm every promotion and launch",
}
KIND_MEASURE: dict[str, MeasureCode] = {  # by Proposal.Kind, a str choice
    Proposal.Kind.SUPPLY: MeasureCode.CAPACITY,
    Proposal.Kind.BUDGET: MeasureCode.BUDGET_UNITS,
    Proposal.Kind.EVENT: MeasureCode.EVENTS,
}


def last_released(cycle: Cycle) -> Cycle | None:
    """The latest released cycle before this one: the plan whose inputs carry forward."""
    released = Cycle.objects.filter(status=Cycle.Status.RELEASED, month__lt=cycle.month)
    return released.order_by("-month").first()


def proposals(cycle: Cycle) -> QuerySet[Proposal]:
    return Proposal.objects.filter(cycle=cycle).select_related(
        "source", "family", "event", "confirmed_by"
    )


def pending(cycle: Cycle) -> QuerySet[Proposal]:
    return proposals(cycle).filter(confirmed_at__isnull=True)


def _who(action: str) -> str:
    roles = sorted(role.value for role in PERMISSIONS[action])
    return " or ".join(roles) if roles else "nobody"


def confirm_refusal(user, proposal: Proposal, cycle: Cycle) -> str | None:
    """Why this user may not confirm this proposal now, or None when they may."""
    label = proposal.get_kind_display()
    if proposal.is_confirmed:
        by = proposal.confirmed_by
        assert by is not None, "a confirmed proposal names who confirmed it"
        name = by.get_full_name() or by.get_username()
        return f"{label} {proposal.family or proposal.event} was already confirmed by {name}."
    if cycle.is_released:
        return f"{cycle} is released; its inputs can no longer change."
    spec = measures.measure(KIND_MEASURE[proposal.kind])
    action = spec.edit_action(cycle.stage_enum)
    if action is None:
        stages = ", ".join(stage.label for stage in spec.edit)
        return f"{label} are confirmed in {stages}; {cycle} is in {cycle.stage_enum.label}."
    territories: list[int | None] = _event_territories(proposal) if proposal.event_id else [None]
    if not all(can(user, action, territory_id=t) for t in territories):
        return f"{label} are confirmed by a {_who(action)} (for their territories)."
    return None


def _event_territories(proposal: Proposal) -> list[int | None]:
    assert proposal.event is not None, "called for an event's proposal only"
    return list(proposal.event.territories.values_list("pk", flat=True)) or [None]


def awaiting(user, cycle: Cycle) -> dict[str, list[Proposal]]:
    """Kind label -> the pending proposals this user may confirm now (for their home page)."""
    mine: dict[str, list[Proposal]] = {}
    for proposal in pending(cycle):
        if confirm_refusal(user, proposal, cycle) is None:
            mine.setdefault(proposal.kind, []).append(proposal)
    return mine


def kind_sections(user, cycle: Cycle) -> list[dict]:
    """Per kind: its proposals with their months, status and whether this user may confirm."""
    sections = []
    for kind in Proposal.Kind:
        rows = [_row(user, p, cycle) for p in proposals(cycle).filter(kind=kind)]
        if rows:
            sections.append(
                {
                    "kind": kind.value,
                    "label": kind.label,
                    "confirm_all": CONFIRM_ALL[kind],
                    "rows": rows,
                    "source": rows[0]["proposal"].source,
                    "pending": sum(1 for r in rows if not r["proposal"].is_confirmed),
                    "can_confirm_all": any(r["can_confirm"] for r in rows),
                    "refusal": next((r["refusal"] for r in rows if r["refusal"]), ""),
                }
            )
    return sections


def _row(user, proposal: Proposal, cycle: Cycle) -> dict:
    refusal = confirm_refusal(user, proposal, cycle)
    months = sorted(set(proposal.figures.values_list("month", flat=True)))
    return {
        "proposal": proposal,
        "what": str(proposal.event or proposal.family),
        "months": rules.month_span(months) if months else _event_span(proposal, cycle),
        "figures": len(months) and proposal.figures.count(),
        "can_confirm": refusal is None,
        "refusal": "" if proposal.is_confirmed else (refusal or ""),
    }


def _event_span(proposal: Proposal, cycle: Cycle) -> str:
    """The months the event covers in this cycle (it may have started last month)."""
    event = proposal.event
    if event is None:
        return ""
    first = max(event.first_month, cycle.month)
    if event.last_month is None:
        return f"from {first:%b %Y} on"
    return rules.month_span([first, event.last_month])


def proposed_cells(cycle: Cycle, kind: str, family_id: int) -> dict[tuple, Decimal]:
    """Unconfirmed proposed figures of one family: (measure, territory id, month) -> value.

    Summed per territory and month, as the family grids show them.
    """
    rows = ProposedFigure.objects.filter(
        proposal__cycle=cycle,
        proposal__kind=kind,
        proposal__family_id=family_id,
        proposal__confirmed_at__isnull=True,
    ).values_list("measure", "territory_id", "month", "value")
    cells: dict[tuple, Decimal] = {}
    for measure, territory_id, month, value in rows:
        key = (measure, territory_id, month)
        cells[key] = cells.get(key, Decimal(0)) + value
    return cells


def pending_for_family(cycle: Cycle, kind: str, family_id: int) -> Proposal | None:
    return pending(cycle).filter(kind=kind, family_id=family_id).first()


def grid_context(user, cycle: Cycle, kind: str, family_id: int) -> dict:
    """What a family grid shows of a pending proposal: the banner, its button, the grey figures."""
    proposal = pending_for_family(cycle, kind, family_id)
    if proposal is None:
        return {"carry": {}}
    refusal = confirm_refusal(user, proposal, cycle)
    return {
        "carry": {"proposal": proposal, "cells": proposed_cells(cycle, kind, family_id)},
        "carry_can": refusal is None,
        "carry_refusal": refusal or "",
    }


def supply_cell_hints(cells: dict[tuple, Decimal]) -> dict[tuple[str, date], Decimal]:
    """(measure, month) -> the family's proposed figure: units add up, weeks take the largest."""
    folded: dict[tuple[str, date], Decimal] = {}
    for (measure, _territory, month), value in cells.items():
        key = (measure, month)
        if measure in (MeasureCode.TARGET_WEEKS, MeasureCode.MAX_COVER):
            folded[key] = max(folded.get(key, value), value)
        else:
            folded[key] = folded.get(key, Decimal(0)) + value
    return folded
