"""Writes of supply planning: the planner's inputs and the computed constrained plan."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record
from cycles import measures
from cycles.measures import MeasureCode
from cycles.models import Cycle
from cycles.plan_services import locked_cycle, plan_value_set, refuse_if_released
from cycles.stages import Stage
from products.models import ProductFamily
from sop_planner.errors import DomainError, NotAllowed
from sop_planner.numbers import read_plan_figure
from supply import selectors
from supply.projection import SupplyInputError, SupplyPlan, project
from supply.store import plan_values_write


@transaction.atomic
def supply_inputs_save(
    *,
    actor: User,
    cycle_id: int,
    family_id: int,
    cells: dict[tuple[str, date], tuple],
    reason: str = "",
) -> int:
    """Save the grid of one family: cells (measure, month) -> (value, row version seen).

    All or nothing: the first refused figure (frozen, not allowed, changed by
    someone else, not a number) rolls every figure of the grid back.
    """
    family = ProductFamily.objects.filter(pk=family_id).first()
    anchor = selectors.family_anchors().get(family_id)
    if family is None or anchor is None:
        raise DomainError(f"There is no product family with id {family_id} that has products.")
    figures = _typed_figures(cells)
    for (measure, month), (_typed, row_version) in sorted(cells.items()):
        value = figures[(measure, month)]
        plan_value_set(
            actor=actor,
            cycle_id=cycle_id,
            measure=measure,
            product_id=anchor.product_id,
            territory_id=anchor.territory_id,
            month=month,
            value=value,
            expected_row_version=row_version,
            reason=reason or f"Supply inputs of {family.name}",
        )
    return len(cells)


def _typed_figures(cells: dict[tuple[str, date], tuple]) -> dict[tuple[str, date], Decimal]:
    """Every figure as a number: typed text read as the page writes numbers (1,234.5).

    '10,500' is ten thousand five hundred; '10,5' fits no reading and is refused with
    its measure and month, together with every other bad cell, not only the first.
    The page's form hands over numbers already read by the same reader.
    """
    figures, refusals = {}, []
    for (measure, month), (typed, _row_version) in sorted(cells.items()):
        if measure not in selectors.INPUT_MEASURES:
            raise DomainError(f"{measure!r} is not a supply input.")
        if isinstance(typed, Decimal):
            figures[(measure, month)] = typed
            continue
        try:
            figures[(measure, month)] = read_plan_figure(str(typed))
        except ValueError as error:
            label = measures.measure(measure).label
            refusals.append(f"{label}, {month:%Y-%m}: {str(typed)!r} {error}")
    if refusals:
        raise DomainError(f"Nothing was saved. {'; '.join(refusals)}.")
    return figures


@transaction.atomic
def supply_plan_compute(*, actor: User, cycle_id: int) -> dict[int, SupplyPlan]:
    """Turn the frozen consensus and the supply inputs into the stored constrained plan."""
    ensure_allowed(actor, "plan.supply.edit")
    cycle = locked_cycle(cycle_id)
    refuse_if_released(cycle)
    if cycle.stage_enum is not Stage.SUPPLY_PLANNING:
        raise DomainError(
            f"{cycle} is in {cycle.stage_enum.label}: the supply plan is computed in "
            "Supply planning."
        )
    plans, changed = _supply_plan_write(cycle=cycle, actor=actor)
    audit_record(
        actor=actor,
        action="supply.plan_computed",
        obj=cycle,
        after={
            "families": len(plans),
            "production": round(sum(sum(p.production) for p in plans.values())),
            "shortage": round(sum(sum(p.shortage) for p in plans.values())),
            "figures_changed": changed,
        },
        cycle_id=cycle.pk,
    )
    return plans


def supply_plan_recompute_agreed(*, actor: User, cycle: Cycle) -> None:
    """A promoted scenario changed demand or capacity: recompute the stored supply plan.

    The caller holds the cycle's lock and audits the promotion; the actor must be one
    who may promote a scenario into the plan.
    """
    ensure_allowed(actor, "scenario.promote")
    _supply_plan_write(cycle=cycle, actor=actor)


def _supply_plan_write(*, cycle: Cycle, actor: User) -> tuple[dict[int, SupplyPlan], int]:
    """Project every family and write production, inventory and shortage (caller locks, audits)."""
    anchors, months = selectors.family_anchors(), cycle.horizon()
    plans = {}
    for family_id, plan_input in selectors.supply_inputs_all(cycle).items():
        try:
            plans[family_id] = project(plan_input)
        except SupplyInputError as error:
            name = ProductFamily.objects.get(pk=family_id).name
            raise DomainError(f"Supply inputs of {name}: {error}") from None
    changed = 0
    for measure, series in (
        (MeasureCode.PRODUCTION, "production"),
        (MeasureCode.PROJECTED_INVENTORY, "closing_inventory"),
        (MeasureCode.SHORTAGE, "shortage"),
    ):
        values = {
            (anchors[f].product_id, anchors[f].territory_id, month): Decimal(
                str(getattr(plan, series)[t])
            )
            for f, plan in plans.items()
            for t, month in enumerate(months)
        }
        changed += plan_values_write(cycle=cycle, measure=measure, values=values, actor=actor)
    return plans, changed


def plan_figures_write(*, actor: User, cycle: Cycle, figures: dict, file_name: str) -> int:
    """Write imported figures {measure: {cell: value}} after the stage and role checks."""
    for code in figures:
        spec = measures.measure(code)
        refusal = measures.edit_refusal(spec, cycle.stage_enum)
        if refusal:
            raise NotAllowed(refusal)
        ensure_allowed(actor, spec.edit_action(cycle.stage_enum))  # type: ignore[arg-type]  # not None: edit_refusal said the stage edits it
    changed = sum(
        plan_values_write(cycle=cycle, measure=code, values=values, actor=actor)
        for code, values in figures.items()
    )
    audit_record(
        actor=actor,
        action="plan.import",
        obj=cycle,
        after={"file": file_name, "measures": sorted(figures), "figures_changed": changed},
        cycle_id=cycle.pk,
    )
    return changed


SupplyRow = tuple[
    int, str, date, Decimal | None
]  # family id, measure, month, figure (None: clear)


@transaction.atomic
def supply_inputs_write(
    *, actor: User, cycle_id: int, rows: list[SupplyRow], file_name: str
) -> int:
    """Write family-level supply inputs from an upload (or its revert); returns figures changed.

    Stored on each family's anchor cell, as the input grid does; the role and the
    stage are checked by plan_figures_write, the whole write audited as one import.
    """
    ensure_allowed(actor, "plan.supply.edit")
    cycle = locked_cycle(cycle_id)
    refuse_if_released(cycle)
    anchors, figures = selectors.family_anchors(), dict[str, dict]()
    for family_id, measure, month, value in rows:
        cell = (anchors[family_id].product_id, anchors[family_id].territory_id, month)
        figures.setdefault(measure, {})[cell] = value
    return plan_figures_write(actor=actor, cycle=cycle, figures=figures, file_name=file_name)
