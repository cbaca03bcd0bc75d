"""One plan arithmetic: how baseline, events and overrides compose into consensus.

The rule: an override replaces the pre-event figure (the baseline) and events
stay on top, so consensus = max((override, else baseline) + events, 0). A
figure a planner enters on the grid is the consensus they want; it is stored as
the pre-event figure that yields it (entered - events), so it lands exactly,
and a promotion added later lifts it instead of hiding under it.

Pure: no Django, used by the consensus recompute, overrides and event effects.
"""

from decimal import Decimal

ZERO = Decimal(0)


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
        "baseline": baseline,
        "override": override,
        "events": events or ZERO,
        "consensus": consensus_of(baseline=baseline, events=events, override=override),
    }
