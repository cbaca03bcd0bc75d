"""Writes of decisions on gaps between quota and plan (re-exported by quotas.services)."""

from django.db import transaction
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record
from cycles.plan_services import locked_cycle
from quotas.models import QuotaGapDecision
from sop_planner.errors import DomainError
from territories.models import Territory


@transaction.atomic
def quota_gap_decide(
    *, actor: User, cycle_id: int, territory_id: int, decision: str, comment: str
) -> QuotaGapDecision:
    """Record (or revise) what the team does about a territory's plan against its quota."""
    cycle = locked_cycle(cycle_id)
    ensure_allowed(actor, "quota_gap.decide", cycle)
    from quotas.vs_plan import quota_vs_plan

    territory = Territory.objects.filter(pk=territory_id).first()
    if territory is None:
        raise DomainError(f"There is no territory with id {territory_id}.")
    row = next((r for r in quota_vs_plan(cycle) if r.territory.pk == territory_id), None)
    if row is None or not row.needs_decision:
        raise DomainError(f"{territory} has no gap between quota and plan to decide in {cycle}.")
    if decision not in QuotaGapDecision.Decision.values:
        choices = ", ".join(QuotaGapDecision.Decision.values)
        raise DomainError(f"{decision!r} is not a decision; choose one of: {choices}.")
    if not comment.strip():
        raise DomainError("A decision on a quota gap needs a comment saying why.")
    stored, _created = QuotaGapDecision.objects.update_or_create(
        cycle=cycle,
        territory=territory,
        defaults={
            "decision": decision,
            "comment": comment.strip(),
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="quota_gap.decide",
        obj=stored,
        after={"decision": decision, "gap_pct": round(row.gap_pct or 0, 2)},
        reason=comment.strip(),
        cycle_id=cycle.pk,
        territory_id=territory.pk,
    )
    return stored
