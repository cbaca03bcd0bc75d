"""Writes of carry-forward: propose last month's inputs to a new cycle, and confirm them.

Proposing runs inside the transaction that opens the cycle (the cycle-open
hook). Confirming is one action per proposal (one family's supply inputs or
budget, one promotion or launch) or per kind; it writes through the plan store
(or demand's event service) and leaves an audit record.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.typing import User
from audit.services import audit_record
from carryforward import rules, selectors
from carryforward.models import Proposal, ProposedFigure
from cycles.calendar import add_months
from cycles.hooks import on_cycle_open
from cycles.models import Cycle
from cycles.plan_bulk import plan_values_write_many
from cycles.plan_services import locked_cycle
from cycles.selectors import plan_values_live
from demand.events import event_save
from demand.models import DemandEvent
from products.models import Product
from sop_planner.errors import DomainError, NotAllowed


@on_cycle_open
def proposals_create(*, cycle: Cycle) -> list[Proposal]:
    """Propose the last released cycle's supply inputs, budget and open events to `cycle`."""
    source = selectors.last_released(cycle)
    if source is None:
        return []
    horizon = cycle.horizon()
    proposals = [
        *_figure_proposals(cycle, source, Proposal.Kind.SUPPLY, rules.SUPPLY_MEASURES, horizon),
        *_figure_proposals(cycle, source, Proposal.Kind.BUDGET, rules.BUDGET_MEASURES, horizon),
        *_event_proposals(cycle, source),
    ]
    audit_record(
        actor=None,
        action="carry.propose",
        obj=cycle,
        after={"from": str(source), "proposals": [str(p) for p in proposals]},
        cycle_id=cycle.pk,
    )
    return proposals


def _figure_proposals(cycle, source, kind, measure_codes, horizon) -> list[Proposal]:
    rows = plan_values_live(source, *measure_codes)
    figures = [
        rules.Figure(r.measure, r.product_id, r.territory_id, r.month, r.value) for r in rows
    ]
    figures = rules.carried(figures, horizon, extend=kind == Proposal.Kind.SUPPLY)
    family_of = dict(Product.objects.values_list("pk", "family_id"))
    by_family: dict[int, list[rules.Figure]] = {}
    for figure in figures:
        by_family.setdefault(family_of[figure.product_id], []).append(figure)
    proposals = []
    for family_id, family_figures in sorted(by_family.items()):
        proposal = Proposal.objects.create(
            cycle=cycle, source=source, kind=kind, family_id=family_id
        )
        ProposedFigure.objects.bulk_create(
            ProposedFigure(
                proposal=proposal,
                measure=f.measure,
                product_id=f.product_id,
                territory_id=f.territory_id,
                month=f.month,
                value=f.value,  # type: ignore[misc]  # rules.Figure holds any measure's value: a Decimal here
            )
            for f in family_figures
        )
        proposals.append(proposal)
    return proposals


def _event_proposals(cycle: Cycle, source: Cycle) -> list[Proposal]:
    events = DemandEvent.objects.filter(cycle=source).order_by("first_month", "pk")
    return [
        Proposal.objects.create(cycle=cycle, source=source, kind=Proposal.Kind.EVENT, event=e)
        for e in events
        if rules.event_is_open(e.last_month, cycle.month)
    ]


@transaction.atomic
def proposal_confirm(*, actor: User, proposal_id: int) -> Proposal:
    """The input's owner makes a proposal the cycle's own (their own figures are kept)."""
    cycle_id = Proposal.objects.filter(pk=proposal_id).values_list("cycle_id", flat=True).first()
    if cycle_id is None:
        raise DomainError(f"There is no proposal with id {proposal_id}.")
    cycle = locked_cycle(cycle_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    refusal = selectors.confirm_refusal(actor, proposal, cycle)
    if refusal:
        raise NotAllowed(refusal)
    written = _confirm_event(actor, proposal) if proposal.event_id else _write(actor, proposal)
    proposal.confirmed_by, proposal.confirmed_at = actor, timezone.now()
    proposal.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        action="carry.confirm",
        obj=proposal,
        after={"proposal": str(proposal), "figures_written": written},
        cycle_id=cycle.pk,
    )
    return proposal


@transaction.atomic
def proposals_confirm_kind(*, actor: User, cycle_id: int, kind: str) -> list[Proposal]:
    """Confirm every pending proposal of one kind that this user may confirm, in one action."""
    if kind not in Proposal.Kind.values:
        raise DomainError(f"{kind!r} is not something carried forward.")
    cycle = locked_cycle(cycle_id)
    pending = selectors.pending(cycle).filter(kind=kind)
    mine = [p for p in pending if selectors.confirm_refusal(actor, p, cycle) is None]
    if not mine:
        label = Proposal.Kind(kind).label.lower()
        first = selectors.confirm_refusal(actor, pending[0], cycle) if pending else None
        raise NotAllowed(first or f"No {label} of {cycle} is waiting for confirmation.")
    return [proposal_confirm(actor=actor, proposal_id=p.pk) for p in mine]


def _write(actor: User, proposal: Proposal) -> int:
    """Write the proposed figures into every cell the owner has not filled in."""
    written = 0
    by_measure: dict[str, dict] = {}
    for f in proposal.figures.all():
        by_measure.setdefault(f.measure, {})[(f.product_id, f.territory_id, f.month)] = f.value
    for measure, values in sorted(by_measure.items()):
        taken = _filled(proposal.cycle, measure, values)
        fresh = {key: value for key, value in values.items() if key not in taken}
        written += plan_values_write_many(
            cycle=proposal.cycle, measure=measure, values=fresh, actor=actor
        ).written
    return written


def _filled(cycle: Cycle, measure: str, values: dict) -> set:
    rows = (
        plan_values_live(cycle, measure)
        .filter(
            product_id__in={key[0] for key in values},
            month__in={key[2] for key in values},
        )
        .values_list("product_id", "territory_id", "month")
    )
    return set(rows)


def _confirm_event(actor: User, proposal: Proposal) -> int:
    """Copy the promotion or launch into the new cycle, from its first month in the horizon."""
    old, month = proposal.event, proposal.cycle.month
    assert old is not None, "called for an event's proposal only"
    skipped = _months_between(old.first_month, month)
    copy = DemandEvent(
        kind=old.kind,
        name=old.name,
        family_id=old.family_id,
        product_id=old.product_id,
        first_month=max(old.first_month, month),
        last_month=old.last_month,
        uplift_percent=old.uplift_percent,
        uplift_units=old.uplift_units,
        dip_percent=old.dip_percent,
        like_product_id=old.like_product_id,
        scale=old.scale,
        ramp=(old.ramp or [])[skipped:],
    )
    territories = list(old.territories.values_list("pk", flat=True))
    event_save(actor=actor, cycle_id=proposal.cycle_id, event=copy, territory_ids=territories)
    return 1


def _months_between(first: date, later: date) -> int:
    months = 0
    while add_months(first, months) < later:
        months += 1
    return months
