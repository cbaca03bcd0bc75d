"""Reads of the audit trail: filtered lists and the CSV export."""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import Q, QuerySet

from audit.models import AuditEvent
from cycles.stages import STAGE_ORDER
from sop_planner.pagination import NewestFirstPagination, beyond
from sop_planner.spreadsheet import csv_line

CSV_HEADER = [
    "when",
    "who",
    "action",
    "object",
    "cycle_id",
    "territory_id",
    "product_id",
    "before",
    "after",
    "why",
]


def audit_events(
    *,
    cycle_id: int | None = None,
    stage: str = "",
    username: str = "",
    territory_id: int | None = None,
    product_id: int | None = None,
) -> QuerySet[AuditEvent]:
    """The trail, newest first, narrowed by whichever filters are given.

    An event belongs to a stage when it moved the cycle out of or into it, was
    recorded with that stage (submissions, waivers), or was recorded on a cycle
    while the cycle was in that stage (overrides, events, gap decisions, scenarios).
    """
    events = AuditEvent.objects.select_related("actor")
    if cycle_id:
        events = events.filter(cycle_id=cycle_id)
    if stage:
        events = events.filter(
            Q(after__stage=stage) | Q(before__stage=stage) | _while_in(stage, cycle_id)
        )
    if username:
        events = events.filter(actor__username=username)
    if territory_id:
        events = events.filter(territory_id=territory_id)
    if product_id:
        events = events.filter(product_id=product_id)
    return events


def events_before(events: QuerySet[AuditEvent], event_id: int | None) -> QuerySet[AuditEvent]:
    """The events that come after the given one in the trail's newest-first (created_at, id)
    order: a range of its index however deep (an offset would read every newer event)."""
    if event_id is None:
        return events
    mark = AuditEvent.objects.filter(pk=event_id).values_list("created_at", flat=True).first()
    if mark is None:
        return events.none()
    return events.filter(beyond(NewestFirstPagination.ordering, [mark, event_id]))


# Moves recorded as audit events; each starts the stage in after["stage"] (a release ends all).
MOVE_ACTIONS = ("cycle.advance", "cycle.send_back", "cycle.reject", "cycle.release")


def stage_periods(cycle_id: int | None = None) -> list[tuple[int, str, datetime, datetime | None]]:
    """(cycle, stage, from, until) for every stay of a cycle in a stage; until None: still there.

    Read from the trail itself: a cycle opens in its first stage, and each move
    records the stage it went to.
    """
    moves = AuditEvent.objects.filter(
        action__in=("cycle.open", *MOVE_ACTIONS), cycle_id__isnull=False
    )
    if cycle_id:
        moves = moves.filter(cycle_id=cycle_id)
    periods: list[tuple[int, str, datetime, datetime | None]] = []
    current: dict[int, tuple[str, datetime]] = {}
    for move in moves.order_by("created_at", "id").only(
        "cycle_id", "action", "after", "created_at"
    ):
        if move.cycle_id in current:
            stage, since = current.pop(move.cycle_id)
            periods.append((move.cycle_id, stage, since, move.created_at))
        if move.action == "cycle.open":
            current[move.cycle_id] = (STAGE_ORDER[0].value, move.created_at)  # type: ignore[index]  # cycle_id__isnull=False
        elif move.action != "cycle.release" and (move.after or {}).get("stage"):
            current[move.cycle_id] = (move.after["stage"], move.created_at)  # type: ignore[index]  # cycle_id__isnull=False; after checked just above
    periods += [(cycle, stage, since, None) for cycle, (stage, since) in current.items()]
    return periods


def _while_in(stage: str, cycle_id: int | None) -> Q:
    """Events recorded on a cycle while it was in `stage` (matches nothing when it never was)."""
    match = Q(pk__in=[])
    for cycle, in_stage, since, until in stage_periods(cycle_id):
        if in_stage == stage:
            window = Q(cycle_id=cycle, created_at__gte=since)
            match |= window & Q(created_at__lt=until) if until else window
    return match


def audit_csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """The events as CSV text, one line at a time (for a streaming download)."""
    yield csv_line(CSV_HEADER)
    for event in events:
        yield csv_line(
            [
                event.created_at.isoformat(),
                event.actor.get_username() if event.actor else "system",
                event.action,
                event.object_repr,
                event.cycle_id or "",
                event.territory_id or "",
                event.product_id or "",
                json.dumps(event.before) if event.before is not None else "",
                json.dumps(event.after) if event.after is not None else "",
                event.reason,
            ]
        )
