"""The grid's cell marks: who overrode a cell last and why, and cells changed since the release.

Reads only; called by demand.selectors.grid for the rows of one page.
"""

from django.db.models import Max, Q

from cycles.gates import display_name
from demand import wording
from demand.models import Override, OverrideCell

CHANGE_THRESHOLD = 0.5  # a unit, once rounded: smaller differences are not shown


def changed_months(difference: dict[str, float]) -> dict[str, bool]:
    """The months whose consensus differs from the last release by a unit or more."""
    return {m: True for m, d in difference.items() if abs(d) >= CHANGE_THRESHOLD}


def add_notes(query, cells: Q, rows: dict) -> None:
    """row["notes"][month]: the latest override of the `cells` under that row and month."""
    fields = query.id_fields
    latest = (
        OverrideCell.objects.filter(override__cycle=query.cycle, month__in=query.months())
        .filter(cells)
        .values(*fields, "month")
        .annotate(last=Max("override_id"))
    )
    latest = list(latest)
    overrides = Override.objects.filter(pk__in={cell["last"] for cell in latest})
    notes = {o.pk: note(o) for o in overrides.select_related("actor", "reason")}
    for cell in latest:
        row = rows.get(tuple(cell[name] for name in fields))
        if row is not None:
            row["notes"][f"{cell['month']:%Y-%m}"] = notes[cell["last"]]


def note(override: Override) -> str:
    return wording.override_note(
        who=display_name(override.actor),
        mode=override.mode,
        value=override.value,
        reason=override.reason.label,
        comment=override.comment,
        when=f"{override.created_at:%Y-%m-%d}",
    )
