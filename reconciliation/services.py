"""Writes of reconciliation: budget figures, gap decisions, scenarios and their promotion."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record
from cycles.measures import MeasureCode
from cycles.models import Cycle
from cycles.plan_services import locked_cycle, plan_value_set, refuse_if_released
from cycles.selectors import plan_values_live
from cycles.stages import Stage
from demand.events import event_withdraw
from demand.models import DemandEvent
from demand.services import override_apply_agreed
from products.models import Product, ProductFamily
from reconciliation import selectors
from reconciliation.decisions import gap_decide, gap_decide_many  # noqa: F401 (the write path)
from reconciliation.models import Scenario, ScenarioChange
from sop_planner.errors import DomainError, Missing
from sop_planner.numbers import Column
from supply.selectors import family_anchors
from supply.services import plan_figures_write, supply_plan_recompute_agreed
from supply.store import plan_values_write
from territories.models import Territory

PRICE_STEP = Decimal("0.0001")
PERCENT = Column(7, 2)  # ScenarioChange.percent
SCENARIO_REASON = "other"  # demand's reason code for a change agreed in reconciliation


def _in_reconciliation(cycle: Cycle, what: str) -> None:
    refuse_if_released(cycle)
    if cycle.stage_enum is not Stage.RECONCILIATION:
        raise DomainError(f"{cycle} is in {cycle.stage_enum.label}: {what} in Reconciliation.")


@transaction.atomic
def budget_save(
    *,
    actor: User,
    cycle_id: int,
    family_id: int,
    cells: dict[tuple[str, int, date], tuple],
    reason: str = "Budget",
) -> int:
    """Finance's budget for a family: (measure, territory id, month) -> (value, row version).

    Stored on the family's first product in each territory; all or nothing. `reason`
    goes with each figure into the history (e.g. how an annual budget was spread).
    """
    anchor = family_anchors().get(family_id)
    if anchor is None:
        raise DomainError(f"There is no product family with id {family_id} that has products.")
    for (measure, territory_id, month), (value, row_version) in sorted(cells.items()):
        if measure not in BUDGET_LABELS:
            raise DomainError(f"{measure!r} is not a budget figure.")
        try:
            plan_value_set(
                actor=actor,
                cycle_id=cycle_id,
                measure=measure,
                product_id=anchor.product_id,
                territory_id=territory_id,
                month=month,
                value=value,
                expected_row_version=row_version,
                reason=reason,
            )
        except DomainError as refusal:
            where = f"{_territory_name(territory_id)}, {BUDGET_LABELS[measure]}, {month:%Y-%m}"
            raise type(refusal)(f"Nothing was saved. {where}: {refusal.message}") from refusal
    return len(cells)


BUDGET_LABELS: dict[str, str] = {
    MeasureCode.BUDGET_UNITS: "budget units",
    MeasureCode.BUDGET_REVENUE: "budget revenue",
}


def _territory_name(territory_id: int) -> str:
    territory = Territory.objects.filter(pk=territory_id).first()
    return territory.name if territory else f"territory {territory_id}"


@transaction.atomic
def scenario_create(*, actor: User, cycle_id: int, name: str, description: str = "") -> Scenario:
    ensure_allowed(actor, "scenario.edit")
    cycle = locked_cycle(cycle_id)
    refuse_if_released(cycle)
    name = name.strip()
    if not name:
        raise DomainError("A scenario needs a name.")
    limit = Scenario._meta.get_field("name").max_length
    if len(name) > limit:  # type: ignore[operator]  # a CharField: its max_length is set
        raise DomainError(
            f"A scenario name is at most {limit} characters (this one has {len(name)})."
        )
    if Scenario.objects.filter(cycle=cycle, name=name).exists():
        raise DomainError(f"{cycle} already has a scenario called {name!r}.")
    scenario = Scenario.objects.create(
        cycle=cycle, name=name, description=description.strip(), created_by=actor
    )
    audit_record(
        actor=actor,
        action="scenario.create",
        obj=scenario,
        after={"name": name},
        cycle_id=cycle.pk,
    )
    return scenario


def _scenario(scenario_id: int, *, lock: bool = False) -> Scenario:
    rows = Scenario.objects.select_related("cycle")
    scenario = (rows.select_for_update() if lock else rows).filter(pk=scenario_id).first()
    if scenario is None:
        raise Missing(f"There is no scenario with id {scenario_id}.")
    return scenario


@transaction.atomic
def scenario_delete(*, actor: User, scenario_id: int) -> None:
    """Throw away a scenario and its changes; a promoted one is part of the plan's story."""
    ensure_allowed(actor, "scenario.edit")
    scenario = _scenario(scenario_id, lock=True)
    refuse_if_released(scenario.cycle)
    if scenario.promoted_at:
        raise DomainError(f"Scenario {scenario.name!r} was promoted into the plan; it stays.")
    audit_record(
        actor=actor,
        action="scenario.delete",
        obj=scenario,
        before={"name": scenario.name, "changes": [str(c) for c in scenario.changes.all()]},
        cycle_id=scenario.cycle_id,
    )
    scenario.delete()


def _percent(value) -> Decimal:
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{value!r} is not a percentage (e.g. 10 or -5).") from None
    if not number.is_finite() or number <= -100:
        raise DomainError(f"{value}% would leave nothing: a change must be above -100%.")
    if PERCENT.too_large(number):
        raise DomainError(f"{value}% is too large: a change must be below {PERCENT.bound}%.")
    return number


@transaction.atomic
def scenario_change_add(
    *,
    actor: User,
    scenario_id: int,
    kind: str,
    family_id: int | None,
    month_from: date,
    month_to: date,
    percent,
) -> ScenarioChange:
    """Add one delta (capacity, demand or price, +/- percent) to an unpromoted scenario."""
    ensure_allowed(actor, "scenario.edit")
    scenario = _scenario(scenario_id, lock=True)
    refuse_if_released(scenario.cycle)
    if scenario.promoted_at:
        raise DomainError(f"Scenario {scenario.name!r} was promoted; it can no longer change.")
    if kind not in ScenarioChange.Kind.values:
        raise DomainError(f"{kind!r} is not a change; choose capacity, demand or price.")
    horizon = scenario.cycle.horizon()
    if month_from not in horizon or month_to not in horizon or month_to < month_from:
        raise DomainError(
            f"Months {month_from:%Y-%m} to {month_to:%Y-%m} are not a range of the horizon "
            f"{horizon[0]:%Y-%m} to {horizon[-1]:%Y-%m}."
        )
    if family_id is not None and not ProductFamily.objects.filter(pk=family_id).exists():
        raise DomainError(f"There is no product family with id {family_id}.")
    change = ScenarioChange.objects.create(
        scenario=scenario,
        kind=kind,
        family_id=family_id,
        month_from=month_from,
        month_to=month_to,
        percent=_percent(percent),
    )
    audit_record(
        actor=actor,
        action="scenario.change_add",
        obj=scenario,
        after={"change": str(change)},
        cycle_id=scenario.cycle_id,
    )
    return change


@transaction.atomic
def scenario_promotion_removal_add(
    *, actor: User, scenario_id: int, event_id: int
) -> ScenarioChange:
    """Add "this promotion is taken out of the demand" to an unpromoted scenario."""
    ensure_allowed(actor, "scenario.edit")
    scenario = _scenario(scenario_id, lock=True)
    refuse_if_released(scenario.cycle)
    if scenario.promoted_at:
        raise DomainError(f"Scenario {scenario.name!r} was promoted; it can no longer change.")
    event = DemandEvent.objects.filter(
        pk=event_id, cycle=scenario.cycle, kind=DemandEvent.Kind.PROMOTION
    ).first()
    if event is None:
        raise DomainError(f"{scenario.cycle} has no promotion with id {event_id}.")
    if scenario.changes.filter(event=event).exists():
        raise DomainError(f"Scenario {scenario.name!r} already removes {event.name!r}.")
    change = ScenarioChange.objects.create(
        scenario=scenario,
        kind=ScenarioChange.Kind.NO_PROMO,
        family_id=event.family_id,
        month_from=event.first_month,
        month_to=max(event.last_month or event.first_month, event.first_month),
        percent=0,
        event=event,
        event_name=event.name,
    )
    audit_record(
        actor=actor,
        action="scenario.change_add",
        obj=scenario,
        after={"change": str(change)},
        cycle_id=scenario.cycle_id,
    )
    return change


def _scaled_rows(cycle: Cycle, measure: str, change: ScenarioChange) -> dict:
    rows = plan_values_live(cycle, measure).filter(
        month__gte=change.month_from, month__lte=change.month_to
    )
    if change.family_id is not None:
        rows = rows.filter(product__family_id=change.family_id)
    factor = 1 + change.percent / 100
    return {
        (row.product_id, row.territory_id, row.month): row.value * factor
        for row in rows.only("product_id", "territory_id", "month", "value")
    }


@transaction.atomic
def scenario_promote(*, actor: User, scenario_id: int, reason: str) -> Scenario:
    """Apply a scenario's changes to the plan as recorded figures, and recompute supply."""
    ensure_allowed(actor, "scenario.promote")
    scenario = _scenario(scenario_id)
    cycle = locked_cycle(scenario.cycle_id)
    _in_reconciliation(cycle, "scenarios are promoted")
    if not reason.strip():
        raise DomainError("Say why this scenario becomes the plan.")
    if scenario.promoted_at:
        raise DomainError(f"Scenario {scenario.name!r} was already promoted.")
    changes = list(scenario.changes.all())
    written = 0
    for change in changes:
        written += _change_promote(actor, cycle, scenario, change, reason.strip())
    supply_plan_recompute_agreed(actor=actor, cycle=cycle)
    scenario.promoted_at, scenario.promoted_by = timezone.now(), actor
    scenario.save(update_fields=["promoted_at", "promoted_by"])
    audit_record(
        actor=actor,
        action="scenario.promote",
        obj=scenario,
        after={
            "scenario": scenario.name,
            "changes": [str(c) for c in changes],
            "figures": written,
        },
        reason=reason.strip(),
        cycle_id=cycle.pk,
    )
    return scenario


def _change_promote(actor: User, cycle: Cycle, scenario: Scenario, change, reason: str) -> int:
    """Demand goes through demand's own services (consensus, rollup, FVA records stay right)."""
    why = f"Scenario {scenario.name!r}: {reason}"
    if change.kind == ScenarioChange.Kind.NO_PROMO:
        if change.event_id is None:
            raise DomainError(f"The promotion {change.event_name!r} is no longer in {cycle}.")
        event_withdraw(actor=actor, cycle=cycle, event_id=change.event_id, reason=why)
        return 1
    if change.kind == ScenarioChange.Kind.DEMAND:
        override = override_apply_agreed(
            actor=actor,
            cycle=cycle,
            filters={"family": change.family_id} if change.family_id else {},
            first_month=change.month_from,
            last_month=change.month_to,
            mode="percent",
            value=change.percent,
            reason_code=SCENARIO_REASON,
            comment=why,
        )
        return override.cell_count if override else 0
    if change.kind == ScenarioChange.Kind.PRICE:
        values = _planned_prices(cycle, change)
        return plan_values_write(
            cycle=cycle, measure=MeasureCode.PRICE, values=values, actor=actor
        )
    values = _scaled_rows(cycle, MeasureCode.CAPACITY, change)
    return plan_values_write(cycle=cycle, measure=MeasureCode.CAPACITY, values=values, actor=actor)


def _planned_prices(cycle: Cycle, change: ScenarioChange) -> dict:
    """The planned price x the change on every cell with demand: the list price stays
    master data (Sales Planning's); the plan records the price it assumes."""
    demand = _scaled_rows(cycle, MeasureCode.CONSENSUS, change)
    products = {p for p, _t, _m in demand}
    listed = dict(Product.objects.filter(pk__in=products).values_list("pk", "unit_price"))
    planned = selectors.prices(cycle, products)
    factor = 1 + change.percent / 100
    return {
        key: (planned.get(key, listed[key[0]]) * factor).quantize(PRICE_STEP) for key in demand
    }


BudgetRow = tuple[
    int, int, date, Decimal | None, Decimal | None
]  # family id, territory id, month, units, revenue (None: no budget)


@transaction.atomic
def budget_rows_write(*, actor: User, cycle_id: int, rows: list[BudgetRow], file_name: str) -> int:
    """Write Finance's budget per family, territory and month (from an import or an upload).

    Stored on each family's anchor product, as budget_save does; returns figures changed.
    Units and revenue of None clear the cell's budget (a reverted upload's new cells).
    """
    ensure_allowed(actor, "plan.budget.edit")
    cycle = locked_cycle(cycle_id)
    refuse_if_released(cycle)
    anchors, figures = (
        family_anchors(),
        {MeasureCode.BUDGET_UNITS: dict[tuple, Decimal | None](), MeasureCode.BUDGET_REVENUE: {}},
    )
    for family_id, territory_id, month, units, revenue in rows:
        cell = (anchors[family_id].product_id, territory_id, month)
        figures[MeasureCode.BUDGET_UNITS][cell] = units
        figures[MeasureCode.BUDGET_REVENUE][cell] = revenue
    return plan_figures_write(actor=actor, cycle=cycle, figures=figures, file_name=file_name)
