"""Plan edits and cell compositions in a planner's words, never slugs or raw decimals.

Pure: no Django; the callers pass names and labels already read.
"""

from decimal import Decimal

EVENT_KINDS = {"promotion": "a promotion", "launch": "a launch", "phase_out": "a phase-out"}


def units(value: Decimal | float | None) -> str:
    """A figure as whole units with thousands separators: 1234.6 -> "1,235"."""
    number = Decimal(str(value or 0)).quantize(Decimal(1))
    return f"{number:,}"


def percent(value: Decimal | float) -> str:
    """A percent change with its sign and at most two decimals: 10 -> "+10%"."""
    number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    sign = "+" if number > 0 else ""
    return f"{sign}{number:f}%"


def edit_words(*, mode: str, value: Decimal | float) -> str:
    """What an override did: "set to 7", "added 120", "changed by -5%"."""
    if mode == "set":
        return f"set to {units(value)}"
    if mode == "add":
        verb = "added" if Decimal(str(value)) >= 0 else "took off"
        return f"{verb} {units(abs(Decimal(str(value))))}"
    return f"changed by {percent(value)}"


def override_note(
    *, who: str, mode: str, value: Decimal | float, reason: str, comment: str, when: str
) -> str:
    """One override in a sentence: "Anna East set to 7 because of Promotion (2026-12-03)"."""
    text = f"{who} {edit_words(mode=mode, value=value)} because of {reason.lower()} ({when})"
    return f"{text}: {comment}" if comment else text


def event_note(*, kind: str, name: str) -> str:
    """An event by its kind and name: "a promotion (Summer deal)"."""
    return f"{EVENT_KINDS.get(kind, kind.replace('_', ' '))} ({name})"


def composition_words(
    *, baseline: float, pre_event: float, events: float, consensus: float, event_names: list[str]
) -> str:
    """How a cell's consensus is made, in one sentence of whole units.

    "Baseline 1,200; overrides make it 1,250 (+50); events add 50 for a promotion
    (Summer deal); consensus 1,300."
    """
    parts = [f"Baseline {units(baseline)}"]
    moved = round(pre_event) - round(baseline)
    if moved:
        parts.append(
            f"overrides make it {units(pre_event)} ({'+' if moved > 0 else '-'}{units(abs(moved))})"
        )
    if round(events):
        verb = "add" if events > 0 else "take off"
        because = f" for {', '.join(event_names)}" if event_names else ""
        parts.append(f"events {verb} {units(abs(events))}{because}")
    if round(pre_event + events) != round(consensus):
        parts.append("no cell goes below zero")
    parts.append(f"consensus {units(consensus)}")
    return "; ".join(parts) + "."
