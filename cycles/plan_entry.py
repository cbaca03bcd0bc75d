"""One plan figure entered through the generic API: each measure goes through its stage's rules.

`plan_value_set` is the store's primitive; the figures people enter belong to a
stage's own service, which adds its rules (reason codes, submitted territories,
consensus recompute, the family's anchor cell). A figure reaching the generic
endpoint is handed to that service, or refused with the endpoint that takes it.
Nothing is written on a refusal.
"""

from datetime import date

from django.db import transaction

from accounts.typing import User
from cycles import hooks, measures
from cycles.measures import MeasureCode
from cycles.models import PlanValue
from products.models import Product
from sop_planner.errors import DomainError, NotAllowed

ELSEWHERE: dict[str, str] = {  # keyed by MeasureCode, a str enum: a measure's code finds it
    MeasureCode.OVERRIDE: (
        "Demand overrides are entered through POST /api/demand/cycles/{cycle}/overrides/ "
        "with a reason code (or the demand planning page), which checks your territories and "
        "submissions and recomputes the consensus."
    ),
    MeasureCode.EVENTS: (
        "Promotions and launches are entered as events through POST "
        "/api/demand/cycles/{cycle}/events/ (or the demand planning page); the system "
        "computes their figures."
    ),
    MeasureCode.PRICE: (
        "The planned price changes only when the cycle owner promotes a reconciliation "
        "scenario (/api/plan/cycles/{cycle}/scenarios/)."
    ),
}


def generic_entry_refusal(code: str, cycle_id: int) -> str | None:
    """Why the generic endpoint does not take this measure (and where to go), or None."""
    try:
        spec = measures.measure(code)
    except measures.UnknownMeasure as error:
        return error.args[0]
    if not spec.entered:
        return f"{spec.label} is computed by the system; it cannot be entered."
    if code in ELSEWHERE:
        return f"{spec.label}: not entered here. " + ELSEWHERE[code].format(cycle=cycle_id)
    return None


@transaction.atomic
def plan_figure_enter(
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
    """Enter one figure through the service of the stage that owns its measure."""
    refusal = generic_entry_refusal(measure, cycle_id)
    if refusal:
        raise NotAllowed(refusal)
    entry = hooks.plan_entry_of(measure)
    if entry is None:
        raise NotAllowed(f"{measures.measure(measure).label} is not entered here.")
    family_id = _anchored_family(measure, product_id, territory_id, entry)
    entry.enter(
        actor=actor,
        cycle_id=cycle_id,
        family_id=family_id,
        measure=measure,
        territory_id=territory_id,
        month=month,
        figure=(value, expected_row_version),
        reason=reason,
    )
    return PlanValue.objects.get(
        cycle_id=cycle_id,
        measure=measure,
        product_id=product_id,
        territory_id=territory_id,
        month=month,
        valid_to_seq=None,
    )


def _anchored_family(
    measure: str, product_id: int, territory_id: int, entry: hooks.PlanEntry
) -> int:
    """The product's family, once the cell is the one its family-level figures live on."""
    product = Product.objects.filter(pk=product_id).select_related("family").first()
    if product is None:
        raise DomainError(f"Unknown product {product_id}.")
    anchor = hooks.family_anchors()[product.family_id]
    label = measures.measure(measure).label
    if product_id != anchor.product_id:
        sku = Product.objects.get(pk=anchor.product_id).sku
        raise DomainError(
            f"{label} is kept per product family: enter {product.family.name}'s figure on its "
            f"first product, {sku} (id {anchor.product_id})."
        )
    if not entry.per_territory and territory_id != anchor.territory_id:
        raise DomainError(
            f"{label} is kept per product family, not per territory: enter it on territory "
            f"id {anchor.territory_id}."
        )
    return product.family_id
