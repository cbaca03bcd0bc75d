"""Writes of gap decisions: one gap, or many with one rationale, all or nothing.

Re-exported by reconciliation.services, the app's one write path.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.permissions import ensure_allowed
from audit.services import audit_record
from cycles.models import Cycle
from cycles.plan_services import locked_cycle, refuse_if_released
from cycles.stages import Stage
from products.models import ProductFamily
from reconciliation import selectors
from reconciliation.models import GapDecision
from sop_planner.errors import DomainError


def _in_reconciliation(cycle: Cycle) -> None:
    refuse_if_released(cycle)
    if cycle.stage_enum is not Stage.RECONCILIATION:
        raise DomainError(
            f"{cycle} is in {cycle.stage_enum.label}: gaps are decided in Reconciliation."
        )


@transaction.atomic
def gap_decide(
    *,
    actor,
    cycle_id: int,
    gap_key: str,
    decision: str,
    owner_id: int,
    rationale: str,
    expected_impact: str,
) -> GapDecision:
    """Record (or revise) what the team does about one gap."""
    rows = gap_decide_many(
        actor=actor,
        cycle_id=cycle_id,
        gap_keys=[gap_key],
        decision=decision,
        owner_id=owner_id,
        rationale=rationale,
        expected_impact=expected_impact,
    )
    return rows[0]


@transaction.atomic
def gap_decide_many(
    *,
    actor,
    cycle_id: int,
    gap_keys: list[str],
    decision: str,
    owner_id: int,
    rationale: str,
    expected_impact: str,
) -> list[GapDecision]:
    """Record (or revise) one decision, with one rationale, for several gaps at once.

    Every gap and field is checked before anything is written: all are decided or none.
    """
    ensure_allowed(actor, "gap.decide")
    cycle = locked_cycle(cycle_id)
    _in_reconciliation(cycle)
    chosen = _open_gaps(cycle, gap_keys)
    owner = _decision_checked(decision, owner_id, rationale, expected_impact)
    rows = [
        _decision_write(actor, cycle, gap, decision, owner, rationale, expected_impact)
        for gap in chosen
    ]
    return rows


def _open_gaps(cycle: Cycle, gap_keys: list[str]) -> list:
    """The gaps named by these keys, in the order given; refused if one is not open."""
    if not gap_keys:
        raise DomainError("Choose at least one gap to decide.")
    found = {gap.key: gap for gap in selectors.gaps(cycle)}
    chosen = []
    for key in dict.fromkeys(gap_keys):  # a key sent twice is decided once
        if key not in found:
            raise DomainError(
                f"Nothing was decided: {_gap_words(key)} is not an open gap of {cycle} "
                "(the plan may have changed; reload the gap list)."
            )
        chosen.append(found[key])
    return chosen


def _gap_words(key: str) -> str:
    """A gap key ("shortage:3:2027-01") in words, for a refusal that names it."""
    kind, _sep, rest = key.partition(":")
    family_id, _sep, month = rest.partition(":")
    family = ProductFamily.objects.filter(pk=family_id).first() if family_id.isdigit() else None
    what = {"shortage": "the shortage", "revenue": "revenue below budget"}.get(kind)
    if what is None or family is None or not month:
        return repr(key)
    return f"{what} of {family.name} in {month}"


def _decision_checked(decision: str, owner_id: int, rationale: str, expected_impact: str):
    """The decision's owner, once the decision, rationale and impact are valid."""
    if decision not in GapDecision.Decision.values:
        choices = ", ".join(GapDecision.Decision.values)
        raise DomainError(f"{decision!r} is not a decision; choose one of: {choices}.")
    owner = get_user_model().objects.filter(pk=owner_id, is_active=True).first()
    if owner is None:
        raise DomainError("Name the person who owns this decision.")
    if not rationale.strip() or not expected_impact.strip():
        raise DomainError("A decision needs a rationale and its expected impact.")
    limit = GapDecision._meta.get_field("expected_impact").max_length
    if len(expected_impact.strip()) > limit:
        raise DomainError(
            f"The expected impact is at most {limit} characters (this one has "
            f"{len(expected_impact.strip())}); put the detail in the rationale."
        )
    return owner


def _decision_write(
    actor, cycle: Cycle, gap, decision: str, owner, rationale: str, expected_impact: str
) -> GapDecision:
    row, _created = GapDecision.objects.update_or_create(
        cycle=cycle,
        gap_key=gap.key,
        defaults=dict(
            gap_label=gap.label[:300],
            decision=decision,
            owner=owner,
            rationale=rationale.strip(),
            expected_impact=expected_impact.strip(),
            decided_by=actor,
        ),
    )
    audit_record(
        actor=actor,
        action="gap.decide",
        obj=row,
        after={"gap": gap.label, "decision": decision, "owner": owner.get_username()},
        reason=rationale.strip(),
        cycle_id=cycle.pk,
    )
    return row
