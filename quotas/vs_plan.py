"""Quota vs consensus vs budget per territory for a cycle, and the gaps that need a
decision: the reconciliation page, the pre-read, the API and the gate read this."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum

from cycles.measures import MeasureCode
from cycles.models import Cycle
from quotas import selectors
from quotas.models import QuotaGapDecision
from quotas.proposal import gap_percent
from supply.selectors import current_values
from territories.models import Territory


@dataclass(frozen=True)
class QuotaVsPlan:
    territory: Territory
    quota_units: float
    quota_revenue: float
    plan_units: float
    plan_revenue: float
    budget_units: float
    budget_revenue: float
    gap_pct: float | None  # plan revenue vs quota revenue, in %
    needs_decision: bool
    decision: QuotaGapDecision | None

    @property
    def key(self) -> str:
        return f"quota:{self.territory.pk}"


def threshold() -> float:
    return float(settings.SOP_QUOTA_GAP_PCT)


def quota_vs_plan(cycle: Cycle) -> list[QuotaVsPlan]:
    """One row per territory with a quota in the cycle's horizon (none: no locked quota)."""
    months = selectors.quota_months(cycle.horizon())
    if not months:
        return []
    quota = selectors.quota_by_territory(months)
    plan = _plan_by_territory(cycle, months)
    budget = _budget_by_territory(cycle, months)
    decided = {d.territory_id: d for d in QuotaGapDecision.objects.filter(cycle=cycle)}
    territories = Territory.objects.filter(pk__in=quota).select_related("region")
    rows = []
    for territory in territories:
        q_units, q_revenue = (float(v) for v in quota[territory.pk])
        p_units, p_revenue = plan.get(territory.pk, (0.0, 0.0))
        gap = gap_percent(p_revenue, q_revenue)
        rows.append(
            QuotaVsPlan(
                territory=territory,
                quota_units=q_units,
                quota_revenue=q_revenue,
                plan_units=p_units,
                plan_revenue=p_revenue,
                budget_units=budget.get((territory.pk, MeasureCode.BUDGET_UNITS), 0.0),
                budget_revenue=budget.get((territory.pk, MeasureCode.BUDGET_REVENUE), 0.0),
                gap_pct=gap,
                needs_decision=gap is not None and abs(gap) > threshold(),
                decision=decided.get(territory.pk),
            )
        )
    return rows


def undecided(cycle: Cycle) -> list[QuotaVsPlan]:
    return [row for row in quota_vs_plan(cycle) if row.needs_decision and row.decision is None]


def _plan_by_territory(cycle: Cycle, months) -> dict[int, tuple[float, float]]:
    totals = selectors.consensus_by_territory(cycle, months)
    return {t: (float(u), float(r)) for t, (u, r) in totals.items()}


def _budget_by_territory(cycle: Cycle, months) -> dict[tuple[int, str], float]:
    rows = (
        current_values(cycle)
        .filter(
            measure__in=(MeasureCode.BUDGET_UNITS, MeasureCode.BUDGET_REVENUE), month__in=months
        )
        .values("territory_id", "measure")
        .annotate(total=Sum("value"))
    )
    return {(row["territory_id"], row["measure"]): float(row["total"]) for row in rows}
