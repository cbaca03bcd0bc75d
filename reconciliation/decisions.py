"""Writes of gap decisions: one gap, or many with one rationale, all or nothing.

Re-exported by reconciliation.services, the app's one write path.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.models import AuditEvent
from audit.services import audit_record_many
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
    actor: User,
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
    actor: User,
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
    fields = dict(
        decision=decision,
        owner=owner,
        rationale=rationale.strip(),
        expected_impact=expected_impact.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    rows = _decisions_write(cycle, chosen, fields)
    audit_record_many(
        [_audit_event(actor, cycle, gap, row) for gap, row in zip(chosen, rows, strict=True)]
    )
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
    if len(expected_impact.strip()) > limit:  # type: ignore[operator]  # a CharField has a max_length
        raise DomainError(
            f"The expected impact is at most {limit} characters (this one has "
            f"{len(expected_impact.strip())}); put the detail in the rationale."
        )
    return owner


def _decisions_write(cycle: Cycle, gaps: list, fields: dict) -> list[GapDecision]:
    """New decisions created and earlier ones revised, in a few queries; in the gaps' order."""
    keys = [gap.key for gap in gaps]
    rows = GapDecision.objects.select_for_update().filter(cycle=cycle, gap_key__in=keys)
    existing = {row.gap_key: row for row in rows}
    new: list[GapDecision] = []
    revised: list[GapDecision] = []
    for gap in gaps:
        row = existing.get(gap.key) or GapDecision(cycle=cycle, gap_key=gap.key)
        row.gap_label = gap.label
        for name, value in fields.items():
            setattr(row, name, value)
        (revised if row.pk else new).append(row)
    GapDecision.objects.bulk_create(new)
    GapDecision.objects.bulk_update(revised, ["gap_label", *fields])
    by_key = {row.gap_key: row for row in new + revised}
    return [by_key[key] for key in keys]


def _audit_event(actor: User, cycle: Cycle, gap, row: GapDecision) -> AuditEvent:
    """The same record audit_record writes for one decision: one per gap in the History."""
    return AuditEvent(
        actor=actor,
        action="gap.decide",
        object_type=row._meta.label,
        object_id=str(row.pk),
        object_repr=str(row),
        after={"gap": gap.label, "decision": row.decision, "owner": row.owner.get_username()},
        reason=row.rationale,
        cycle_id=cycle.pk,
    )
