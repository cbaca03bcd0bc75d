"""Decision log review: each reconciliation decision with an expected impact, next to
what happened in its family and month once the actuals are in. Read-only."""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.core.cache import cache
from django.db.models import F, QuerySet, Sum

from cycles.measures import MeasureCode
from cycles.models import PlanValue
from demand.models import PlanRollup
from forecasting.models import SalesActual
from reconciliation.models import GapDecision
from supply.selectors import family_anchors


def reviewed_decisions() -> QuerySet[GapDecision]:
    """Decisions of released cycles with an expected impact, newest cycle first."""
    return (
        GapDecision.objects.filter(cycle__status="released")
        .exclude(expected_impact="")
        .select_related("cycle", "decided_by")
        .order_by("-cycle__month", "gap_key", "pk")
    )


def decision_review(decisions: Iterable[GapDecision] | None = None) -> list[dict]:
    """Each decision (by default every reviewed one) with what was planned and what happened.

    A gap key is '<kind>:<family id>:<YYYY-MM>'; the plan is the released
    consensus of that family and month, 'what happened' its actual units and
    revenue (None while the month has no actuals). Only the given decisions'
    plans and actuals are read: an API page costs what its rows need.
    """
    decisions = list(reviewed_decisions() if decisions is None else decisions)
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
    """(cycle, family, month) -> released consensus and budget, summed in the database.

    The consensus comes from demand's rollup (family x territory x month sums kept equal
    to the plan store): summing a released plan's leaf figures took ~0.5 s per cycle
    on a 10,000-series company. A cycle without rollup rows is summed from its leaves.
    Only released cycles' decisions are reviewed, and a released plan never changes: its
    sums are kept in the cache, so the review reads the live actuals and nothing else.
    """
    wanted: dict[int, set] = defaultdict(set)
    for d in decisions:
        if scopes[d.pk]:
            wanted[d.cycle_id].add(scopes[d.pk])
    keys = {cycle_id: _plans_key(cycle_id, cells) for cycle_id, cells in wanted.items()}
    kept = cache.get_many(keys.values())
    missing = {c: cells for c, cells in wanted.items() if keys[c] not in kept}
    if missing:
        summed = _summed(missing)
        fresh = {keys[c]: {k: v for k, v in summed.items() if k[0] == c} for c in missing}
        cache.set_many(fresh, timeout=86400)
        kept |= fresh
    return {cell: sums for per_cycle in kept.values() for cell, sums in per_cycle.items()}


def _plans_key(cycle_id: int, cells: set[tuple[int, date]]) -> str:
    """A released plan never changes: its sums for a set of (family, month) are kept."""
    named = ",".join(f"{family}:{month:%Y-%m}" for family, month in sorted(cells))
    return f"reassessment:decision-plans:{cycle_id}:{hashlib.sha1(named.encode()).hexdigest()}"


def _summed(wanted: dict[int, set]) -> dict[tuple[int, int, date], dict]:
    families = {f for cells in wanted.values() for f, _ in cells}
    months = {m for cells in wanted.values() for _, m in cells}
    plans: dict[tuple[int, int, date], dict] = {}
    rolled = _rolled_up_consensus(set(wanted), families, months)
    _add(plans, rolled)
    _add(plans, _budget_sums(set(wanted), families, months))
    unrolled = set(wanted) - {row["cycle_pk"] for row in rolled}
    if unrolled:
        _add(plans, _leaf_sums(unrolled, families, months, [MeasureCode.CONSENSUS]))
    return plans


def _rolled_up_consensus(cycle_ids: set[int], families: set[int], months: set) -> list[dict]:
    return list(
        PlanRollup.objects.filter(
            cycle_id__in=cycle_ids,
            measure=MeasureCode.CONSENSUS,
            family_id__in=families,
            month__in=months,
        )
        .values("measure", cycle_pk=F("cycle_id"), family_pk=F("family_id"), m=F("month"))
        .annotate(total=Sum("units"))
    )


def _budget_sums(cycle_ids: set[int], families: set[int], months: set) -> list[dict]:
    """The budget, read from the family anchors it is stored on (one product per family,
    as the budget screen and uploads write it): a few index ranges, no join."""
    anchors = family_anchors()
    family_of = {anchors[f].product_id: f for f in families if f in anchors}
    rows = (
        PlanValue.objects.live()
        .filter(
            cycle_id__in=cycle_ids,
            measure__in=[MeasureCode.BUDGET_UNITS, MeasureCode.BUDGET_REVENUE],
            product_id__in=list(family_of),
            month__in=months,
        )
        .values("measure", "product_id", cycle_pk=F("cycle_id"), m=F("month"))
        .annotate(total=Sum("value"))
    )
    return [row | {"family_pk": family_of[row["product_id"]]} for row in rows]


def _leaf_sums(cycle_ids: set[int], families: set[int], months: set, measures):
    return (
        PlanValue.objects.live()
        .filter(
            cycle_id__in=cycle_ids,
            measure__in=measures,
            product__family_id__in=families,
            month__in=months,
        )
        .values("measure", cycle_pk=F("cycle_id"), family_pk=F("product__family_id"), m=F("month"))
        .annotate(total=Sum("value"))
    )


def _add(plans: dict, rows) -> None:
    for row in rows:
        cell = plans.setdefault((row["cycle_pk"], row["family_pk"], row["m"]), {})
        cell[row["measure"]] = float(row["total"])


def _review(decision: GapDecision, scope, actuals: dict, plans: dict) -> dict:
    family_id, month = scope or (None, None)
    plan = plans.get((decision.cycle_id, family_id, month), {})
    actual = actuals.get((family_id, month))
    planned = plan.get(MeasureCode.CONSENSUS)
    return {
        "decision": decision,
        "month": month,
        "planned_units": planned,
        MeasureCode.BUDGET_UNITS: plan.get(MeasureCode.BUDGET_UNITS),
        MeasureCode.BUDGET_REVENUE: plan.get(MeasureCode.BUDGET_REVENUE),
        "actual_units": actual["units"] if actual else None,
        "actual_revenue": actual["revenue"] if actual else None,
        "units_vs_plan_pct": _pct(actual["units"], planned) if actual else None,
    }


def _pct(actual: float, planned: float | None) -> float | None:
    return None if not planned else (actual - planned) / planned * 100
