"""Reads of the audit trail: filtered lists and the CSV export."""

import json
from collections.abc import Iterable, Iterator

from django.db.models import Q, QuerySet

from audit.models import AuditEvent
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

    An event belongs to a stage when it moved the cycle out of or into it, or
    was recorded with that stage (submissions, waivers, plan edits).
    """
    events = AuditEvent.objects.select_related("actor")
    if cycle_id:
        events = events.filter(cycle_id=cycle_id)
    if stage:
        events = events.filter(Q(after__stage=stage) | Q(before__stage=stage))
    if username:
        events = events.filter(actor__username=username)
    if territory_id:
        events = events.filter(territory_id=territory_id)
    if product_id:
        events = events.filter(product_id=product_id)
    return events


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
