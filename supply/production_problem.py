"""The production problem a supply plan solves, and how close to a figure counts as it.

Plain Python without numpy or SciPy: the pages that show a plan import this; only
computing one (supply.production_lp) loads the solver.
"""

from collections.abc import Sequence
from dataclasses import dataclass

SNAP_ABSOLUTE, SNAP_RELATIVE = 1e-6, 1e-9  # solver noise: a figure this close to a unit is it


@dataclass(frozen=True)
class ProductionProblem:
    demand: Sequence[float]
    capacity: Sequence[float]
    minimum: Sequence[float]
    opening_inventory: float
    target: Sequence[float]  # units to hold at each month's end
    max_inventory: Sequence[float | None]  # units of maximum cover (None: no limit)


def noise(figure: float) -> float:
    """How far a solved figure may be from the true one: nothing a person could see."""
    return SNAP_ABSOLUTE + SNAP_RELATIVE * abs(figure)
