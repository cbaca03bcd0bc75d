"""What a new cycle takes from the last released one: plain Python, no Django.

Figures carry into the months both horizons share. Supply inputs (capacity,
targets, minimum production, maximum cover) change slowly, so the new last
month, which the old plan never reached, is proposed at the old last month's
level; a budget is never invented for a month Finance did not budget.
"""

from dataclasses import dataclass
from datetime import date

from cycles.measures import MeasureCode

SUPPLY_MEASURES = (
    MeasureCode.CAPACITY,
    MeasureCode.INVENTORY_TARGET,
    MeasureCode.TARGET_WEEKS,
    MeasureCode.MIN_PRODUCTION,
    MeasureCode.MAX_COVER,
)
BUDGET_MEASURES = (MeasureCode.BUDGET_UNITS, MeasureCode.BUDGET_REVENUE)


@dataclass(frozen=True)
class Figure:
    measure: str
    product_id: int
    territory_id: int
    month: date
    value: object


def carried(figures: list[Figure], horizon: list[date], *, extend: bool) -> list[Figure]:
    """The figures that fall in the new horizon, plus (extend) its last month at the old level."""
    inside = [f for f in figures if horizon[0] <= f.month <= horizon[-1]]
    if not extend or not inside:
        return inside
    last = horizon[-1]
    latest: dict[tuple, Figure] = {}
    for figure in inside:
        key = (figure.measure, figure.product_id, figure.territory_id)
        if key not in latest or figure.month > latest[key].month:
            latest[key] = figure
    added = [
        Figure(f.measure, f.product_id, f.territory_id, last, f.value)
        for f in latest.values()
        if f.month < last
    ]
    return inside + added


def event_is_open(last_month: date | None, new_month: date) -> bool:
    """A promotion or launch still matters to a cycle that starts at `new_month`."""
    return last_month is None or last_month >= new_month


def month_span(months: list[date]) -> str:
    """'Dec 2026-Nov 2027' (or one month): the months a proposal covers, in words."""
    if not months:
        return "no month"
    first, last = min(months), max(months)
    return f"{first:%b %Y}" if first == last else f"{first:%b %Y}-{last:%b %Y}"
