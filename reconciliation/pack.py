"""The executive pre-read: headline KPIs, the 12-month chart of plan vs budget vs last
release, gaps and decisions, escalations, approvals and what changed since the last released
plan. The sign-off page shows it; pack_pdf and pack_xlsx write it (plus the plan) to files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from cycles.models import Cycle, SignOffDecision
from cycles.selectors import plan_values_as_of
from reconciliation import plan_math, selectors
from reconciliation.pack_words import GAP_KIND_WORDS, SIGNOFF_WORDS, decision_words, month_words

KPI_ROWS = (
    ("Volume shipped (units)", "supply", "budget_units"),
    ("Revenue", "revenue", "budget_revenue"),
    ("Margin", "margin", None),
    ("Shortage (units)", "shortage", None),
    ("Closing inventory (units)", "inventory", None),
)
NO_PLAN = "No plan yet for this cycle."


def previous_release(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.filter(status=Cycle.Status.RELEASED, month__lt=cycle.month)
        .order_by("-month")
        .first()
    )


@dataclass(frozen=True)
class VsLast:
    """This plan and the last released one over the calendar months both cover."""

    months: str  # "Nov 2026-Sep 2027"
    now: plan_math.Figures
    last: plan_math.Figures
    now_by_family: list
    last_by_family: list


def vs_last_release(cycle: Cycle, view: dict, last_cycle: Cycle, last_view: dict) -> VsLast | None:
    """The comparison over the same months: a month's shift of the horizon is not a change."""
    shared = sorted(set(cycle.horizon()) & set(last_cycle.horizon()))
    if not shared:
        return None
    now_t, last_t = _indexes(cycle, shared), _indexes(last_cycle, shared)
    return VsLast(
        months=f"{shared[0]:%b %Y}-{shared[-1]:%b %Y}",
        now=plan_math.total_over(view["evaluated"], now_t),
        last=plan_math.total_over(last_view["evaluated"], last_t),
        now_by_family=selectors.by_family(
            plan_math.only_months(view["evaluated"], now_t), view["family_names"]
        ),
        last_by_family=selectors.by_family(
            plan_math.only_months(last_view["evaluated"], last_t), view["family_names"]
        ),
    )


def _indexes(cycle: Cycle, months: list) -> frozenset[int]:
    horizon = cycle.horizon()
    return frozenset(horizon.index(month) for month in months)


def headline(now: plan_math.Figures, vs: VsLast | None) -> list[dict]:
    """Per KPI: the plan and its budget over the horizon; the last release over the same months."""
    rows = []
    for label, field, budget_field in KPI_ROWS:
        value = getattr(now, field)
        budget = getattr(now, budget_field) if budget_field else None
        same = getattr(vs.now, field) if vs else None
        before = getattr(vs.last, field) if vs else None
        rows.append(
            {
                "label": label,
                "value": value,
                "budget": budget,
                "vs_budget": value - budget if budget else None,
                "same": same,
                "last": before,
                "vs_last": same - before if vs else None,
            }
        )
    return rows


def family_changes(vs: VsLast | None) -> list[dict]:
    """Demand and revenue per family over the same months, against the last released plan."""
    if vs is None:
        return []
    before = dict(vs.last_by_family)
    return [
        {
            "family": name,
            "demand": fig.demand,
            "demand_change": fig.demand - before[name].demand if name in before else None,
            "revenue": fig.revenue,
            "revenue_change": fig.revenue - before[name].revenue if name in before else None,
        }
        for name, fig in vs.now_by_family
    ]


def pre_read(cycle: Cycle) -> dict:
    """Everything the sign-off page and the pack show, built from the plan as it stands."""
    last_cycle = previous_release(cycle)
    # released plans' figures are cached under the master data they were computed with
    mark = selectors.master_data_mark() if cycle.is_released or last_cycle else None
    view = selectors.reconciliation(cycle, master_mark=mark)
    has_plan = bool(view["by_family"])
    # without figures of its own the cycle would read as -100% against the last release
    last_view = (
        selectors.reconciliation(last_cycle, master_mark=mark) if last_cycle and has_plan else None
    )
    vs = vs_last_release(cycle, view, last_cycle, last_view) if last_view else None
    data = {
        "has_plan": has_plan,
        "kpis": headline(view["total"], vs) if has_plan else [],
        "last_cycle": last_cycle,
        "same_months": vs.months if vs else "",
        "chart": chart(view, last_view, last_cycle),
        "gaps": view["gaps"],
        "gap_rows": gap_rows(cycle, view["gaps"]),
        "escalations": list(selectors.escalations(cycle)),
        "changes": family_changes(vs),
        "by_month": view["by_month"],
        "signoffs": signoffs(cycle),
    }
    return data | {"headline_header": headline_header(data)}


def pack_data(cycle: Cycle) -> dict:
    """What the pack files hold: the pre-read plus the sales side the sign-off page shows
    beside it, quota vs consensus vs budget per territory and the pipeline coverage (a
    released cycle's as frozen at release; none when it was released before the CRM)."""
    from demand.pipeline_reads import coverage_context
    from quotas.vs_plan import quota_vs_plan

    return pre_read(cycle) | {"quota_rows": quota_vs_plan(cycle), **coverage_context(cycle)}


def coverage_rows(data: dict) -> list[list]:
    """The coverage as rows: territory, month, pipeline, booked, consensus, coverage %, and
    what it means in words."""
    return [
        [row.territory, month, float(c.pipeline), float(c.booked), float(c.consensus),
         None if c.ratio is None else float(c.ratio * 100), _covered_words(c)]
        for row in data.get("coverage", [])
        for month, c in row.months
    ]  # fmt: skip


def _covered_words(c) -> str:
    if c.ratio is None:
        return "no consensus"
    return "not covered" if c.below else "covered"


def quota_rows(data: dict) -> list[list]:
    """Quota vs plan as rows: territory, quota / plan / budget units and revenue, plan vs
    quota %, and the decision (or whether one is needed)."""
    return [
        [str(r.territory), r.quota_units, r.plan_units, r.budget_units, r.quota_revenue,
         r.plan_revenue, r.budget_revenue, r.gap_pct, _quota_words(r)]
        for r in data.get("quota_rows", [])
    ]  # fmt: skip


def _quota_words(r) -> str:
    if r.decision:
        return f"{r.decision.get_decision_display()}: {r.decision.comment}"
    return "needs a decision" if r.needs_decision else "within threshold"


NO_QUOTA = "No approved quota covers this cycle's months."
NO_COVERAGE = "No CRM pipeline was frozen at this plan's release: it was released before the CRM."


def chart(view: dict, last_view: dict | None, last_cycle: Cycle | None) -> dict:
    """Plan, budget and last release per month of the horizon, in revenue and in units.

    The last release is matched by calendar month; the months it did not plan are None
    (a gap in its line, not a zero).
    """
    last = dict(last_view["by_month"]) if last_view else {}
    months = [month for month, _ in view["by_month"]]
    figures = [fig for _, fig in view["by_month"]]
    before = [last.get(month) for month in months]
    return {
        "labels": [month_words(date.fromisoformat(f"{month}-01")) for month in months],
        "revenue": [round(fig.revenue) for fig in figures],
        "budget": [round(fig.budget_revenue) for fig in figures],
        "last_revenue": [round(fig.revenue) if fig else None for fig in before],
        "volume": [round(fig.supply) for fig in figures],
        "budget_units": [round(fig.budget_units) for fig in figures],
        "last_volume": [round(fig.supply) if fig else None for fig in before],
        "last_name": str(last_cycle) if last_view else "",
    }


def gap_rows(cycle: Cycle, gaps: list) -> list[dict]:
    """Each gap over the thresholds and what was decided, in an executive's words."""
    labels = selectors.month_labels(cycle)
    months = cycle.horizon()
    rows = []
    for gap, decision in gaps:
        said = gap.label
        if said.endswith(labels[gap.month]):  # "..., 2027-01" reads "..., Jan 2027"
            said = said.removesuffix(labels[gap.month]) + month_words(months[gap.month])
        rows.append(
            {
                "gap": said,
                "kind": GAP_KIND_WORDS.get(gap.kind, gap.kind),
                "decision": decision_words(decision.decision if decision else None),
                "owner": _full_name(decision.owner) if decision else "",
                "rationale": decision.rationale if decision else "",
                "impact": decision.expected_impact if decision else "",
                "escalated": bool(decision and decision.decision == "escalate"),
            }
        )
    return rows


def signoffs(cycle: Cycle) -> list[dict]:
    """The executives' approvals and rejections, oldest first, with full names."""
    rows = SignOffDecision.objects.filter(cycle=cycle).select_related("decided_by")
    return [
        {
            "who": _full_name(row.decided_by),
            "decision": SIGNOFF_WORDS.get(row.decision, row.decision),
            "when": timezone.localtime(row.decided_at),
            "comment": row.comment,
        }
        for row in rows.order_by("decided_at", "pk")
    ]


def _full_name(user) -> str:
    return user.get_full_name() or user.get_username()


def headline_header(data: dict) -> list[str]:
    """The headline's column titles; the last release's name the months they compare."""
    months = data["same_months"]
    return [
        "KPI",
        "Plan",
        "Budget",
        "vs budget",
        f"Plan, {months}" if months else "Plan, same months",
        f"{data['last_cycle']}, same months" if data["last_cycle"] else "Last release",
        f"vs last release, same months {months}" if months else "vs last release",
    ]


HEADLINE_FIELDS = ("value", "budget", "vs_budget", "same", "last", "vs_last")


def plan_rows_query(cycle: Cycle, *, measure: str | None = None) -> QuerySet:
    """The plan's figures as it stands (as released, once released), in a stable order."""
    rows = plan_values_as_of(cycle, cycle.version_seq)
    if measure:
        rows = rows.filter(measure=measure)
    return rows.order_by("measure", "product__sku", "territory__code", "month", "pk")


def plan_rows(cycle: Cycle):
    """Every figure of the plan as it stands, as [measure, sku, territory, month, value]."""
    rows = plan_rows_query(cycle).values_list(
        "measure", "product__sku", "territory__code", "month", "value"
    )
    for measure, sku, territory, month, value in rows.iterator(chunk_size=5000):
        yield [measure, sku, territory, f"{month:%Y-%m}", float(value)]


def plan_row_count(cycle: Cycle) -> int:
    return plan_values_as_of(cycle, cycle.version_seq).count()
