"""Writes of the plan-value store: one figure at a time, and snapshots (versions).

Every measure goes through here, so each later measure is frozen, locked,
versioned and audited the same way. Edits lock the cycle row: a snapshot or a
stage move never interleaves with an edit.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from accounts.permissions import ensure_allowed
from audit.services import audit_record
from cycles import measures
from cycles.models import Cycle, PlanValue, PlanVersion
from products.models import Product
from sop_planner.errors import Conflict, DomainError, NotAllowed
from territories.models import Territory


def locked_cycle(cycle_id: int) -> Cycle:
    """The cycle row, locked until the transaction ends (call inside one)."""
    try:
        return Cycle.objects.select_for_update().select_related("owner").get(pk=cycle_id)
    except Cycle.DoesNotExist:
        raise DomainError(f"There is no cycle with id {cycle_id}.") from None


def refuse_if_released(cycle: Cycle) -> None:
    if cycle.is_released:
        raise NotAllowed(
            f"{cycle} was released on {cycle.released_at:%Y-%m-%d %H:%M}; "
            "its plan is locked and can never change."
        )


def plan_version_snapshot(*, cycle: Cycle, actor, label: str) -> PlanVersion:
    """Close the current sequence as a version; later edits start a new sequence.

    The caller holds the cycle row lock (locked_cycle) and saves the cycle. No plan
    value is copied: a version is the sequence number its values were valid at.
    """
    version = PlanVersion.objects.create(
        cycle=cycle,
        seq=cycle.version_seq,
        stage=cycle.stage,
        label=label[:120],
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    cycle.version_seq += 1
    return version


def plain(number: Decimal) -> str:
    """120.0000 -> '120', 1.50 -> '1.5': the same text on every database."""
    return format(Decimal(number).normalize(), "f")


def _parse_value(value) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{value!r} is not a number.") from None
    if not number.is_finite() or number < 0:
        raise DomainError(f"{value} is not allowed: plan figures are 0 or more.")
    return number


def _check_cell(cycle: Cycle, product_id: int, territory_id: int, month: date) -> str:
    if month not in cycle.horizon():
        raise DomainError(f"{month:%Y-%m} is outside the horizon of {cycle}.")
    product = Product.objects.filter(pk=product_id).first()
    territory = Territory.objects.filter(pk=territory_id).first()
    if product is None or territory is None:
        raise DomainError(f"Unknown product {product_id} or territory {territory_id}.")
    return f"{product.sku} in {territory.name}, {month:%Y-%m}"


@transaction.atomic
def plan_value_set(
    *,
    actor,
    cycle_id: int,
    measure: str,
    product_id: int,
    territory_id: int,
    month: date,
    value,
    expected_row_version: int,
    reason: str = "",
) -> PlanValue:
    """Enter one figure. `expected_row_version` is the version the user saw (0: empty).

    Refused when the measure is computed or frozen in this stage, the territory is
    not the user's, the cycle is released, or someone changed the figure first.
    """
    try:
        spec = measures.measure(measure)
    except measures.UnknownMeasure as error:
        raise DomainError(error.args[0]) from None
    cycle = locked_cycle(cycle_id)
    refuse_if_released(cycle)
    refusal = measures.edit_refusal(spec, cycle.stage_enum)
    if refusal:
        raise NotAllowed(refusal)
    ensure_allowed(actor, spec.edit_action(cycle.stage_enum), territory_id=territory_id)
    where = _check_cell(cycle, product_id, territory_id, month)
    number = _parse_value(value)
    key = dict(
        cycle=cycle, measure=measure, product_id=product_id, territory_id=territory_id, month=month
    )
    current = PlanValue.objects.select_for_update().filter(**key, valid_to_seq=None).first()
    _check_row_version(current, expected_row_version, f"{spec.label} of {where}")
    before = {"value": plain(current.value)} if current else None
    row = _write(cycle, current, key, number, actor)
    audit_record(
        actor=actor,
        action="plan.value_set",
        obj=row,
        before=before,
        after={
            "measure": measure,
            "month": f"{month:%Y-%m}",
            "value": plain(number),
            "stage": cycle.stage,
        },
        reason=reason,
        cycle_id=cycle.pk,
        territory_id=territory_id,
        product_id=product_id,
    )
    return row


def _check_row_version(current: PlanValue | None, expected: int, what: str) -> None:
    have = current.row_version if current else 0
    if have != expected:
        who = current.changed_by if current and current.changed_by else "someone"
        raise Conflict(
            f"{who} changed {what} first (it is now {current.value if current else 'empty'}). "
            "Nothing was overwritten: reload and enter your figure again."
        )


def _write(cycle: Cycle, current: PlanValue | None, key: dict, number: Decimal, actor):
    """Edit in place within the open sequence; otherwise close the old row and add one."""
    if current is not None and current.valid_from_seq == cycle.version_seq:
        current.value, current.changed_by = number, actor
        current.row_version += 1
        current.save(update_fields=["value", "changed_by", "row_version", "changed_at"])
        return current
    if current is not None:
        current.valid_to_seq = cycle.version_seq
        current.save(update_fields=["valid_to_seq"])
    return PlanValue.objects.create(
        **key,
        value=number,
        valid_from_seq=cycle.version_seq,
        row_version=(current.row_version + 1) if current else 1,
        changed_by=actor,
    )
