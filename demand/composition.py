"""Reads the composition of one grid cell (any level, one month): baseline, overrides, events.

The side panel shows it in words, so a planner sees why a figure is what it is.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q

from cycles.calendar import add_months
from cycles.measures import MeasureCode
from cycles.models import Cycle, PlanValue
from demand import plan_arith, wording
from demand.models import DemandEvent
from demand.scope import Scope
from demand.selectors import scope_filter
from products.models import Product

PARTS = (MeasureCode.BASELINE, MeasureCode.EVENTS, MeasureCode.OVERRIDE, MeasureCode.CONSENSUS)


def cell_composition(cycle: Cycle, scope: Scope, month: date) -> dict:
    """Sums of the leaf cells under the level, and the sentence that explains them."""
    leaves = _leaves(cycle, scope, month)
    totals = defaultdict(Decimal)
    for cell in leaves.values():
        parts = plan_arith.composition(
            baseline=cell.get(MeasureCode.BASELINE),
            events=cell.get(MeasureCode.EVENTS),
            override=cell.get(MeasureCode.OVERRIDE),
        )
        totals[MeasureCode.BASELINE] += parts[MeasureCode.BASELINE] or 0
        totals[MeasureCode.EVENTS] += parts[MeasureCode.EVENTS]
        totals["pre_event"] += (
            parts[MeasureCode.OVERRIDE]
            if parts[MeasureCode.OVERRIDE] is not None
            else (parts[MeasureCode.BASELINE] or 0)
        )
        totals[MeasureCode.CONSENSUS] += cell.get(MeasureCode.CONSENSUS, Decimal(0))
    names = [_event_name(e) for e in _events(cycle, leaves, month)]
    figures = {
        k: float(totals[k])
        for k in (MeasureCode.BASELINE, "pre_event", MeasureCode.EVENTS, MeasureCode.CONSENSUS)
    }
    return {
        "month": f"{month:%Y-%m}",
        **figures,
        "overridden_cells": sum(1 for c in leaves.values() if MeasureCode.OVERRIDE in c),
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
    moved = {key for key, cell in leaves.items() if cell.get(MeasureCode.EVENTS)}
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
