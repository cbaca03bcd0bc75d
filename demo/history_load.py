"""Load the demo company's twelve past released cycles (demo.history) into the database.

A released cycle is immutable (PostgreSQL triggers refuse any change), so each
cycle is written whole while it is still open: figures in the sequences the
real stages would have written them, the overrides with their cells, the
versions dated when they were taken, the executive's approval, and only then
the release. The story the versions tell: the forecast's baseline loaded
during data gathering (version 1, consensus = baseline), then one version per
stage exit; the planners' overrides and promotions land in demand planning
(sequence 3), the supply plan in supply planning (sequence 4). So "baseline vs
released" lists what people changed. A month whose cycle exists is skipped, so
seeding again adds nothing.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from django.db import transaction
from django.db.models import Max

from accounts.typing import User
from audit.services import audit_record
from cycles.measures import MeasureCode
from cycles.models import Cycle, PlanValue, PlanVersion, SignOffDecision
from cycles.plan_bulk import plan_values_insert, refresh_statistics
from cycles.services import stage_due_dates
from cycles.stages import Stage
from demand.models import DemandEvent, Override, OverrideCell, ReasonCode
from demand.rollup import rollup_refresh
from demo import history
from products.models import Product, ProductFamily
from supply.selectors import family_anchors
from territories.models import Region, Territory

BASELINE_MEASURES = {
    MeasureCode.BASELINE: MeasureCode.BASELINE,
    MeasureCode.BASELINE_LOW: "low",
    MeasureCode.BASELINE_HIGH: "high",
}
BASELINE_SEQ, DEMAND_SEQ, SUPPLY_SEQ = 1, 3, 4  # the sequences the stages write in
BASELINE_LOADED = timedelta(hours=6)  # before data gathering closed
CLOSING_HOUR = time(15, 0)


def demo_history_load(
    *, data: history.History, users: dict, freeze: Callable[[Cycle], None] | None = None
) -> int:
    """Write the cycles of `data` whose month has no cycle yet; returns how many.
    `freeze`: called with each cycle just before its release (the demo's frozen pipeline)."""
    existing = set(
        Cycle.objects.filter(month__in=data.cycle_months).values_list("month", flat=True)
    )
    todo = [month for month in data.cycle_months if month not in existing]
    if not todo:
        return 0
    ids = _Ids()
    for month in todo:
        with transaction.atomic():
            _load_cycle(month, data, ids, users, freeze)
    refresh_statistics()
    return len(todo)


class _Ids:
    """Database ids of the generator's codes."""

    def __init__(self) -> None:
        self.product = dict(Product.objects.values_list("sku", "id"))
        self.territory = dict(Territory.objects.values_list("code", "id"))
        self.family = dict(ProductFamily.objects.values_list("code", "id"))
        self.region = dict(Region.objects.values_list("code", "id"))
        self.family_name = dict(ProductFamily.objects.values_list("code", "name"))
        self.region_name = dict(Region.objects.values_list("code", "name"))
        self.places: dict[str, list[int]] = {}
        for code, territory_id in Territory.objects.values_list("region__code", "id"):
            self.places.setdefault(code, []).append(territory_id)
        self.reason = {code: _reason(code) for code in history.reason_codes()}
        self.anchors = family_anchors()


def _reason(code: str) -> ReasonCode:
    """The demo's reason codes are demand's defaults; a flushed database gets them back."""
    label = code.replace("-", " ").capitalize()
    return ReasonCode.objects.get_or_create(code=code, defaults={"label": label})[0]


def _load_cycle(month: date, data: history.History, ids: _Ids, users: dict, freeze) -> None:
    cycle = Cycle.objects.create(
        month=month,
        owner=users["manager"],
        stage=Stage.SIGN_OFF,
        stage_due=stage_due_dates(month),
        move_count=len(history.STAGES),
    )
    overrides = [o for o in data.overrides if o.cycle_month == month]
    _fill_plan(cycle, data, overrides, ids, users)
    if freeze:
        freeze(cycle)
    _release(cycle, _closings(cycle, data.stage_delays[month]), users)
    audit_record(
        actor=None,
        action="demo.history",
        obj=cycle,
        after={"month": f"{month:%Y-%m}", "overrides": len(overrides)},
        reason="Demo company: a past cycle, generated and released",
        cycle_id=cycle.pk,
    )


def _fill_plan(cycle: Cycle, data: history.History, overrides: list, ids: _Ids, users) -> None:
    """Budget and baseline, then demand, then supply, in the sequences their stages write them."""
    assert data.budget is not None and data.supply is not None, "history.generate fills both"
    plan = data.plan[data.plan["cycle_month"] == cycle.month]
    _write(cycle, BASELINE_SEQ, _budget_rows(data.budget, cycle.month, ids), None)
    _write(cycle, BASELINE_SEQ, _baseline_rows(plan, ids), None)
    _write_consensus(cycle, plan, ids)
    _write(cycle, DEMAND_SEQ, _demand_rows(plan, overrides, ids), None)
    _write_overrides(cycle, overrides, ids, users)
    _write_promotions(cycle, data.promotions, ids, users)
    _write(cycle, SUPPLY_SEQ, _supply_rows(data.supply, cycle.month, ids), users["supply"].pk)
    rollup_refresh(cycle=cycle)


def _write_consensus(cycle: Cycle, plan: pd.DataFrame, ids: _Ids) -> None:
    """The consensus as the baseline load left it; the cells people changed, from DEMAND_SEQ."""
    loaded = plan.assign(loaded=plan[MeasureCode.BASELINE].clip(lower=0))
    changed = loaded[MeasureCode.CONSENSUS].round(4) != loaded["loaded"].round(4)
    _write(
        cycle, BASELINE_SEQ, {MeasureCode.CONSENSUS: _cells(loaded[~changed], "loaded", ids)}, None
    )
    # the rows of the changed cells are the ones inserted after `mark` (one seeding process)
    mark = PlanValue.objects.aggregate(last=Max("pk"))["last"] or 0
    _write(
        cycle, BASELINE_SEQ, {MeasureCode.CONSENSUS: _cells(loaded[changed], "loaded", ids)}, None
    )
    PlanValue.objects.filter(cycle=cycle, measure=MeasureCode.CONSENSUS, pk__gt=mark).update(
        valid_to_seq=DEMAND_SEQ
    )
    _write(
        cycle,
        DEMAND_SEQ,
        {MeasureCode.CONSENSUS: _cells(loaded[changed], MeasureCode.CONSENSUS, ids)},
        None,
    )


def _release(cycle: Cycle, closed: dict[str, datetime], users: dict) -> None:
    """A version per stage exit, the approval, then the release (the plan locks here)."""
    _write_versions(cycle, closed, users["manager"])
    _decide_gaps(cycle, users["manager"])
    _approve(cycle, users["exec"], closed[Stage.SIGN_OFF])
    Cycle.objects.filter(pk=cycle.pk).update(
        version_seq=cycle.version_seq,
        status=Cycle.Status.RELEASED,
        released_at=closed[Stage.SIGN_OFF],
    )


def _decide_gaps(cycle: Cycle, manager) -> None:
    """A released cycle passed its gates: every gap has the team's decision."""
    from reconciliation.models import GapDecision
    from reconciliation.selectors import undecided_gaps

    GapDecision.objects.bulk_create(
        GapDecision(
            cycle=cycle,
            gap_key=gap.key,
            gap_label=gap.label,
            decision=GapDecision.Decision.ACCEPT,
            owner=manager,
            rationale="Accepted at the reconciliation meeting: within what the month can absorb.",
            expected_impact="None beyond the plan as released",
            decided_by=manager,
        )
        for gap in undecided_gaps(cycle)
    )


def _write(cycle: Cycle, seq: int, rows: dict[str, list], actor_id: int | None) -> None:
    cycle.version_seq = seq
    for measure, values in rows.items():
        plan_values_insert(cycle=cycle, measure=measure, rows=values, actor_id=actor_id)


def _cells(frame: pd.DataFrame, column: str, ids: _Ids, *, skip_zero: bool = False) -> list:
    products = frame["sku"].map(ids.product)
    territories = frame["territory"].map(ids.territory)
    values = frame[column].round(4)
    keep = values != 0 if skip_zero else values.notna()
    return list(
        zip(
            products[keep].astype(int).tolist(),
            territories[keep].astype(int).tolist(),
            frame.loc[keep, "month"].tolist(),
            values[keep].astype(float).tolist(),
            strict=True,
        )
    )


def _baseline_rows(plan: pd.DataFrame, ids: _Ids) -> dict[str, list]:
    return {measure: _cells(plan, column, ids) for measure, column in BASELINE_MEASURES.items()}


def _demand_rows(plan: pd.DataFrame, overrides: list, ids: _Ids) -> dict[str, list]:
    rows: dict[str, list] = {
        MeasureCode.EVENTS: _cells(plan, MeasureCode.EVENTS, ids, skip_zero=True),
        MeasureCode.OVERRIDE: [],
    }
    if overrides:
        cells = pd.concat([o.cells.assign(month=o.month) for o in overrides])
        rows[MeasureCode.OVERRIDE] = _cells(cells[cells["after"] != cells["before"]], "after", ids)
    return rows


def _budget_rows(budget: pd.DataFrame, month: date, ids: _Ids) -> dict[str, list]:
    frame = budget[budget["cycle_month"] == month]
    products = frame["family"].map(lambda code: ids.anchors[ids.family[code]].product_id)
    territories = frame["territory"].map(ids.territory)
    return {
        measure: list(
            zip(
                products.tolist(),
                territories.tolist(),
                frame["month"].tolist(),
                frame[column].astype(float).tolist(),
                strict=True,
            )
        )
        for measure, column in (
            (MeasureCode.BUDGET_UNITS, "units"),
            (MeasureCode.BUDGET_REVENUE, "revenue"),
        )
    }


def _supply_rows(supply: pd.DataFrame, month: date, ids: _Ids) -> dict[str, list]:
    frame = supply[supply["cycle_month"] == month]
    rows: dict[str, list] = {}
    for record in frame.itertuples(index=False):
        anchor = ids.anchors[ids.family[str(record.family)]]
        rows.setdefault(str(record.measure), []).append(
            (anchor.product_id, anchor.territory_id, record.month, record.value)
        )
    return rows


def _write_overrides(cycle: Cycle, overrides: list, ids: _Ids, users: dict) -> None:
    for spec in overrides:
        cells = spec.cells[spec.cells["after"] != spec.cells["before"]]
        if not len(cells):
            continue
        override = Override.objects.create(
            cycle=cycle,
            actor=users[spec.planner],
            reason=ids.reason[spec.reason],
            comment=f"{spec.percent:+g} % on {spec.family.upper()} in {spec.region}",
            scope={"family": ids.family[spec.family], "region": ids.region[spec.region]},
            scope_label=f"Family {spec.family.upper()} x region {spec.region}",
            first_month=spec.month,
            last_month=spec.month,
            mode=Override.Mode.PERCENT,
            value=round(spec.percent, 4),
            total_before=round(float(spec.cells["before"].sum()), 4),
            total_after=round(float(spec.cells["after"].sum()), 4),
            cell_count=len(cells),
        )
        OverrideCell.objects.bulk_create(
            [
                OverrideCell(
                    override=override,
                    product_id=ids.product[row.sku],
                    territory_id=ids.territory[row.territory],
                    month=spec.month,
                    before=round(float(row.before), 4),
                    after=round(float(row.after), 4),
                )
                for row in cells.itertuples(index=False)
            ],
            batch_size=2000,
        )


def _write_promotions(cycle: Cycle, promotions: list, ids: _Ids, users: dict) -> None:
    """The promotions behind the plan's events figures, as the events table lists them."""
    for spec in (p for p in promotions if p.cycle_month == cycle.month):
        event = DemandEvent.objects.create(
            cycle=cycle,
            kind=DemandEvent.Kind.PROMOTION,
            name=f"{ids.family_name[spec.family]} in {ids.region_name[spec.region]}",
            family_id=ids.family[spec.family],
            first_month=spec.month,
            last_month=spec.month,
            uplift_percent=spec.percent,
            created_by=users[f"planner-{spec.region}"],
        )
        event.territories.set(ids.places[spec.region])


def _closings(cycle: Cycle, delays: dict[str, int]) -> dict[str, datetime]:
    """When each stage closed: its due date moved by the generator's delay (some are late)."""
    closed, earliest = {}, None
    for stage in history.STAGES:
        due = date.fromisoformat(cycle.stage_due[stage])
        day = due + timedelta(days=delays[stage])
        day = max(day, earliest) if earliest else day
        closed[stage] = datetime.combine(day, CLOSING_HOUR, tzinfo=UTC)
        earliest = day
    return closed


def _write_versions(cycle: Cycle, closed: dict[str, datetime], actor: User) -> None:
    """The baseline's version, then one per stage exit; the cycle's sequence moves past them."""
    loaded = closed[Stage.DATA_GATHERING] - BASELINE_LOADED
    taken = [("Baseline (demo forecast)", Stage.DATA_GATHERING, loaded)]
    taken += [(f"{cycle} · {Stage(s).label}", Stage(s), closed[s]) for s in history.STAGES]
    for seq, (label, stage, when) in enumerate(taken, start=1):
        version = PlanVersion.objects.create(
            cycle=cycle, seq=seq, stage=stage, label=label, created_by=actor
        )
        PlanVersion.objects.filter(pk=version.pk).update(created_at=when)
    cycle.version_seq = len(taken) + 1


def _approve(cycle: Cycle, executive, when: datetime) -> None:
    decision = SignOffDecision.objects.create(
        cycle=cycle,
        move_no=cycle.move_count - 1,
        decided_by=executive,
        decision=SignOffDecision.Decision.APPROVE,
        comment="Approved (demo history).",
    )
    SignOffDecision.objects.filter(pk=decision.pk).update(decided_at=when)
