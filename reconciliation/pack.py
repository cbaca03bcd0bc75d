"""The executive pre-read: headline KPIs, the 12-month chart, gaps, escalations and what
changed since the last released plan; and the same pack (plus the plan) as an XLSX."""

from __future__ import annotations

from dataclasses import asdict
from io import BytesIO
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from cycles.measures import MEASURES
from cycles.models import Cycle
from cycles.selectors import plan_values_as_of
from reconciliation import plan_math, selectors
from sop_planner.spreadsheet import xlsx_row

if TYPE_CHECKING:
    from openpyxl import Workbook

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


def headline(cycle: Cycle, now: plan_math.Figures, last: plan_math.Figures | None) -> list[dict]:
    rows = []
    for label, field, budget_field in KPI_ROWS:
        value = getattr(now, field)
        budget = getattr(now, budget_field) if budget_field else None
        before = getattr(last, field) if last else None
        rows.append(
            {
                "label": label,
                "value": value,
                "budget": budget,
                "vs_budget": value - budget if budget else None,
                "last": before,
                "vs_last": value - before if before is not None else None,
            }
        )
    return rows


def family_changes(now: list, last: list | None) -> list[dict]:
    """Demand and revenue per family (by_family rows) now vs the last released plan."""
    if last is None:
        return []
    before = dict(last)
    return [
        {
            "family": name,
            "demand": fig.demand,
            "demand_change": fig.demand - before[name].demand if name in before else None,
            "revenue": fig.revenue,
            "revenue_change": fig.revenue - before[name].revenue if name in before else None,
        }
        for name, fig in now
    ]


def pre_read(cycle: Cycle) -> dict:
    """Everything the sign-off page shows, built from the plan as it stands."""
    view = selectors.reconciliation(cycle)
    last_cycle = previous_release(cycle)
    has_plan = bool(view["by_family"])
    # without figures of its own the cycle would read as -100% against the last release
    last_view = selectors.reconciliation(last_cycle) if last_cycle and has_plan else None
    return {
        "has_plan": has_plan,
        "kpis": headline(cycle, view["total"], last_view["total"] if last_view else None)
        if has_plan
        else [],
        "last_cycle": last_cycle,
        "chart": {
            "labels": [label for label, _ in view["by_month"]],
            "revenue": [round(fig.revenue) for _, fig in view["by_month"]],
            "budget": [round(fig.budget_revenue) for _, fig in view["by_month"]],
            "volume": [round(fig.supply) for _, fig in view["by_month"]],
        },
        "gaps": view["gaps"],
        "escalations": list(selectors.escalations(cycle)),
        "changes": family_changes(
            view["by_family"], last_view["by_family"] if last_view else None
        ),
        "by_month": view["by_month"],
    }


def _sheet(book: Workbook, title: str, header: list[str], rows) -> None:
    sheet = book.create_sheet(title)
    sheet.append(xlsx_row(sheet, header))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))


def pack_workbook(cycle: Cycle) -> bytes:
    """The pre-read and the plan's figures (as they stand, or as released) in one workbook."""
    data = pre_read(cycle)
    from openpyxl import Workbook  # here: the pre-read page needs no openpyxl

    book = Workbook(write_only=True)
    headline_rows = [
        [
            r["label"],
            *(_cell(r[key]) for key in ("value", "budget", "vs_budget", "last", "vs_last")),
        ]
        for r in data["kpis"]
    ]
    _sheet(
        book,
        "Headline",
        ["KPI", "Plan", "Budget", "vs budget", "Last release", "vs last release"],
        headline_rows or [[NO_PLAN]],
    )
    by_month = data["by_month"]
    fields = list(asdict(plan_math.Figures()))
    _sheet(
        book,
        "By month",
        ["Month", *(_heading(field) for field in fields)],
        ([m, *map(_cell, asdict(f).values())] for m, f in by_month),
    )
    _sheet(
        book,
        "Gaps and decisions",
        ["Gap", "Decision", "Owner", "Rationale", "Expected impact"],
        (
            [
                gap.label,
                d.get_decision_display() if d else "",
                str(d.owner) if d else "",
                d.rationale if d else "",
                d.expected_impact if d else "",
            ]
            for gap, d in data["gaps"]
        ),
    )
    _sheet(
        book,
        "Plan",
        ["Measure", "SKU", "Territory", "Month", "Value"],
        ([MEASURES[code].label, *rest] for code, *rest in plan_rows(cycle)),
    )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _heading(field: str) -> str:
    """A figure's field name as a column heading: budget_units -> Budget units."""
    return field.replace("_", " ").capitalize()


def _cell(value):
    """Numbers to the cent: sums of floats carry noise like 1460632.939000001."""
    return round(value, 2) if isinstance(value, float) else value


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
