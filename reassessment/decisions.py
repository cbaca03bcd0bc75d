"""Decision log review: each reconciliation decision with an expected impact, next to
what happened in its family and month once the actuals are in. Read-only."""

from collections import defaultdict
from datetime import date

from django.db.models import F, Sum

from cycles.models import PlanValue
from forecasting.models import SalesActual
from reconciliation.models import GapDecision


def decision_review() -> list[dict]:
    """Decisions of released cycles with an expected impact, newest cycle first.

    A gap key is '<kind>:<family id>:<YYYY-MM>'; the plan is the released
    consensus of that family and month, 'what happened' its actual units and
    revenue (None while the month has no actuals).
    """
    decisions = list(
        GapDecision.objects.filter(cycle__status="released")
        .exclude(expected_impact="")
        .select_related("cycle", "decided_by")
        .order_by("-cycle__month", "gap_key")
    )
    scopes = {d.pk: _scope(d.gap_key) for d in decisions}
    actuals = _actuals({scope for scope in scopes.values() if scope})
    plans = _plans(decisions, scopes)
    return [_review(d, scopes[d.pk], actuals, plans) for d in decisions]


def _scope(gap_key: str) -> tuple[int, date] | None:
    parts = gap_key.split(":")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    try:
        return int(parts[1]), date.fromisoformat(f"{parts[2]}-01")
    except ValueError:
        return None


def _actuals(scopes: set[tuple[int, date]]) -> dict[tuple[int, date], dict]:
    if not scopes:
        return {}
    rows = (
        SalesActual.objects.filter(
            product__family_id__in={f for f, _ in scopes}, period__in={m for _, m in scopes}
        )
        .values(family=F("product__family_id"), month=F("period"))
        .annotate(units=Sum("units"), revenue=Sum("revenue"))
    )
    return {
        (row["family"], row["month"]): {
            "units": float(row["units"]),
            "revenue": float(row["revenue"]),
        }
        for row in rows
    }


def _plans(decisions, scopes) -> dict[tuple[int, int, date], dict]:
    wanted = defaultdict(set)
    for d in decisions:
        if scopes[d.pk]:
            wanted[d.cycle_id].add(scopes[d.pk])
    plans = {}
    for cycle_id, cells in wanted.items():
        rows = (
            PlanValue.objects.filter(
                cycle_id=cycle_id,
                valid_to_seq=None,
                measure__in=["consensus", "budget_units", "budget_revenue"],
                product__family_id__in={f for f, _ in cells},
                month__in={m for _, m in cells},
            )
            .values("measure", family=F("product__family_id"), m=F("month"))
            .annotate(total=Sum("value"))
        )
        for row in rows:
            cell = plans.setdefault((cycle_id, row["family"], row["m"]), {})
            cell[row["measure"]] = float(row["total"])
    return plans


def _review(decision: GapDecision, scope, actuals: dict, plans: dict) -> dict:
    family_id, month = scope or (None, None)
    plan = plans.get((decision.cycle_id, family_id, month), {})
    actual = actuals.get((family_id, month))
    planned = plan.get("consensus")
    return {
        "decision": decision,
        "month": month,
        "planned_units": planned,
        "budget_units": plan.get("budget_units"),
        "budget_revenue": plan.get("budget_revenue"),
        "actual_units": actual["units"] if actual else None,
        "actual_revenue": actual["revenue"] if actual else None,
        "units_vs_plan_pct": _pct(actual["units"], planned) if actual else None,
    }


def _pct(actual: float, planned: float | None) -> float | None:
    return None if not planned else (actual - planned) / planned * 100
