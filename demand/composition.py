"""Reads the composition of one grid cell (any level, one month): baseline, overrides, events.

The side panel shows it in words, so a planner sees why a figure is what it is.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q

from cycles.calendar import add_months
from cycles.models import Cycle, PlanValue
from demand import plan_arith, wording
from demand.models import DemandEvent
from demand.scope import Scope
from demand.selectors import scope_filter
from products.models import Product

PARTS = ("baseline", "events", "override", "consensus")


def cell_composition(cycle: Cycle, scope: Scope, month: date) -> dict:
    """Sums of the leaf cells under the level, and the sentence that explains them."""
    leaves = _leaves(cycle, scope, month)
    totals = defaultdict(Decimal)
    for cell in leaves.values():
        parts = plan_arith.composition(
            baseline=cell.get("baseline"), events=cell.get("events"), override=cell.get("override")
        )
        totals["baseline"] += parts["baseline"] or 0
        totals["events"] += parts["events"]
        totals["pre_event"] += (
            parts["override"] if parts["override"] is not None else (parts["baseline"] or 0)
        )
        totals["consensus"] += cell.get("consensus", Decimal(0))
    names = [_event_name(e) for e in _events(cycle, leaves, month)]
    figures = {k: float(totals[k]) for k in ("baseline", "pre_event", "events", "consensus")}
    return {
        "month": f"{month:%Y-%m}",
        **figures,
        "overridden_cells": sum(1 for c in leaves.values() if "override" in c),
        "events_applied": names,
        "words": wording.composition_words(**figures, event_names=names),
    }


def _leaves(cycle: Cycle, scope: Scope, month: date) -> dict:
    rows = (
        PlanValue.objects.live()
        .filter(
            cycle=cycle,
            month=month,
            measure__in=PARTS,
            territory__is_active=True,
        )
        .filter(scope_filter(scope))
        .values_list("product_id", "territory_id", "measure", "value")
    )
    leaves: dict = defaultdict(dict)
    for product, territory, measure, value in rows:
        leaves[(product, territory)][measure] = value
    return leaves


def _events(cycle: Cycle, leaves: dict, month: date) -> list[DemandEvent]:
    """The cycle's events that move a leaf of this level in this month (a dip: the month after)."""
    moved = {key for key, cell in leaves.items() if cell.get("events")}
    if not moved:
        return []
    candidates = DemandEvent.objects.filter(cycle=cycle, first_month__lte=month).filter(
        Q(last_month__isnull=True) | Q(last_month__gte=add_months(month, -1))
    )
    products = {p for p, _t in moved}
    return [
        event
        for event in candidates.select_related("product").prefetch_related("territories")
        if _covers(event, moved, products)
    ]


def _covers(event: DemandEvent, moved: set, products: set) -> bool:
    if event.product_id:
        chosen = {event.product_id}
    else:
        chosen = set(
            Product.objects.filter(family_id=event.family_id, pk__in=products).values_list(
                "pk", flat=True
            )
        )
    places = {t.pk for t in event.territories.all()}
    return any(p in chosen and (not places or t in places) for p, t in moved)


def _event_name(event: DemandEvent) -> str:
    return wording.event_note(kind=event.kind, name=event.name)
