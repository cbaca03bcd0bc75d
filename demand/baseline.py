"""The statistical baseline into the plan, and the consensus recomputed from it.

consensus = (the override where a planner set one, else baseline) + events,
never below zero: the rule of demand.plan_arith.consensus_of, in SQL. Everything here is set-based SQL through cycles.plan_bulk, so a
company of 10,000 series loads in a few statements, on PostgreSQL and SQLite.
"""

from django.db import transaction

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record
from cycles.calendar import add_months
from cycles.measures import MeasureCode
from cycles.models import Cycle, PlanValue, PlanVersion
from cycles.plan_bulk import (
    TABLE,
    as_plan_number,
    plan_values_upsert_from_query,
    refresh_statistics,
)
from cycles.plan_services import locked_cycle, plan_version_snapshot, refuse_if_released
from cycles.stages import BASELINE_STAGES
from demand.rollup import rollup_refresh
from forecasting.models import ForecastRun, ForecastValue
from forecasting.selectors import latest_done_run
from forecasting.services import forecast_run_mark_loaded
from sop_planner import background
from sop_planner.errors import DomainError

LOADABLE_STAGES = BASELINE_STAGES
BIG_LOAD = 10_000  # figures changed; above it the planner's statistics are refreshed
BASELINE_COLUMNS = {
    MeasureCode.BASELINE: "point",
    MeasureCode.BASELINE_LOW: "lo80",
    MeasureCode.BASELINE_HIGH: "hi80",
}


@transaction.atomic
def baseline_load(*, actor: User, cycle_id: int) -> dict:
    """The cycle owner or an analyst loads the latest finished forecast run by hand."""
    cycle = locked_cycle(cycle_id)
    ensure_allowed(actor, "demand.baseline.load", cycle)
    run = latest_done_run(cycle.pk)
    if run is None:
        raise DomainError(f"{cycle} has no finished forecast run to load yet.")
    return _load(cycle, run, actor)


def baseline_load_run(*, run_id: int, actor: User | None) -> dict | None:
    """A run finished: load it, unless a newer one is done or demand is already frozen."""
    refresh_statistics(ForecastValue._meta.db_table)  # its rows were just bulk-written
    with transaction.atomic():
        run = ForecastRun.objects.get(pk=run_id)
        cycle = locked_cycle(run.cycle_id)
        latest = latest_done_run(cycle.pk)
        if cycle.is_released or cycle.stage_enum not in LOADABLE_STAGES or latest != run:
            return None
        return _load(cycle, run, actor)


def baselines_not_loaded() -> list[int]:
    """Finished runs that should be the baseline by now and are not (a lost load task).

    The latest finished run of each unreleased cycle still in a loadable stage, done
    a while ago, with no load recorded.
    """
    candidates = ForecastRun.objects.filter(
        status=ForecastRun.Status.DONE,
        baseline_loaded_at=None,
        finished_at__lt=background.stale_before(),
        cycle__status=Cycle.Status.OPEN,
        cycle__stage__in=[stage.value for stage in LOADABLE_STAGES],
    ).select_related("cycle")
    return [run.pk for run in candidates if latest_done_run(run.cycle_id) == run]


def _load(cycle: Cycle, run: ForecastRun, actor: User | None) -> dict:
    refuse_if_released(cycle)
    if cycle.stage_enum not in LOADABLE_STAGES:
        raise DomainError(
            f"{cycle} is in {cycle.stage_enum.label}: the consensus demand is frozen, "
            "the baseline can no longer be reloaded."
        )
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    changed = {
        measure: plan_values_upsert_from_query(
            cycle=cycle,
            measure=measure,
            source_sql=_forecast_sql(column),
            params=[run.pk, cycle.month, add_months(cycle.month, 11)],
            actor_id=actor_id,
        )
        for measure, column in BASELINE_COLUMNS.items()
    }
    if sum(changed.values()) > BIG_LOAD:
        refresh_statistics()
    changed[MeasureCode.CONSENSUS] = consensus_recompute(cycle=cycle, actor_id=actor_id)
    rollup_refresh(cycle=cycle)
    forecast_run_mark_loaded(run_id=run.pk)
    version = _baseline_snapshot(cycle, run, actor, changed)
    audit_record(
        actor=actor,
        action="demand.baseline_load",
        obj=run,
        after={"run": run.pk, "changed": changed, "version": version.seq if version else None},
        reason="forecast run finished" if actor_id is None else "loaded by hand",
        cycle_id=cycle.pk,
    )
    return changed


def _baseline_snapshot(
    cycle: Cycle, run: ForecastRun, actor: User | None, changed: dict
) -> PlanVersion | None:
    """The plan as the run left it, as a version: what people change later is compared to it.

    A load that changed nothing (a retried task) takes no second, identical version.
    """
    if not any(changed.values()):
        return None
    label = f"Baseline (forecast run #{run.pk})"
    version = plan_version_snapshot(cycle=cycle, actor=actor, label=label)
    cycle.save(update_fields=["version_seq", "updated_at"])
    return version


def _forecast_sql(column: str) -> str:
    table = ForecastValue._meta.db_table
    return (
        f"SELECT fv.product_id, fv.territory_id, fv.month, {as_plan_number('fv.' + column)} "
        f"AS value FROM {table} fv WHERE fv.run_id = %s AND fv.month >= %s AND fv.month <= %s"
    )


def consensus_recompute(
    *, cycle: Cycle, actor_id: int | None, product_ids=None, territory_ids=None
) -> int:
    """Consensus = max((override, else baseline) + events, 0) for the cells of these series.

    The SQL form of demand.plan_arith.consensus_of: an override replaces the
    pre-event figure and events stay on top of it.
    """
    where, params = _series_filter(product_ids, territory_ids)
    pre_event_plus_events = "COALESCE(o.value, b.value, 0) + COALESCE(e.value, 0)"
    source = (
        f"SELECT k.product_id, k.territory_id, k.month, CASE WHEN {pre_event_plus_events} "
        f"< 0 THEN 0 ELSE {pre_event_plus_events} END AS value FROM "
        f"(SELECT DISTINCT product_id, territory_id, month FROM {TABLE} WHERE cycle_id = %s "
        "AND valid_to_seq IS NULL AND measure IN ('baseline', 'events', 'override')"
        f"{where}) k {_join('b', 'baseline')} {_join('e', 'events')} {_join('o', 'override')}"
    )
    return plan_values_upsert_from_query(
        cycle=cycle,
        measure=MeasureCode.CONSENSUS,
        source_sql=source,
        params=[cycle.pk, *params, cycle.pk, cycle.pk, cycle.pk],
        actor_id=actor_id,
    )


def _join(alias: str, measure: str) -> str:
    return (
        f"LEFT JOIN {TABLE} {alias} ON {alias}.cycle_id = %s AND {alias}.measure = '{measure}' "
        f"AND {alias}.valid_to_seq IS NULL AND {alias}.product_id = k.product_id "
        f"AND {alias}.territory_id = k.territory_id AND {alias}.month = k.month"
    )


def _series_filter(product_ids, territory_ids) -> tuple[str, list]:
    where, params = "", []
    for column, ids in (("product_id", product_ids), ("territory_id", territory_ids)):
        if ids is not None:
            ids = sorted(set(ids)) or [0]
            where += f" AND {column} IN ({', '.join(['%s'] * len(ids))})"
            params += ids
    return where, params


def current_values(cycle: Cycle, measure: str):
    return PlanValue.objects.live().filter(cycle=cycle, measure=measure)
