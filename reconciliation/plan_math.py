"""Demand vs constrained supply vs budget, gaps and scenario deltas. Plain Python.

The database hands over small aggregates (family x region x month); this module
projects supply per family, spreads what can be shipped over the regions in
proportion to their demand, and sums revenue (units x price), margin (units x
(price - cost)) and the gap to budget. A scenario is a list of deltas applied to
a copy of these aggregates, so the plan itself is never touched.
"""

from collections import defaultdict
from dataclasses import dataclass, replace

from cycles.numbers import whole
from supply.projection import SupplyInput, project


@dataclass(frozen=True)
class RegionCell:
    """Consensus and budget of one family in one region, per month of the horizon."""

    demand: list[float]
    revenue: list[float]  # demand units x price
    cost: list[float]  # demand units x unit cost
    budget_units: list[float]
    budget_revenue: list[float]


@dataclass(frozen=True)
class FamilyData:
    supply: SupplyInput
    regions: dict[int, RegionCell]


@dataclass(frozen=True)
class Delta:
    kind: str  # "capacity" | "demand" | "price"
    family_id: int | None  # None: every family
    months: frozenset[int]  # month indexes in the horizon
    factor: float  # 1.10 for +10%
    # "units": units, revenue and cost added per (region id, month index), e.g. a promotion's
    # contribution taken away (negative figures)
    cells: tuple[tuple[int, int, float, float, float], ...] = ()


@dataclass
class Figures:
    demand: float = 0.0
    supply: float = 0.0
    shortage: float = 0.0
    budget_units: float = 0.0
    demand_revenue: float = 0.0
    revenue: float = 0.0
    margin: float = 0.0
    budget_revenue: float = 0.0
    inventory: float = 0.0

    def add(self, other: "Figures") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def gap_to_budget(self) -> float:
        return self.revenue - self.budget_revenue


Key = tuple[int, int, int]  # family id, region id, month index


def evaluate(families: dict[int, FamilyData]) -> dict[Key, Figures]:
    """Figures per family x region x month (inventory is kept on the family's first region)."""
    out: dict[Key, Figures] = {}
    for family_id, data in families.items():
        plan = project(data.supply)
        first_region = min(data.regions) if data.regions else 0
        for t, demand in enumerate(data.supply.demand):
            fill = 1.0 - (plan.shortage[t] / demand) if demand > 0 else 1.0
            for region_id, cell in data.regions.items():
                out[(family_id, region_id, t)] = _cell_figures(cell, t, fill)
            stock = out.setdefault((family_id, first_region, t), Figures())
            stock.inventory = plan.closing_inventory[t]
    return out


def _cell_figures(cell: RegionCell, t: int, fill: float) -> Figures:
    served = cell.demand[t] * fill
    return Figures(
        demand=cell.demand[t],
        supply=served,
        shortage=cell.demand[t] - served,
        budget_units=cell.budget_units[t],
        demand_revenue=cell.revenue[t],
        revenue=cell.revenue[t] * fill,
        margin=(cell.revenue[t] - cell.cost[t]) * fill,
        budget_revenue=cell.budget_revenue[t],
    )


def roll_up(figures: dict[Key, Figures], by) -> dict:
    """Sum the figures by a key function of (family, region, month), e.g. lambda k: k[0]."""
    totals: dict = defaultdict(Figures)
    for key, value in figures.items():
        totals[by(key)].add(value)
    return dict(totals)


def total(figures: dict[Key, Figures], last_month: int | None = None) -> Figures:
    """Company totals; inventory is the closing stock of the last month, not a sum."""
    result = Figures()
    for (_f, _r, t), value in figures.items():
        inventory = value.inventory
        result.add(replace(value, inventory=0.0))
        if last_month is not None and t == last_month:
            result.inventory += inventory
    return result


def total_over(figures: dict[Key, Figures], months: frozenset[int]) -> Figures:
    """Company totals over these month indexes only; inventory is the stock closing the latest."""
    return total(only_months(figures, months), last_month=max(months, default=None))


def only_months(figures: dict[Key, Figures], months: frozenset[int]) -> dict[Key, Figures]:
    return {key: value for key, value in figures.items() if key[2] in months}


@dataclass(frozen=True)
class Gap:
    key: str
    kind: str
    family_id: int
    month: int
    label: str
    size: float


def find_gaps(
    family_months: dict[tuple[int, int], Figures],
    *,
    shortage_pct: float,
    revenue_pct: float,
    names: dict[int, str],
    month_labels: list[str],
) -> list[Gap]:
    """Family-months whose shortage or revenue shortfall against budget is over a threshold."""
    gaps = []
    for (family_id, t), fig in sorted(family_months.items()):
        where = f"{names.get(family_id, family_id)}, {month_labels[t]}"
        if fig.demand > 0 and fig.shortage > fig.demand * shortage_pct / 100:
            share = 100 * fig.shortage / fig.demand
            gaps.append(
                Gap(
                    f"shortage:{family_id}:{month_labels[t]}",
                    "shortage",
                    family_id,
                    t,
                    f"Shortage of {whole(fig.shortage)} units ({share:.1f}% of demand) in {where}",
                    fig.shortage,
                )
            )
        if fig.budget_revenue > 0 and fig.revenue < fig.budget_revenue * (1 - revenue_pct / 100):
            below = 100 * (1 - fig.revenue / fig.budget_revenue)
            gaps.append(
                Gap(
                    f"revenue:{family_id}:{month_labels[t]}",
                    "revenue",
                    family_id,
                    t,
                    f"Revenue {whole(fig.revenue)} is {below:.1f}% below budget "
                    f"{whole(fig.budget_revenue)} in {where}",
                    fig.budget_revenue - fig.revenue,
                )
            )
    return gaps


def apply_deltas(families: dict[int, FamilyData], deltas: list[Delta]) -> dict[int, FamilyData]:
    """A scenario's view of the plan: new objects for what the deltas name, the rest shared."""
    result = dict(families)
    for delta in deltas:
        for family_id in [delta.family_id] if delta.family_id is not None else list(result):
            if family_id in result:
                result[family_id] = _apply(result[family_id], delta)
    return result


def _scaled(series, months: frozenset[int], factor: float) -> list[float]:
    return [v * factor if t in months else v for t, v in enumerate(series)]


def _apply(data: FamilyData, delta: Delta) -> FamilyData:
    months, factor = delta.months, delta.factor
    if delta.kind == "capacity":
        return replace(
            data,
            supply=replace(data.supply, capacity=_scaled(data.supply.capacity, months, factor)),
        )
    if delta.kind == "demand":
        regions = {
            r: replace(
                c,
                demand=_scaled(c.demand, months, factor),
                revenue=_scaled(c.revenue, months, factor),
                cost=_scaled(c.cost, months, factor),
            )
            for r, c in data.regions.items()
        }
        demand = _scaled(data.supply.demand, months, factor)
        return FamilyData(replace(data.supply, demand=demand), regions)
    if delta.kind == "units":
        return _add_units(data, delta.cells)
    if delta.kind == "price":
        regions = {
            r: replace(c, revenue=_scaled(c.revenue, months, factor))
            for r, c in data.regions.items()
        }
        return replace(data, regions=regions)
    raise ValueError(f"Unknown scenario change {delta.kind!r}.")


def _add_units(data: FamilyData, cells) -> FamilyData:
    regions = dict(data.regions)
    demand = list(data.supply.demand)
    for region_id, t, units, revenue, cost in cells:
        cell = regions.get(region_id)
        if cell is None or t >= len(demand):
            continue
        regions[region_id] = replace(
            cell,
            demand=_plus(cell.demand, t, units),
            revenue=_plus(cell.revenue, t, revenue),
            cost=_plus(cell.cost, t, cost),
        )
        demand[t] += units
    return FamilyData(replace(data.supply, demand=demand), regions)


def _plus(series: list[float], t: int, amount: float) -> list[float]:
    return [v + amount if i == t else v for i, v in enumerate(series)]


def kpis(families: dict[int, FamilyData], months: int) -> Figures:
    """The headline figures of a plan (base or scenario) over the horizon."""
    return total(evaluate(families), last_month=months - 1)
