"""Quotas proposed top-down from the released consensus. Plain Python.

The year's consensus total, times the manager's stretch factor, is shared out to
each territory and family in proportion to its share of that total, month by
month; a territory's figure is then split evenly between the reps selling there
that month (none: the line stays unassigned). Figures are in cents / hundredths
of a unit, and a split never loses one: the last rep takes the remainder.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
Cell = tuple[int, int, date]  # territory id, family id, month


@dataclass(frozen=True)
class ProposedLine:
    rep_id: int | None
    territory_id: int
    family_id: int
    month: date
    units: Decimal
    revenue: Decimal


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def top_down(
    cells: dict[Cell, tuple[Decimal, Decimal]], *, stretch: Decimal
) -> dict[Cell, tuple[Decimal, Decimal]]:
    """Each cell's quota: the stretched year total times the cell's share of the total."""
    total_units = sum((units for units, _revenue in cells.values()), Decimal(0))
    total_revenue = sum((revenue for _units, revenue in cells.values()), Decimal(0))
    target_units, target_revenue = total_units * stretch, total_revenue * stretch
    return {
        cell: (
            _round(target_units * units / total_units) if total_units else Decimal(0),
            _round(target_revenue * revenue / total_revenue) if total_revenue else Decimal(0),
        )
        for cell, (units, revenue) in cells.items()
    }


def split(amount: Decimal, parts: int) -> list[Decimal]:
    """An amount in even parts to the cent; the last part takes the remainder."""
    share = _round(amount / parts)
    return [share] * (parts - 1) + [amount - share * (parts - 1)]


def proposed_lines(
    cells: dict[Cell, tuple[Decimal, Decimal]],
    *,
    stretch: Decimal,
    reps: dict[tuple[int, date], list[int]],
) -> list[ProposedLine]:
    """The quota lines of a year: per cell, one per rep selling there that month."""
    lines = []
    for (territory, family, month), (units, revenue) in sorted(
        top_down(cells, stretch=stretch).items()
    ):
        sellers: list[int | None] = list(reps.get((territory, month), [])) or [None]
        pairs = zip(split(units, len(sellers)), split(revenue, len(sellers)), strict=True)
        for rep, (rep_units, rep_revenue) in zip(sellers, pairs, strict=True):
            lines.append(ProposedLine(rep, territory, family, month, rep_units, rep_revenue))
    return lines


def fiscal_months(year: int, first_month: int = 1) -> list[date]:
    """The twelve first-of-month dates of a fiscal year starting in `first_month` of `year`."""
    return [
        date(year + (first_month - 1 + i) // 12, (first_month - 1 + i) % 12 + 1, 1)
        for i in range(12)
    ]


def gap_percent(plan: float, quota: float) -> float | None:
    """Plan against quota in % (negative: the plan is below quota); no quota: None."""
    return 100 * (plan - quota) / quota if quota else None


def attainment_percent(actual: float, quota: float) -> float | None:
    return 100 * actual / quota if quota else None
