"""Promotions, launches and phase-outs: the plan's events measure, and the consensus after it.

An event is stored as a record; its effect on each leaf cell is recomputed from
all events of the affected products, so deleting or changing one never leaves
a stale figure behind:
- a promotion adds uplift_percent of the baseline, plus uplift_units per month
  spread over its cells by the baseline; an optional dip (percent of the
  baseline) follows in the month after it ends;
- a launch gives a SKU with no history the like-item's baseline x scale x ramp
  (ramp[i] for the i-th month from the launch; 1 after the ramp);
- a phase-out takes the whole baseline away from its first month on (demand 0).
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record
from cycles.calendar import add_months
from cycles.measures import MeasureCode
from cycles.models import Cycle, PlanValue
from cycles.plan_bulk import Key, plan_values_write_many
from demand.baseline import consensus_recompute
from demand.disaggregation import spread_total
from demand.models import DemandEvent
from demand.plan_arith import consensus_of
from demand.rollup import families_of, rollup_refresh
from demand.services import _editable_cycle, ensure_may_edit
from products.models import Product
from sop_planner.errors import DomainError, Missing
from territories.selectors import active_territories

FOUR = Decimal("0.0001")


@transaction.atomic
def event_save(
    *, actor: User, cycle_id: int, event: DemandEvent, territory_ids: list[int]
) -> DemandEvent:
    """Add a promotion, launch or phase-out (territory_ids empty: every active territory)."""
    cycle = _editable_cycle(cycle_id)
    territories = territory_ids or list(active_territories().values_list("pk", flat=True))
    ensure_may_edit(actor, cycle, territories)
    _validate(cycle, event)
    event.cycle, event.created_by = cycle, actor
    event.save()
    event.territories.set(territories)
    _apply(cycle, event_products(event), territories, actor)
    audit_record(
        actor=actor,
        action="demand.event_save",
        obj=event,
        after={"kind": event.kind, "name": event.name, "territories": len(territories)},
        cycle_id=cycle.pk,
    )
    return event


@transaction.atomic
def event_delete(*, actor: User, event_id: int) -> None:
    event = DemandEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise Missing(f"There is no event with id {event_id}.")
    cycle = _editable_cycle(event.cycle_id)
    territories = list(event.territories.values_list("pk", flat=True))
    ensure_may_edit(actor, cycle, territories)
    products = event_products(event)
    audit_record(
        actor=actor,
        action="demand.event_delete",
        obj=event,
        before={"kind": event.kind, "name": event.name},
        cycle_id=cycle.pk,
    )
    event.delete()
    _apply(cycle, products, territories, actor)


def event_withdraw(*, actor: User, cycle: Cycle, event_id: int, reason: str) -> None:
    """Take an event out of the plan after demand planning (a promoted scenario said so).

    The caller has locked the cycle and checked its stage; the actor must be one who may
    promote a scenario into the plan. The events measure, the consensus and the rollup
    are recomputed as event_delete does.
    """
    ensure_allowed(actor, "scenario.promote")
    event = DemandEvent.objects.filter(pk=event_id, cycle=cycle).first()
    if event is None:
        raise DomainError(f"The event with id {event_id} is no longer in {cycle}.")
    territories = list(event.territories.values_list("pk", flat=True))
    products = event_products(event)
    audit_record(
        actor=actor,
        action="demand.event_delete",
        obj=event,
        before={"kind": event.kind, "name": event.name},
        reason=reason,
        cycle_id=cycle.pk,
    )
    event.delete()
    _apply(cycle, products, territories, actor)


def event_contribution(cycle: Cycle, event: DemandEvent) -> dict[Key, Decimal]:
    """Key -> how much consensus this event adds (negative: takes away) on each cell.

    Consensus is composed with and without the event by demand.plan_arith (the
    rule consensus_recompute applies): events sit on top of an override too.
    Nothing is written.
    """
    products = event_products(event)
    places = list(event.territories.values_list("pk", flat=True))
    with_it = events_effect(cycle, products, places)
    without = events_effect(cycle, products, places, exclude_event_id=event.pk)
    fixed = _current(cycle, MeasureCode.OVERRIDE, products, places)
    baseline = _current(cycle, MeasureCode.BASELINE, products, places)
    out = {}
    for key in set(with_it) | set(without):
        cell_baseline, cell_override = baseline.get(key), fixed.get(key)
        now = consensus_of(baseline=cell_baseline, events=with_it.get(key), override=cell_override)
        then = consensus_of(
            baseline=cell_baseline, events=without.get(key), override=cell_override
        )
        if now != then:
            out[key] = now - then
    return out


def _current(cycle: Cycle, measure: str, products, places) -> dict[Key, Decimal]:
    rows = (
        PlanValue.objects.live()
        .filter(
            cycle=cycle,
            measure=measure,
            product_id__in=products,
            territory_id__in=places,
        )
        .values_list("product_id", "territory_id", "month", "value")
    )
    return {(p, t, m): v for p, t, m, v in rows}


def _validate(cycle: Cycle, event: DemandEvent) -> None:
    horizon = cycle.horizon()
    if event.first_month not in horizon:
        raise DomainError(f"{event.first_month:%Y-%m} is outside the horizon of {cycle}.")
    if event.last_month and event.last_month < event.first_month:
        raise DomainError("The event ends before it starts.")
    if not event.name.strip():
        raise DomainError("Give the event a name.")
    kind = DemandEvent.Kind
    if event.kind == kind.PROMOTION and not (event.family_id or event.product_id):
        raise DomainError("A promotion needs a product or a family.")
    if event.kind == kind.PROMOTION and not (event.uplift_percent or event.uplift_units):
        raise DomainError("A promotion needs an uplift, in percent or in units.")
    if event.kind == kind.LAUNCH and not (event.product_id and event.like_product_id):
        raise DomainError("A launch needs the new SKU and a like-item (an existing SKU).")
    if event.kind == kind.PHASE_OUT and not (event.product_id or event.family_id):
        raise DomainError("A phase-out needs a product or a family.")
    if any(not 0 <= float(share) <= 10 for share in event.ramp or []):
        raise DomainError("A ramp is a list of shares per month, e.g. [0.25, 0.5, 0.75].")


def event_products(event: DemandEvent) -> list[int]:
    if event.product_id:
        return [event.product_id]
    return list(Product.objects.filter(family_id=event.family_id).values_list("pk", flat=True))


def _apply(cycle: Cycle, product_ids: list[int], territory_ids: list[int], actor: User) -> None:
    """Recompute the events measure of these series from every event, then their consensus."""
    values = events_effect(cycle, product_ids, territory_ids)
    existing = (
        PlanValue.objects.live()
        .filter(
            cycle=cycle,
            measure=MeasureCode.EVENTS,
            product_id__in=product_ids,
            territory_id__in=territory_ids,
        )
        .values_list("product_id", "territory_id", "month")
    )
    for key in existing:
        values.setdefault(key, Decimal(0))
    plan_values_write_many(cycle=cycle, measure=MeasureCode.EVENTS, values=values, actor=actor)
    consensus_recompute(
        cycle=cycle, actor_id=actor.pk, product_ids=product_ids, territory_ids=territory_ids
    )
    rollup_refresh(cycle=cycle, family_ids=families_of(product_ids), territory_ids=territory_ids)


def events_effect(
    cycle: Cycle,
    product_ids: list[int],
    territory_ids: list[int],
    exclude_event_id: int | None = None,
) -> dict:
    """Key -> the sum of every event's effect on these series (bar one, to see its share)."""
    events = (
        DemandEvent.objects.filter(cycle=cycle)
        .exclude(pk=exclude_event_id)  # type: ignore[misc]  # pk=None leaves no event out, as meant
        .prefetch_related("territories")
        .order_by("kind", "pk")
    )
    effect: dict[Key, Decimal] = defaultdict(Decimal)
    wanted_p, wanted_t = set(product_ids), set(territory_ids)
    phase_outs = []
    for event in events:
        products = set(event_products(event)) & wanted_p
        places = {t.pk for t in event.territories.all()} & wanted_t
        if not products or not places:
            continue
        if event.kind == DemandEvent.Kind.PHASE_OUT:
            phase_outs.append((event, products, places))
            continue
        baseline = _baseline(cycle, products | {event.like_product_id or 0}, places)
        for key, number in _effect(cycle, event, products, places, baseline).items():
            effect[key] += number
    for event, products, places in phase_outs:
        baseline = _baseline(cycle, products, places)
        for p in products:
            for t in places:
                for m in [m for m in cycle.horizon() if m >= event.first_month]:
                    effect[(p, t, m)] = -baseline.get((p, t, m), Decimal(0))
    return {key: number.quantize(FOUR) for key, number in effect.items()}


def _baseline(cycle: Cycle, products: set[int], places: set[int]) -> dict[Key, Decimal]:
    return _current(cycle, MeasureCode.BASELINE, products, places)


def _months(cycle: Cycle, first: date, last: date | None) -> list[date]:
    return [m for m in cycle.horizon() if first <= m <= (last or first)]


def _effect(cycle, event, products, places, baseline) -> dict[Key, Decimal]:
    if event.kind == DemandEvent.Kind.LAUNCH:
        return _launch(cycle, event, places, baseline)
    out: dict[Key, Decimal] = defaultdict(Decimal)
    cells = sorted((p, t) for p in products for t in places)
    for month in _months(cycle, event.first_month, event.last_month):
        weights = [float(baseline.get((p, t, month), 0)) for p, t in cells]
        units = spread_total(weights, int(event.uplift_units)) if event.uplift_units > 0 else []
        for index, (p, t) in enumerate(cells):
            uplift = baseline.get((p, t, month), Decimal(0)) * event.uplift_percent / 100
            out[(p, t, month)] += uplift + (Decimal(units[index]) if units else 0)
    dip = add_months(event.last_month or event.first_month, 1)
    if event.dip_percent and dip in cycle.horizon():
        for p, t in cells:
            out[(p, t, dip)] -= baseline.get((p, t, dip), Decimal(0)) * event.dip_percent / 100
    return out


def _launch(cycle, event, places, baseline) -> dict[Key, Decimal]:
    out: dict[Key, Decimal] = {}
    months = [m for m in cycle.horizon() if m >= event.first_month]
    for index, month in enumerate(months):
        share = Decimal(str(event.ramp[index])) if index < len(event.ramp) else Decimal(1)
        for t in places:
            like = baseline.get((event.like_product_id, t, month), Decimal(0))
            out[(event.product_id, t, month)] = like * event.scale * share
    return out
