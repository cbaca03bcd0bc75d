"""Scenario compare: each scenario's change against the base plan, by family or month.

Plain Python over plan_math's family x region x month figures.
"""

from collections.abc import Callable
from dataclasses import dataclass

from reconciliation.plan_math import Figures, Key, roll_up

MEASURES = {
    "supply": "Units shipped",
    "demand": "Demand (units)",
    "revenue": "Revenue",
    "margin": "Margin",
}


@dataclass(frozen=True)
class Change:
    delta: float
    percent: float | None  # None where the base is zero


@dataclass(frozen=True)
class CompareRow:
    name: str
    base: float
    changes: tuple[Change, ...]  # one per scenario, in the order given


def compare_rows(
    base: dict[Key, Figures],
    scenarios: list[dict[Key, Figures]],
    *,
    by: Callable[[Key], object],
    names: dict,
    measure: str,
) -> list[CompareRow]:
    """One row per group (family, month...) in key order: base and each scenario's change."""
    if measure not in MEASURES:
        raise ValueError(f"Unknown measure {measure!r}.")
    rolled = [roll_up(base, by)] + [roll_up(s, by) for s in scenarios]
    keys = sorted(set().union(*rolled))
    return [
        _row(names.get(key, str(key)), [r.get(key, Figures()) for r in rolled], measure)
        for key in keys
    ]


def total_row(rows: list[CompareRow]) -> CompareRow:
    """The rows added up (units and money add; the % is of the summed base)."""
    base = sum(row.base for row in rows)
    count = len(rows[0].changes) if rows else 0
    deltas = [sum(row.changes[i].delta for row in rows) for i in range(count)]
    return CompareRow("Total", base, tuple(Change(d, _percent(d, base)) for d in deltas))


def _row(name: str, figures: list[Figures], measure: str) -> CompareRow:
    base = getattr(figures[0], measure)
    changes = []
    for scenario in figures[1:]:
        delta = getattr(scenario, measure) - base
        changes.append(Change(delta, _percent(delta, base)))
    return CompareRow(name, base, tuple(changes))


def _percent(delta: float, base: float) -> float | None:
    return 100 * delta / base if base else None
