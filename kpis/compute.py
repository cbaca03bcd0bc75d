"""The KPI figures of one cycle from small aggregates. Plain Python.

The selectors sum the plan in the database and hand over totals; these
functions turn totals into the percentages and day counts the dashboard
shows. None means "no data yet", never zero.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


def vs_budget_pct(plan: float, budget: float) -> float | None:
    """Plan against budget in %: +5 is 5 % above; None without a budget."""
    if budget <= 0:
        return None
    return (plan / budget - 1) * 100


def shortage_pct(shortage: float, demand: float) -> float | None:
    """Unmet demand as % of demand; None without demand."""
    if demand <= 0:
        return None
    return shortage / demand * 100


def inventory_vs_target_pct(inventory: float, target: float) -> float | None:
    """Projected inventory against its target in %: -20 is 20 % below; None without a target."""
    if target <= 0:
        return None
    return (inventory / target - 1) * 100


@dataclass(frozen=True)
class Timeliness:
    on_time_pct: float | None
    days_late: float | None


def timeliness(due: Mapping[str, date], closed: Mapping[str, date], *, today: date) -> Timeliness:
    """How the stages of a cycle kept their due dates.

    A stage counts once its due date has passed or it was closed. Closed by the
    due date: on time. Closed later, or still open after it: late by the days
    between (an open stage keeps getting later until it closes). The cycle's
    days late are its worst slip, not the sum: a stage that starts late because
    the one before closed late is the same delay, not a second one.
    """
    counted = [stage for stage, day in due.items() if stage in closed or day < today]
    if not counted:
        return Timeliness(None, None)
    late_days = [max(0, ((closed.get(stage) or today) - due[stage]).days) for stage in counted]
    on_time = sum(1 for days in late_days if days == 0)
    return Timeliness(on_time / len(counted) * 100, float(max(late_days)))
