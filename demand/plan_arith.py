"""One plan arithmetic: how baseline, events and overrides compose into consensus.

The rule: an override replaces the pre-event figure (the baseline) and events
stay on top, so consensus = max((override, else baseline) + events, 0). A
figure a planner enters on the grid is the consensus they want; it is stored as
the pre-event figure that yields it (entered - events), so it lands exactly,
and a promotion added later lifts it instead of hiding under it.

An edit of a level (set, add, percent) lands on every leaf cell under it as an
override, whole units that add up to the new total exactly (edit_cells), and
undoing it puts back each cell's override as it was (undo_cells).

Pure: no Django, used by the consensus recompute, overrides, undo and event effects.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TypeVar

from cycles.measures import MeasureCode
from demand.disaggregation import Edit, apply_edit

ZERO = Decimal(0)
K = TypeVar("K", bound=tuple)  # a leaf cell's key; its last item is the month


def consensus_of(
    *, baseline: Decimal | None, events: Decimal | None, override: Decimal | None
) -> Decimal:
    """The consensus of one cell: (override, else baseline) + events, never below zero."""
    pre_event = override if override is not None else (baseline or ZERO)
    return max(pre_event + (events or ZERO), ZERO)


def override_for(*, entered: Decimal, events: Decimal | None) -> Decimal:
    """The pre-event figure stored for an entered consensus: entered - events.

    consensus_of(override=override_for(entered=x, events=e), events=e) == x for any
    x >= 0, so the entered figure is the consensus shown, event or not.
    """
    return entered - (events or ZERO)


def composition(
    *, baseline: Decimal | None, events: Decimal | None, override: Decimal | None
) -> dict[str, Decimal | None]:
    """The parts of one cell's consensus, for the grid's per-cell explanation."""
    return {
        MeasureCode.BASELINE: baseline,
        MeasureCode.OVERRIDE: override,
        MeasureCode.EVENTS: events or ZERO,
        MeasureCode.CONSENSUS: consensus_of(baseline=baseline, events=events, override=override),
    }


@dataclass(frozen=True)
class Parts:
    """What one leaf cell is made of; its consensus follows from them by the rule."""

    baseline: Decimal | None = None
    events: Decimal | None = None
    override: Decimal | None = None

    @property
    def consensus(self) -> Decimal:
        return consensus_of(baseline=self.baseline, events=self.events, override=self.override)


@dataclass(frozen=True)
class Change:
    """What an edit did to one leaf cell: enough to show it and to undo it exactly."""

    override_before: Decimal | None
    override_after: Decimal
    consensus_before: Decimal
    consensus_after: Decimal

    @property
    def moves(self) -> bool:
        """False: the cell already had this override and consensus; nothing to write or undo."""
        return (self.override_before, self.consensus_before) != (
            self.override_after,
            self.consensus_after,
        )


class UndoConflict(ValueError):
    """Cells of the edit were overridden again since; undoing would drop that later figure."""

    def __init__(self, keys: list) -> None:
        super().__init__(f"{len(keys)} cell(s) were changed again since this edit.")
        self.keys = keys


def edit_cells(
    cells: Mapping[K, Parts], edit: Edit, shown: Mapping[K, Decimal] | None = None
) -> dict[K, Change]:
    """Apply an edit of a level to its leaf cells, month by month (a key's last item).

    Each month's total moves exactly as asked, rounded once to the unit and split
    by largest remainder (demand.disaggregation). Every cell of the level gets
    the override that yields its new consensus, moved or not, so the level's
    override and consensus agree (cells already so are left out). `shown`: the consensus figures the planner
    sees, as stored (default: composed from the parts; the same in a plan kept
    by this rule).
    """
    changes: dict[K, Change] = {}
    for keys in _by_month(cells).values():
        current = [cells[key].consensus if shown is None else shown[key] for key in keys]
        changes.update(_month_edit(keys, cells, current, edit))
    return changes


def _month_edit(keys: list[K], cells: Mapping[K, Parts], current: list[Decimal], edit: Edit):
    values = apply_edit(current, [cells[key].baseline or ZERO for key in keys], edit)
    changes = (
        (key, _change(cells[key], now, Decimal(value)))
        for key, now, value in zip(keys, current, values, strict=True)
    )
    return {key: change for key, change in changes if change.moves}


def _change(parts: Parts, now: Decimal, entered: Decimal) -> Change:
    return Change(
        override_before=parts.override,
        override_after=override_for(entered=entered, events=parts.events),
        consensus_before=now,
        consensus_after=entered,
    )


def undo_cells(changes: Mapping[K, Change], now: Mapping[K, Parts]) -> dict[K, Parts]:
    """The cells after undoing an edit: each override back to what it was, exactly.

    The consensus is recomposed by the rule, so with the same baseline and
    events it is the figure from before the edit. Refused (UndoConflict) when a
    cell's override is no longer the one the edit wrote.
    """
    moved = [key for key, change in changes.items() if now[key].override != change.override_after]
    if moved:
        raise UndoConflict(moved)
    return {
        key: replace(now[key], override=change.override_before) for key, change in changes.items()
    }


def _by_month(cells: Mapping[K, Parts]) -> dict[Hashable, list[K]]:
    months: dict[Hashable, list[K]] = {}
    for key in sorted(cells):
        months.setdefault(key[-1], []).append(key)
    return months
