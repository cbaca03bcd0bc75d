"""Twelve past released S&OP cycles for the demo company. Plain numpy and pandas, no Django.

The demo needs a record to reassess: what each past cycle planned (baseline
with its interval, events, planners' overrides, the consensus), its budget,
its supply plan and when each stage closed.

The baselines are synthesised, not forecast: running the forecast engine
twelve times would make seeding minutes slower. Each baseline blends the
series' known demand (the generator's actuals, or the same month a year
before for months not yet sold) with its recent level, times log-normal
noise that grows with the lag; its interval is that noise's 80 % band.
Because the generator knows what really happened, the planners can be given
habits: some move the plan toward the actuals (they help), others add
optimism or noise (they harm), so forecast value added has something to find.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from cycles.calendar import add_months
from cycles.measures import MeasureCode
from demo.generator import Company, DemoSpec
from supply.projection import SupplyInput, project

HISTORY_CYCLES = 12
HORIZON = 12
STAGES = ("data_gathering", "demand_planning", "supply_planning", "reconciliation", "sign_off")
Z80 = 1.2816

# planner -> the habits they override with: (reason code, kind, strength)
# helpful: moves the total this share of the way to the actuals; optimistic: adds about
# this share; noisy: moves it up or down by this share at random.
PLANNER_HABITS: dict[str, tuple[tuple[str, str, float], ...]] = {
    "planner-north": (("customer-intelligence", "helpful", 0.6),),
    "planner-south": (("promotion", "optimistic", 0.2),),
    "planner-east": (("price-change", "helpful", 0.5), ("other", "noisy", 0.25)),
    "planner-west": (("lost-customer", "helpful", 0.7), ("new-listing", "optimistic", 0.15)),
}
OVERRIDES_PER_PLANNER = 3
PROMOTIONS_PER_CYCLE = 2
STAGE_DELAYS = np.array([-2, -1, 0, 0, 0, 0, 1, 2, 4])


def reason_codes() -> list[str]:
    return sorted({reason for habits in PLANNER_HABITS.values() for reason, _, _ in habits})


@dataclass(frozen=True)
class OverrideSpec:
    """One planner's change of a family in their region for one month, cell by cell."""

    cycle_month: date
    planner: str
    reason: str
    family: str
    region: str
    month: date
    percent: float
    cells: pd.DataFrame  # sku, territory, before, after


@dataclass(frozen=True)
class PromotionSpec:
    """A promotion of a family in a region for one month: +percent of the baseline."""

    cycle_month: date
    family: str
    region: str
    month: date
    percent: int


@dataclass
class History:
    cycle_months: list[date]
    plan: (
        pd.DataFrame
    )  # cycle_month, sku, territory, month, baseline, low, high, events, consensus
    overrides: list[OverrideSpec] = field(default_factory=list)
    promotions: list[PromotionSpec] = field(default_factory=list)
    budget: pd.DataFrame | None = None  # cycle_month, family, territory, month, units, revenue
    supply: pd.DataFrame | None = None  # cycle_month, family, measure, month, value
    stage_delays: dict[date, dict[str, int]] = field(default_factory=dict)  # days past due


def history_months(spec: DemoSpec) -> list[date]:
    """The months of the past cycles: the twelve before the open one, oldest first."""
    first = add_months(spec.end_month, 1 - HISTORY_CYCLES)
    return [add_months(first, k) for k in range(HISTORY_CYCLES)]


def build_history(company: Company, spec: DemoSpec, sales: pd.DataFrame) -> History:
    """The released cycles of the twelve months before the open one, oldest first."""
    rng = np.random.default_rng(spec.seed + 2)
    months = history_months(spec)
    wide = sales.pivot_table(index=["sku", "territory"], columns="period", values="units")
    lookup = _lookup(company)
    frames, history = [], History(months, pd.DataFrame())
    for cycle_month in months:
        plan = _baseline(rng, wide, lookup, cycle_month, spec.end_month)
        plan, promotions = _events(rng, plan, lookup, spec.end_month)
        history.promotions.extend(PromotionSpec(cycle_month, *p) for p in promotions)
        plan, overrides = _overrides(rng, plan, lookup, cycle_month, spec.end_month)
        history.overrides.extend(overrides)
        history.stage_delays[cycle_month] = _delays(rng)
        frames.append(plan.assign(cycle_month=cycle_month))
    history.plan = pd.concat(frames, ignore_index=True)
    history.budget = _budget(rng, history.plan, lookup)
    history.supply = _supply(rng, history.plan, lookup)
    return history


@dataclass(frozen=True)
class _Lookup:
    family: dict[str, str]  # sku -> family code
    region: dict[str, str]  # territory -> region code
    price: dict[str, float]  # sku -> unit price


def _lookup(company: Company) -> _Lookup:
    return _Lookup(
        {p.sku: p.family for p in company.products},
        {code: region for code, _, region in company.territories},
        {p.sku: p.unit_price for p in company.products},
    )


def _baseline(
    rng, wide: pd.DataFrame, lookup: "_Lookup", cycle_month: date, end_month: date
) -> pd.DataFrame:
    """Baseline and its 80 % interval per series and horizon month (see the module's note).

    Part of the noise is shared by a family in a region (a market the model misread),
    so a planner who knows that market can correct it with one override.
    """
    known = [m for m in wide.columns if m < cycle_month][-6:]
    level = wide[known].mean(axis=1) if known else pd.Series(np.nan, index=wide.index)
    skus, territories = wide.index.get_level_values(0), wide.index.get_level_values(1)
    groups = pd.Series(
        [f"{lookup.family[s]}/{lookup.region[t]}" for s, t in zip(skus, territories, strict=True)],
        index=wide.index,
    )
    names = sorted(groups.unique())
    frames = []
    for lag in range(HORIZON):
        month = add_months(cycle_month, lag)
        signal = _signal(wide, month, end_month)
        blend = (0.6 * signal + 0.4 * level.fillna(signal)).dropna()
        sd = 0.10 + 0.015 * lag
        shared = dict(zip(names, rng.normal(0.0, 0.12, len(names)), strict=True))
        common = groups.reindex(blend.index).map(shared).to_numpy()
        noise = np.exp(rng.normal(-0.03, sd, len(blend)) + common)
        baseline = np.round(blend.to_numpy() * noise, 1)
        frame = blend.index.to_frame(index=False).assign(
            month=month,
            baseline=baseline,
            low=np.round(baseline * np.exp(-Z80 * sd), 1),
            high=np.round(baseline * np.exp(Z80 * sd), 1),
            actual=signal.reindex(blend.index).to_numpy() if month <= end_month else np.nan,
        )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _signal(wide: pd.DataFrame, month: date, end_month: date) -> pd.Series:
    """What the series sold that month, else the same month a year before (not yet sold)."""
    year_before = add_months(month, -12)
    last_year = wide[year_before] if year_before in wide.columns else np.nan
    if month <= end_month and month in wide.columns:
        return wide[month].fillna(last_year)
    return pd.Series(last_year, index=wide.index, dtype=float)


def _events(rng, plan: pd.DataFrame, lookup: _Lookup, end_month: date):
    """Promotions on the family x region x months that really sold above the baseline.

    Each is a whole percent of the baseline, and its figures are exactly what
    demand.events computes for such a promotion, so the loaded event and the
    plan's events measure agree. Returns the plan and (family, region, month, percent).
    """
    plan = plan.assign(
        family=plan["sku"].map(lookup.family),
        region=plan["territory"].map(lookup.region),
        events=0.0,
    )
    near = plan[
        (plan["month"] <= end_month) & (plan["month"] < add_months(plan["month"].min(), 3))
    ]
    groups = near.groupby(["family", "region", "month"])[["actual", MeasureCode.BASELINE]].sum()
    lift = (groups["actual"] / groups[MeasureCode.BASELINE] - 1).sort_values(ascending=False)
    promotions = []
    for family, region, month in lift.index[:PROMOTIONS_PER_CYCLE]:
        uplift = float(np.clip(lift[(family, region, month)] * rng.uniform(0.6, 0.9), 0.05, 0.4))
        percent = round(uplift * 100)
        where = (plan["family"] == family) & (plan["region"] == region) & (plan["month"] == month)
        plan.loc[where, MeasureCode.EVENTS] = np.round(
            plan.loc[where, MeasureCode.BASELINE] * percent / 100, 4
        )
        promotions.append((str(family), str(region), month, percent))
    plan[MeasureCode.CONSENSUS] = (plan[MeasureCode.BASELINE] + plan[MeasureCode.EVENTS]).clip(
        lower=0
    )
    return plan, promotions


def _overrides(rng, plan: pd.DataFrame, lookup: _Lookup, cycle_month: date, end_month: date):
    """Each planner overrides a few families of their region in the months already sold."""
    months = [
        add_months(cycle_month, k) for k in range(3) if add_months(cycle_month, k) <= end_month
    ]
    families = sorted(set(lookup.family.values()))
    overrides = []
    for planner, habits in PLANNER_HABITS.items():
        region = planner.removeprefix("planner-")
        chosen = rng.choice(
            families, size=min(OVERRIDES_PER_PLANNER, len(families)), replace=False
        )
        for index, family in enumerate(chosen):
            reason, kind, strength = habits[index % len(habits)]
            month = months[int(rng.integers(len(months)))]
            spec = _override(rng, plan, (family, region, month), kind, strength)
            if spec is not None:
                overrides.append(OverrideSpec(cycle_month, planner, reason, *spec))
    return plan, overrides


def _override(rng, plan: pd.DataFrame, where_key: tuple, kind: str, strength: float):
    family, region, month = where_key
    where = (plan["family"] == family) & (plan["region"] == region) & (plan["month"] == month)
    before = plan.loc[where, MeasureCode.CONSENSUS]
    total = float(before.sum())
    if total <= 0:
        return None
    factor = _factor(rng, kind, strength, float(plan.loc[where, "actual"].sum()) / total)
    after = np.round(before * factor)
    plan.loc[where, MeasureCode.CONSENSUS] = after
    cells = plan.loc[where, ["sku", "territory"]].assign(before=before, after=after)
    return str(family), region, month, round((factor - 1) * 100, 1), cells


def _factor(rng, kind: str, strength: float, actual_ratio: float) -> float:
    if kind == "helpful":
        return 1 + strength * (actual_ratio - 1)
    if kind == "optimistic":
        return 1 + strength * rng.uniform(0.7, 1.3)
    return 1 + strength * rng.choice([-1.0, 1.0])


def _delays(rng) -> dict[str, int]:
    return {stage: int(rng.choice(STAGE_DELAYS)) for stage in STAGES}


def _budget(rng, plan: pd.DataFrame, lookup: _Lookup) -> pd.DataFrame:
    """Per cycle, family, territory and month: the demand signal plus a little ambition."""
    signal = plan["actual"].fillna(plan[MeasureCode.BASELINE])
    frame = plan.assign(units=signal, revenue=signal * plan["sku"].map(lookup.price))
    budget = (
        frame.groupby(["cycle_month", "family", "territory", "month"])[["units", "revenue"]]
        .sum()
        .reset_index()
    )
    ambition = {m: rng.uniform(0.0, 0.06) for m in sorted(budget["cycle_month"].unique())}
    growth = budget["cycle_month"].map(ambition)
    budget["units"] = np.round(budget["units"] * (1 + growth))
    budget["revenue"] = np.round(budget["revenue"] * (1 + growth + 0.01), 2)
    return budget


def _supply(rng, plan: pd.DataFrame, lookup: _Lookup) -> pd.DataFrame:
    """Capacity, opening stock and a 4-week cover target per family, projected as supply does."""
    demand = plan.groupby(["cycle_month", "family", "month"])[MeasureCode.CONSENSUS].sum()
    rows = []
    for (cycle_month, family), series in demand.groupby(level=[0, 1]):
        values = series.to_numpy(dtype=float)
        months = list(series.index.get_level_values("month"))
        tight = rng.random() < 0.25
        capacity = np.round(
            values.mean() * rng.uniform(0.85, 0.95)
            if tight
            else values.mean() * rng.uniform(1.0, 1.2)
        )
        supply_input = SupplyInput(
            demand=list(values),
            capacity=[float(capacity)] * len(values),
            opening_inventory=float(np.round(values[0] * rng.uniform(0.6, 1.4))),
            target_weeks=[4.0] * len(values),
        )
        rows.extend(_supply_rows(cycle_month, family, months, supply_input))
    return pd.DataFrame(rows, columns=["cycle_month", "family", "measure", "month", "value"])


def _supply_rows(cycle_month, family, months, supply_input: SupplyInput) -> list[tuple]:
    plan = project(supply_input)
    series = {
        MeasureCode.CAPACITY: supply_input.capacity,
        MeasureCode.TARGET_WEEKS: supply_input.target_weeks,
        MeasureCode.PRODUCTION: plan.production,
        MeasureCode.PROJECTED_INVENTORY: plan.closing_inventory,
        MeasureCode.SHORTAGE: plan.shortage,
    }
    rows = [
        (
            cycle_month,
            family,
            MeasureCode.OPENING_INVENTORY,
            months[0],
            supply_input.opening_inventory,
        )
    ]
    for measure, values in series.items():
        rows.extend(
            (cycle_month, family, measure, month, round(float(v), 4))
            for month, v in zip(months, values, strict=True)
        )
    return rows
