"""The gap list's rows: each gap with its family, regions, month and size. Plain Python.

A gap is found per family and month (supply is planned per family); the regions
column names where it shows: the regions short of supply, or below their budget.
"""

from dataclasses import dataclass

from reconciliation.plan_math import Figures, Gap, Key

SHORT = 0.5  # less than half a unit short is rounding, not a region's gap


@dataclass(frozen=True)
class GapRow:
    gap: Gap
    family: str
    regions: tuple[str, ...]
    month: str
    units: float | None  # units short (shortage) or units below budget; None: no unit budget
    revenue: float  # revenue lost to the shortage, or revenue below budget
    percent_of_plan: float | None  # units short / demand, or revenue gap / planned revenue

    @property
    def kind_label(self) -> str:
        return "Shortage" if self.gap.kind == "shortage" else "Revenue below budget"


def gap_rows(
    gaps: list[Gap],
    figures: dict[Key, Figures],
    *,
    families: dict[int, str],
    regions: dict[int, str],
    month_labels: list[str],
) -> list[GapRow]:
    """One row per gap, sized from the family x region x month figures it was found in."""
    return [_row(gap, figures, families, regions, month_labels) for gap in gaps]


def _row(gap: Gap, figures, families, regions, month_labels) -> GapRow:
    cells = {
        region: fig
        for (family, region, t), fig in figures.items()
        if family == gap.family_id and t == gap.month
    }
    total = Figures()
    for fig in cells.values():
        total.add(fig)
    units: float | None
    if gap.kind == "shortage":
        units, revenue = total.shortage, total.demand_revenue - total.revenue
        percent = _share(total.shortage, total.demand)
        where = [r for r, fig in cells.items() if fig.shortage >= SHORT]
    else:
        revenue = total.budget_revenue - total.revenue
        units = total.budget_units - total.supply if total.budget_units > 0 else None
        percent = _share(revenue, total.revenue)
        where = [r for r, fig in cells.items() if fig.revenue < fig.budget_revenue]
    return GapRow(
        gap=gap,
        family=families.get(gap.family_id, str(gap.family_id)),
        regions=tuple(sorted(regions.get(r, "(no region)") for r in where)),
        month=month_labels[gap.month],
        units=units,
        revenue=revenue,
        percent_of_plan=percent,
    )


def _share(part: float, whole: float) -> float | None:
    return 100 * part / whole if whole else None
