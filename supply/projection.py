"""The constrained supply plan of one product family, month by month. Plain Python.

From the frozen consensus demand, capacity, opening inventory and an
inventory target, compute planned production, projected closing inventory,
weeks of cover and shortage (unmet demand, lost rather than back-ordered).

Production is planned against the projected inventory (production_lp.py):
shortage first, then the distance below target, then cover above the maximum,
then holding. So a short month is pre-built in the latest earlier months with
spare capacity, and after a squeeze spare capacity rebuilds stock to target as
early as it can. What no month can make is shortage.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from cycles.measures import MeasureCode
from cycles.numbers import whole
from supply.production_problem import ProductionProblem, noise

WEEKS_PER_MONTH = 52 / 12
COVER_LOOKAHEAD = 3  # months of future demand that "weeks of cover" is measured against


@dataclass(frozen=True)
class SupplyInput:
    demand: Sequence[float]
    capacity: Sequence[float]
    opening_inventory: float
    target_weeks: Sequence[float] | None = None  # inventory target as weeks of cover, or
    target_units: Sequence[float | None] | None = None  # as units (None: use the weeks)
    min_production: Sequence[float] | None = None
    max_cover_weeks: float | None = None


@dataclass
class SupplyPlan:
    production: list[float]
    closing_inventory: list[float]
    target_inventory: list[float]
    weeks_of_cover: list[float | None]
    shortage: list[float]
    flags: list[list[str]] = field(default_factory=list)


class SupplyInputError(ValueError):
    """The inputs do not describe a plan; the message says which and where."""


def project(plan_input: SupplyInput) -> SupplyPlan:
    months = _check(plan_input)
    targets = target_inventory(plan_input)
    from supply.production_lp import plan_production  # SciPy: loaded by the first plan

    production = plan_production(_problem(plan_input, targets))
    closing, shortage = _simulate(plan_input, production)
    cover = [weeks_of_cover(closing[t], plan_input.demand, t) for t in range(months)]
    plan = SupplyPlan(production, closing, targets, cover, shortage)
    plan.flags = [_flags(plan_input, plan, t) for t in range(months)]
    return plan


def target_inventory(plan_input: SupplyInput) -> list[float]:
    """Units to hold at each month's end: the units given, else weeks of forward demand."""
    months = len(plan_input.demand)
    units = plan_input.target_units or [None] * months
    weeks = plan_input.target_weeks or [0.0] * months
    return [
        float(units[t])  # type: ignore[arg-type]  # not None: checked on the next line
        if units[t] is not None
        else weeks[t] * _weekly_forward_demand(plan_input.demand, t)
        for t in range(months)
    ]


def weeks_of_cover(inventory: float, demand: Sequence[float], month: int) -> float | None:
    """Closing stock in weeks of the next months' average demand (None: no demand ahead)."""
    weekly = _weekly_forward_demand(demand, month)
    return inventory / weekly if weekly > 0 else None


def _weekly_forward_demand(demand: Sequence[float], month: int) -> float:
    ahead = list(demand[month + 1 : month + 1 + COVER_LOOKAHEAD]) or [demand[month]]
    return sum(ahead) / len(ahead) / WEEKS_PER_MONTH


def _problem(plan_input: SupplyInput, targets: list[float]) -> ProductionProblem:
    months = len(plan_input.demand)
    return ProductionProblem(
        demand=plan_input.demand,
        capacity=plan_input.capacity,
        minimum=plan_input.min_production or [0.0] * months,
        opening_inventory=plan_input.opening_inventory,
        target=targets,
        max_inventory=[_max_inventory(plan_input, t) for t in range(months)],
    )


def _max_inventory(plan_input: SupplyInput, month: int) -> float | None:
    """Units of the maximum cover at the month's end (None: no maximum, or no demand ahead)."""
    weekly = _weekly_forward_demand(plan_input.demand, month)
    if plan_input.max_cover_weeks is None or weekly <= 0:
        return None
    return plan_input.max_cover_weeks * weekly


def _simulate(plan_input: SupplyInput, production: list[float]) -> tuple[list[float], list[float]]:
    inventory, closing, shortage = plan_input.opening_inventory, [], []
    for t, demand in enumerate(plan_input.demand):
        available = inventory + production[t]
        short = demand - available if demand - available > noise(demand) else 0.0
        shortage.append(short)
        inventory = max(0.0, available - demand)
        closing.append(inventory)
    return closing, shortage


def _flags(plan_input: SupplyInput, plan: SupplyPlan, t: int) -> list[str]:
    flags = []
    if plan_input.demand[t] > plan_input.capacity[t]:
        flags.append("demand exceeds capacity")
    if plan.shortage[t] > 0:
        flags.append(f"shortage of {whole(plan.shortage[t])} units")
    if plan.closing_inventory[t] + noise(plan.target_inventory[t]) < plan.target_inventory[t]:
        flags.append("inventory below target")
    cover, limit = plan.weeks_of_cover[t], plan_input.max_cover_weeks
    if limit is not None and cover is not None and cover > limit:
        flags.append(f"cover {cover:.1f} weeks above the maximum of {limit:g}")
    return flags


def _check(plan_input: SupplyInput) -> int:
    months = len(plan_input.demand)
    series = {
        MeasureCode.CAPACITY: plan_input.capacity,
        MeasureCode.TARGET_WEEKS: plan_input.target_weeks,
        "target_units": plan_input.target_units,
        MeasureCode.MIN_PRODUCTION: plan_input.min_production,
    }
    for name, values in series.items():
        if values is not None and len(values) != months:
            raise SupplyInputError(f"{name} has {len(values)} months, demand has {months}.")
    for name, values in {"demand": plan_input.demand, **series}.items():
        for t, value in enumerate(values or []):
            if value is not None and value < 0:
                raise SupplyInputError(f"{name} in month {t + 1} is negative ({value}).")
    for t, low in enumerate(plan_input.min_production or []):
        if low > plan_input.capacity[t]:
            raise SupplyInputError(
                f"Minimum production {low:g} in month {t + 1} is above capacity "
                f"{plan_input.capacity[t]:g}."
            )
    if plan_input.opening_inventory < 0:
        raise SupplyInputError("Opening inventory is negative.")
    return months
