"""Writes of the plan-value store: one figure at a time, and snapshots (versions).

Every measure goes through here, so each later measure is frozen, locked,
versioned and audited the same way. Edits lock the cycle row: a snapshot or a
stage move never interleaves with an edit.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.models import AuditEvent
from audit.services import audit_record_many
from cycles import measures
from cycles.models import Cycle, PlanValue, PlanVersion
from products.models import Product
from sop_planner.errors import Conflict, DomainError, Missing, NotAllowed
from sop_planner.numbers import PLAN_FIGURE, Convention, NotANumber, read_number
from territories.models import Territory


def locked_cycle(cycle_id: int) -> Cycle:
    """The cycle row, locked until the transaction ends (call inside one)."""
    try:
        return Cycle.objects.select_for_update().select_related("owner").get(pk=cycle_id)
    except Cycle.DoesNotExist:
        raise Missing(f"There is no cycle with id {cycle_id}.") from None


def refuse_if_released(cycle: Cycle) -> None:
    if cycle.is_released:
        raise NotAllowed(
            f"{cycle} was released on {cycle.released_at:%Y-%m-%d %H:%M}; "
            "its plan is locked and can never change."
        )


def plan_version_snapshot(*, cycle: Cycle, actor: User | None, label: str) -> PlanVersion:
    """Close the current sequence as a version; later edits start a new sequence.

    The caller holds the cycle row lock (locked_cycle) and saves the cycle. No plan
    value is copied: a version is the sequence number its values were valid at.
    """
    version = PlanVersion.objects.create(
        cycle=cycle,
        seq=cycle.version_seq,
        stage=cycle.stage,
        label=label,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    cycle.version_seq += 1
    return version


def plain(number: Decimal) -> str:
    """120.0000 -> '120', 1.50 -> '1.5': the same text on every database."""
    return format(Decimal(number).normalize(), "f")


def _parse_value(value) -> Decimal:
    """A figure typed on a page or sent to the API, read by the app's one number reader:
    '10,500' is ten thousand five hundred, '10,5' is refused rather than guessed."""
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = read_number(str(value), Convention.DECIMAL_POINT)
        except NotANumber as error:
            raise DomainError(f"{value!r} {error}.") from None
    if not number.is_finite() or number < 0:
        raise DomainError(f"{value} is not allowed: plan figures are 0 or more.")
    refuse_too_large(number, value)
    return number


def refuse_too_large(number: Decimal, value) -> None:
    """Refuse a figure a plan-value column cannot store, naming the bound."""
    if PLAN_FIGURE.too_large(number):
        raise DomainError(f"{value} is too large: plan figures are below {PLAN_FIGURE.bound}.")


def _check_cell(cycle: Cycle, product_id: int, territory_id: int, month: date) -> str:
    if month not in cycle.horizon():
        raise DomainError(f"{month:%Y-%m} is outside the horizon of {cycle}.")
    product = Product.objects.filter(pk=product_id).first()
    territory = Territory.objects.filter(pk=territory_id).first()
    if product is None or territory is None:
        raise DomainError(f"Unknown product {product_id} or territory {territory_id}.")
    return f"{product.sku} in {territory.name}, {month:%Y-%m}"


def _open_measure(cycle: Cycle, code: str) -> measures.Measure:
    """The measure, if it may be entered in the cycle's stage at all."""
    try:
        spec = measures.measure(code)
    except measures.UnknownMeasure as error:
        raise DomainError(error.args[0]) from None
    refuse_if_released(cycle)
    refusal = measures.edit_refusal(spec, cycle.stage_enum)
    if refusal:
        raise NotAllowed(refusal)
    return spec


@transaction.atomic
def plan_value_set(
    *,
    actor: User,
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
    cycle = locked_cycle(cycle_id)
    spec = _open_measure(cycle, measure)
    ensure_allowed(actor, spec.edit_action(cycle.stage_enum), territory_id=territory_id)  # type: ignore[arg-type]  # not None: _open_measure refused a stage that does not edit it
    where = _check_cell(cycle, product_id, territory_id, month)
    number = _parse_value(value)
    key = dict(
        cycle=cycle, measure=measure, product_id=product_id, territory_id=territory_id, month=month
    )
    current = PlanValue.objects.select_for_update().live().filter(**key).first()
    _check_row_version(current, expected_row_version, f"{spec.label} of {where}")
    before = current.value if current else None
    row = _write(cycle, current, key, number, actor)
    cell = (product_id, territory_id, month)
    event = plan_value_event(actor, cycle, measure, cell, before, number, reason, row=row)
    audit_record_many([event])
    return row


def _check_row_version(current: PlanValue | None, expected: int, what: str) -> None:
    have = current.row_version if current else 0
    if have != expected:
        who = current.changed_by if current and current.changed_by else "someone"
        raise Conflict(
            f"{who} changed {what} first (it is now {current.value if current else 'empty'}). "
            "Nothing was overwritten: reload and enter your figure again."
        )


def _write(
    cycle: Cycle, current: PlanValue | None, key: dict, number: Decimal, actor: User
) -> PlanValue:
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


@dataclass(frozen=True)
class CellChange:
    """One figure of a bulk edit, with the row version the user read (0: empty)."""

    product_id: int
    territory_id: int
    month: date
    value: object
    expected_row_version: int

    @property
    def key(self) -> tuple[int, int, date]:
        return (self.product_id, self.territory_id, self.month)


@transaction.atomic
def plan_values_set_many(
    *, actor: User, cycle_id: int, measure: str, changes: list[CellChange], reason: str = ""
) -> int:
    """Enter many figures of one measure at once (a grid save): all or nothing.

    Same rules as plan_value_set; any stale row version refuses the whole save,
    naming the figures someone else changed. Returns how many figures changed.
    """
    cycle = locked_cycle(cycle_id)
    spec = _open_measure(cycle, measure)
    for territory_id in sorted({c.territory_id for c in changes}):
        ensure_allowed(actor, spec.edit_action(cycle.stage_enum), territory_id=territory_id)  # type: ignore[arg-type]  # not None: _open_measure refused a stage that does not edit it
    numbers = _validate_cells(cycle, changes)
    current = _current_rows(cycle, measure, changes)
    _check_row_versions(spec, current, changes)
    before = {key: row.value for key, row in current.items()}
    _write_many(cycle, measure, current, numbers, actor)
    audit_record_many(
        [
            plan_value_event(actor, cycle, measure, key, before.get(key), numbers[key], reason)
            for key in numbers
        ]
    )
    return len(numbers)


def _validate_cells(cycle: Cycle, changes: list[CellChange]) -> dict[tuple, Decimal]:
    keys = [c.key for c in changes]
    if len(set(keys)) != len(keys):
        raise DomainError("The same figure appears twice in one save.")
    horizon = set(cycle.horizon())
    outside = sorted({c.month for c in changes} - horizon)
    if outside:
        raise DomainError(f"{outside[0]:%Y-%m} is outside the horizon of {cycle}.")
    _check_known(Product, {c.product_id for c in changes}, "product")
    _check_known(Territory, {c.territory_id for c in changes}, "territory")
    return {c.key: _parse_value(c.value) for c in changes}


def _check_known(model, ids: set[int], noun: str) -> None:
    missing = ids - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if missing:
        raise DomainError(f"Unknown {noun} {min(missing)}.")


def _current_rows(cycle: Cycle, measure: str, changes: list[CellChange]) -> dict:
    rows = (
        PlanValue.objects.select_for_update()
        .live()
        .filter(
            cycle=cycle,
            measure=measure,
            product_id__in={c.product_id for c in changes},
            territory_id__in={c.territory_id for c in changes},
            month__in={c.month for c in changes},
        )
    )
    wanted = {c.key for c in changes}
    by_key = {(r.product_id, r.territory_id, r.month): r for r in rows}
    return {key: row for key, row in by_key.items() if key in wanted}


def _check_row_versions(spec: measures.Measure, current: dict, changes: list[CellChange]) -> None:
    stale = [
        c
        for c in changes
        if (current[c.key].row_version if c.key in current else 0) != c.expected_row_version
    ]
    if stale:
        first = stale[0]
        raise Conflict(
            f"Someone changed {len(stale)} of these {spec.label} figures first (e.g. product "
            f"{first.product_id}, territory {first.territory_id}, {first.month:%Y-%m}). "
            "Nothing was saved: reload and enter your figures again.",
            items=[f"{c.product_id}/{c.territory_id}/{c.month:%Y-%m}" for c in stale[:50]],
        )


def _write_many(cycle: Cycle, measure: str, current: dict, numbers: dict, actor: User) -> None:
    """In place for rows of the open sequence; close and add for the rest (set-based)."""
    seq = cycle.version_seq
    in_place = [row for row in current.values() if row.valid_from_seq == seq]
    for row in in_place:
        row.value = numbers[(row.product_id, row.territory_id, row.month)]
        row.row_version += 1
        row.changed_by = actor
    PlanValue.objects.bulk_update(
        in_place, ["value", "row_version", "changed_by"], batch_size=2000
    )
    closing = [row for row in current.values() if row.valid_from_seq != seq]
    PlanValue.objects.filter(pk__in=[row.pk for row in closing]).update(valid_to_seq=seq)
    versions = {key: row.row_version for key, row in current.items()}
    fresh = [key for key in numbers if key not in current or current[key].valid_from_seq != seq]
    PlanValue.objects.bulk_create(
        [
            PlanValue(
                cycle=cycle,
                measure=measure,
                product_id=key[0],
                territory_id=key[1],
                month=key[2],
                value=numbers[key],
                valid_from_seq=seq,
                row_version=versions.get(key, 0) + 1,
                changed_by=actor,
            )
            for key in fresh
        ],
        batch_size=2000,
    )


def plan_value_event(
    actor: User,
    cycle: Cycle,
    measure: str,
    key: tuple[int, int, date],
    old: Decimal | None,
    new: Decimal,
    reason: str,
    *,
    row: PlanValue | None = None,
) -> AuditEvent:
    """The audit record (unsaved) of one plan figure entered by a person: before, after, why.

    Every entry path builds it here, so the History reads the same for a single figure and
    for a figure of a grid save; `row` names the stored row when the caller has it.
    """
    product_id, territory_id, month = key
    return AuditEvent(
        actor=actor,
        action="plan.value_set",
        object_type=PlanValue._meta.label,
        object_id=str(row.pk) if row is not None else "",
        object_repr=f"{measure} {product_id}/{territory_id} {month:%Y-%m}",
        before={"value": plain(old)} if old is not None else None,
        after={
            "measure": measure,
            "month": f"{month:%Y-%m}",
            "value": plain(new),
            "stage": cycle.stage,
        },
        reason=reason,
        cycle_id=cycle.pk,
        territory_id=territory_id,
        product_id=product_id,
    )
