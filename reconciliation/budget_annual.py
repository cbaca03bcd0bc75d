"""Finance's annual budget, spread to territory x month cells as a proposal to edit.

Nothing is written here: the spread fills the budget grid, Finance edits it, and
"Save budget" writes it through services.budget_save (permission, stale-figure
check and audit, like every budget change). The arithmetic is budget_spread's.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from accounts.permissions import ensure_allowed
from accounts.typing import User
from cycles.calendar import add_months
from cycles.measures import MeasureCode
from cycles.models import Cycle
from forecasting.models import SalesActual
from reconciliation.budget_spread import MONEY_STEP, UNIT_STEP, SpreadError, spread
from sop_planner.errors import DomainError
from territories.selectors import active_territories

PROFILES = {
    "actuals": "by last year's sales (months and territories)",
    "even": "evenly over months and territories",
}
MEASURES = (
    (MeasureCode.BUDGET_UNITS, "units", UNIT_STEP),
    (MeasureCode.BUDGET_REVENUE, "revenue", MONEY_STEP),
)
Cell = tuple[str, int, date]  # measure, territory id, month


@dataclass(frozen=True)
class AnnualFigure:
    """The year's budget of the family in one region, or in all (region None)."""

    region_id: int | None
    region_name: str
    units: Decimal | None
    revenue: Decimal | None


def budget_annual_spread(
    *, actor: User, cycle: Cycle, family_id: int, figures: list[AnnualFigure], profile: str
) -> dict[Cell, Decimal]:
    """Each annual figure spread over its territories and the horizon's months."""
    ensure_allowed(actor, "plan.budget.edit")
    if profile not in PROFILES:
        raise DomainError(f"{profile!r} is not a way to spread; choose actuals or even.")
    entered = [f for f in figures if f.units is not None or f.revenue is not None]
    if not entered:
        raise DomainError("Enter the year's units or revenue for the family or for a region.")
    if any(f.region_id is None for f in entered) and len(entered) > 1:
        raise DomainError(
            "Enter the year either for the whole family or region by region, not both."
        )
    territories = _territories([f.region_id for f in entered])
    history = _last_year(cycle, family_id) if profile == "actuals" else None
    cells: dict[Cell, Decimal] = {}
    for figure in entered:
        cells.update(_spread_one(cycle, figure, territories[figure.region_id], history))
    return cells


def _territories(region_ids: list[int | None]) -> dict[int | None, list[int]]:
    active = active_territories().order_by("name")
    return {
        region: [t.pk for t in active if region is None or t.region_id == region]
        for region in region_ids
    }


def _spread_one(
    cycle: Cycle, figure: AnnualFigure, territories: list[int], history: dict | None
) -> dict:
    """`history` None spreads evenly; else by last year's sales of each territory x month."""
    if not territories:
        raise DomainError(f"{figure.region_name} has no active territory to hold a budget.")
    cells = {}
    for measure, label, step in MEASURES:
        total = figure.units if measure == MeasureCode.BUDGET_UNITS else figure.revenue
        if total is None:
            continue
        weights = {  # month by month: a left-over unit goes to the earlier month
            (measure, t, month): 1 if history is None else history.get((label, t, month), 0)
            for month in cycle.horizon()
            for t in territories
        }
        if not any(weights.values()):
            raise DomainError(
                f"{figure.region_name} sold none of this family in the twelve months before "
                f"{cycle.horizon()[0]:%Y-%m}, so last year cannot shape its {label}; "
                "spread it evenly."
            )
        try:
            cells.update(spread(total, weights, step))
        except SpreadError as error:
            raise DomainError(f"{figure.region_name}, annual {label}: {error}") from error
    return cells


def _last_year(cycle: Cycle, family_id: int) -> dict[tuple[str, int, date], Decimal]:
    """(units | revenue, territory id, horizon month) -> sales of the same month a year before."""
    first = add_months(cycle.horizon()[0], -12)
    rows = (
        SalesActual.objects.filter(
            product__family_id=family_id,
            period__gte=first,
            period__lt=cycle.horizon()[0],
        )
        .values("territory_id", "period")
        .annotate(units=Sum("units"), revenue=Sum("revenue"))
    )
    history: dict = {}
    for row in rows:
        month = add_months(row["period"], 12)
        history[("units", row["territory_id"], month)] = row["units"]
        history[("revenue", row["territory_id"], month)] = row["revenue"]
    return history
