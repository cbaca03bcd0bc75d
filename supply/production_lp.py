"""How much to make each month: a small linear program, solved by HiGHS. Plain Python.

Production is planned against the projected inventory, month by month, so after a
constrained period the spare capacity rebuilds stock to target as early as it can.
The priorities are solved one after the other (lexicographically), each stage keeping
the optimum of the ones before it:

1. shortage (unmet demand, lost): as little as possible, and if some is unavoidable
   it falls as late as possible, so stock on hand is shipped rather than kept;
2. the units below the inventory target, summed over the months;
3. the units above the maximum cover, summed over the months;
4. holding: the stock carried, so what must be pre-built is made as late as possible.

Capacity and minimum production are hard bounds (the caller checks minimum <= capacity).
"""

import numpy as np
from scipy.optimize import OptimizeResult, linprog

from supply.production_problem import ProductionProblem, noise

# Variables per month, in this order in the solution vector.
PRODUCTION, SHORTAGE, INVENTORY, BELOW_TARGET, ABOVE_MAX = range(5)
# A stage's optimum is kept exactly; only where rounding makes that infeasible is it
# loosened, by these relative slacks in turn (a later stage may spend the slack).
KEPT_OPTIMUM_SLACKS = (0.0, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9, 1e-7)


class SolverFailure(RuntimeError):
    """HiGHS gave no optimum for a problem that always has one: a bug, not bad input."""


def plan_production(problem: ProductionProblem) -> list[float]:
    """Units to make in each month, within [minimum, capacity]."""
    months = len(problem.demand)
    if months == 0:
        return []
    kept: list[tuple[np.ndarray, float]] = []
    for objective in _objectives(problem):
        solution = _solve_keeping(problem, objective, kept)
        kept.append((objective, solution.fun))
    production = solution.x[:months]
    return [_clean(value, low, high) for value, low, high in _with_limits(production, problem)]


def _solve_keeping(
    problem: ProductionProblem, objective: np.ndarray, kept: list
) -> OptimizeResult:
    """Minimise the objective without giving up the optimum of any earlier stage."""
    rows_ub, bounds_ub = _target_rows(problem)
    equality, balance = _balance_rows(problem)
    rows_ub = np.vstack([rows_ub, *(row for row, _ in kept)])
    for slack in KEPT_OPTIMUM_SLACKS if kept else (0.0,):
        optima = [best + slack * (1 + abs(best)) for _, best in kept]
        result = linprog(
            objective,
            A_ub=rows_ub,
            b_ub=np.append(bounds_ub, optima),
            A_eq=equality,
            b_eq=balance,
            bounds=_bounds(problem),
            method="highs",
            options={"primal_feasibility_tolerance": 1e-9, "dual_feasibility_tolerance": 1e-9},
        )
        if result.status == 0:
            return result
    raise SolverFailure(f"The production plan could not be solved: {result.message}")


def _index(kind: int, month: int, months: int) -> int:
    return kind * months + month


def _balance_rows(problem: ProductionProblem) -> tuple[np.ndarray, np.ndarray]:
    """inventory[t] - inventory[t-1] - production[t] - shortage[t] = -demand[t]."""
    months = len(problem.demand)
    rows = np.zeros((months, 5 * months))
    right = -np.asarray(problem.demand, dtype=float)
    for t in range(months):
        rows[t, _index(INVENTORY, t, months)] = 1
        rows[t, _index(PRODUCTION, t, months)] = -1
        rows[t, _index(SHORTAGE, t, months)] = -1
        if t > 0:
            rows[t, _index(INVENTORY, t - 1, months)] = -1
    right[0] += problem.opening_inventory
    return rows, right


def _target_rows(problem: ProductionProblem) -> tuple[np.ndarray, np.ndarray]:
    """-inventory - below <= -target; inventory - above <= maximum (where there is one)."""
    months = len(problem.demand)
    rows, right = [], []
    for t in range(months):
        row = np.zeros(5 * months)
        row[_index(INVENTORY, t, months)], row[_index(BELOW_TARGET, t, months)] = -1, -1
        rows.append(row)
        right.append(-float(problem.target[t]))
        if problem.max_inventory[t] is not None:
            row = np.zeros(5 * months)
            row[_index(INVENTORY, t, months)], row[_index(ABOVE_MAX, t, months)] = 1, -1
            rows.append(row)
            right.append(float(problem.max_inventory[t]))  # type: ignore[arg-type]  # checked above
    return np.array(rows), np.array(right)


def _bounds(problem: ProductionProblem) -> list[tuple[float, float | None]]:
    no_maximum = [0.0 if high is None else None for high in problem.max_inventory]
    return [
        *zip(map(float, problem.minimum), map(float, problem.capacity), strict=True),
        *((0.0, float(d)) for d in problem.demand),
        *((0.0, None) for _ in problem.demand),
        *((0.0, None) for _ in problem.demand),
        *((0.0, high) for high in no_maximum),  # no limit: nothing can be above it
    ]


def _objectives(problem: ProductionProblem) -> list[np.ndarray]:
    months = len(problem.demand)
    stages = []
    # a shortage early costs a little more than one late: stock on hand ships first
    weights = {SHORTAGE: 2 - np.arange(months) / months}
    has_maximum = any(high is not None for high in problem.max_inventory)
    later = (BELOW_TARGET, ABOVE_MAX, INVENTORY) if has_maximum else (BELOW_TARGET, INVENTORY)
    weights |= {kind: np.ones(months) for kind in later}
    for kind, weight in weights.items():
        objective = np.zeros(5 * months)
        objective[kind * months : (kind + 1) * months] = weight
        stages.append(objective)
    return stages


def _with_limits(production, problem: ProductionProblem):
    return zip(production, problem.minimum, problem.capacity, strict=True)


def _clean(value: float, low: float, high: float) -> float:
    """The solver's figure inside its bounds; a bound or a whole unit where it is one up to noise."""
    for landmark in (low, high, round(value)):
        if abs(value - landmark) <= noise(landmark):
            value = float(landmark)
            break
    return float(min(max(value, low), high))
