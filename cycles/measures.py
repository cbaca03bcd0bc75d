"""The measures of the plan-value store: one registry row per kind of plan figure.

Every plan figure is a value per (cycle version, measure, product, territory,
month). A measure says whether people enter it or the system computes it,
which action may edit it in which stage, and how it aggregates up the
hierarchies. A new measure is a new row here, not a new table. Plain Python.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from cycles.stages import STAGE_ORDER, Stage


class Aggregation(StrEnum):
    SUM = "sum"  # a flow (units, revenue): adds up over products, territories and months
    STOCK = "stock"  # a level (inventory): adds up over products, not months: the last one counts
    AVERAGE = "average"  # a ratio (weeks of cover): never added up, averaged
    WEIGHTED = "weighted"  # e.g. a price: weighted by the units of `weight_measure`


class MeasureCode(StrEnum):
    """The code of every plan measure: the one spelling other modules use for a measure."""

    BASELINE = "baseline"
    BASELINE_LOW = "baseline_low"
    BASELINE_HIGH = "baseline_high"
    OVERRIDE = "override"
    EVENTS = "events"
    CONSENSUS = "consensus"
    CAPACITY = "capacity"
    OPENING_INVENTORY = "opening_inventory"
    INVENTORY_TARGET = "inventory_target"
    TARGET_WEEKS = "target_weeks"
    MIN_PRODUCTION = "min_production"
    MAX_COVER = "max_cover"
    PRODUCTION = "production"
    SHORTAGE = "shortage"
    PROJECTED_INVENTORY = "projected_inventory"
    BUDGET_UNITS = "budget_units"
    BUDGET_REVENUE = "budget_revenue"
    PRICE = "price"


@dataclass(frozen=True)
class Measure:
    code: MeasureCode
    label: str
    entered: bool
    aggregation: Aggregation = Aggregation.SUM
    edit: dict[Stage, str] = field(default_factory=dict)  # stage -> action that may edit
    weight_measure: str = ""

    def edit_action(self, stage: Stage) -> str | None:
        """The action that may edit this measure in a stage; None when it is frozen there."""
        return self.edit.get(stage)


DP, SP, REC = Stage.DEMAND_PLANNING, Stage.SUPPLY_PLANNING, Stage.RECONCILIATION
BUDGET_STAGES: dict[Stage, str] = {
    stage: "plan.budget.edit" for stage in Stage if stage is not Stage.SIGN_OFF
}

MEASURES: dict[str, Measure] = {  # keyed by MeasureCode, a str enum: its value finds it
    m.code: m
    for m in (
        Measure(MeasureCode.BASELINE, "Statistical baseline", entered=False),
        Measure(MeasureCode.BASELINE_LOW, "Baseline, lower bound", entered=False),
        Measure(MeasureCode.BASELINE_HIGH, "Baseline, upper bound", entered=False),
        Measure(
            MeasureCode.OVERRIDE, "Demand override", entered=True, edit={DP: "plan.demand.edit"}
        ),
        Measure(
            MeasureCode.EVENTS,
            "Promotions and launches",
            entered=True,
            edit={DP: "plan.demand.edit"},
        ),
        Measure(MeasureCode.CONSENSUS, "Consensus demand", entered=False),
        Measure(MeasureCode.CAPACITY, "Capacity", entered=True, edit={SP: "plan.supply.edit"}),
        Measure(
            MeasureCode.OPENING_INVENTORY,
            "Opening inventory",
            entered=True,
            aggregation=Aggregation.STOCK,
            edit={SP: "plan.supply.edit"},
        ),
        Measure(
            MeasureCode.INVENTORY_TARGET,
            "Inventory target",
            entered=True,
            aggregation=Aggregation.STOCK,
            edit={SP: "plan.supply.edit"},
        ),
        Measure(
            MeasureCode.TARGET_WEEKS,
            "Inventory target, weeks of cover",
            entered=True,
            aggregation=Aggregation.AVERAGE,
            edit={SP: "plan.supply.edit"},
        ),
        Measure(
            MeasureCode.MIN_PRODUCTION,
            "Minimum production",
            entered=True,
            edit={SP: "plan.supply.edit"},
        ),
        Measure(
            MeasureCode.MAX_COVER,
            "Maximum cover, weeks",
            entered=True,
            aggregation=Aggregation.AVERAGE,
            edit={SP: "plan.supply.edit"},
        ),
        Measure(MeasureCode.PRODUCTION, "Production", entered=False),
        Measure(MeasureCode.SHORTAGE, "Shortage (unmet demand)", entered=False),
        Measure(
            MeasureCode.PROJECTED_INVENTORY,
            "Projected inventory",
            entered=False,
            aggregation=Aggregation.STOCK,
        ),
        Measure(MeasureCode.BUDGET_UNITS, "Budget, units", entered=True, edit=BUDGET_STAGES),
        Measure(MeasureCode.BUDGET_REVENUE, "Budget, revenue", entered=True, edit=BUDGET_STAGES),
        Measure(
            MeasureCode.PRICE,
            "Planned price",
            entered=True,
            aggregation=Aggregation.WEIGHTED,
            weight_measure=MeasureCode.CONSENSUS,
            edit={REC: "plan.budget.edit"},
        ),
    )
}


class UnknownMeasure(KeyError):
    pass


def measure(code: str) -> Measure:
    try:
        return MEASURES[code]
    except KeyError:
        raise UnknownMeasure(f"There is no plan measure called {code!r}.") from None


def edit_refusal(m: Measure, stage: Stage) -> str | None:
    """Why nobody may enter this measure now (frozen, computed), or None when it is open."""
    if not m.entered:
        return f"{m.label} is computed by the system; it cannot be entered."
    if m.edit_action(stage) is None:
        open_in = ", ".join(s.label for s in m.edit) or "no stage"
        if m.edit and all(STAGE_ORDER.index(stage) < STAGE_ORDER.index(s) for s in m.edit):
            return f"{m.label} opens in {open_in}; the cycle is in {stage.label}."
        return f"{m.label} is frozen in {stage.label}; it can be edited in: {open_in}."
    return None


@dataclass(frozen=True)
class HorizonFigure:
    value: float
    basis: str  # how the figure was counted, in the reader's words


def over_horizon(m: Measure, monthly: dict[date, tuple[float, int]]) -> HorizonFigure:
    """One figure for the horizon from (sum, count) per month: flows are added up, a stock is
    its last month's level, a ratio is averaged. Weighted measures (a price) need their weights
    and are not summarised here."""
    if m.aggregation is Aggregation.STOCK:
        last = max(monthly)
        return HorizonFigure(monthly[last][0], f"as of {last:%b %Y}")
    total = sum(value for value, _ in monthly.values())
    months = f"{len(monthly)} month{'s' if len(monthly) != 1 else ''}"
    if m.aggregation is Aggregation.AVERAGE:
        count = sum(n for _, n in monthly.values())
        return HorizonFigure(total / count, f"average over {months}")
    if m.aggregation is Aggregation.SUM:
        return HorizonFigure(total, f"total over {months}")
    raise ValueError(f"{m.label} is weighted: it has no figure of its own over the horizon.")
