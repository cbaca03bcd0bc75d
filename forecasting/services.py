"""Writes of forecast runs: start, compute a chunk, finish, cancel.

A run is split into chunks of series; each chunk task computes its series with
the engine and replaces its own rows in one transaction, so a chunk that runs
twice (a redelivered task) writes the same rows once.
"""

import math
import os
import time
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record
from cycles.calendar import add_months
from cycles.models import Cycle
from forecasting import hooks, runs, selectors
from forecasting.models import ForecastChunk, ForecastRun, ForecastSeries, ForecastValue
from sop_planner import background
from sop_planner.errors import DomainError, Missing

CHUNK_SIZE = int(os.environ.get("FORECAST_CHUNK_SIZE", "100"))
WRITE_BATCH = 5000


@transaction.atomic
def forecast_run_start(
    *, cycle_id: int, actor: User, trigger: str = "manual", config: dict | None = None
) -> ForecastRun:
    """Queue a recomputation of the cycle's baseline; it supersedes any active run."""
    cycle = Cycle.objects.select_for_update().filter(pk=cycle_id).first()
    if cycle is None:
        raise DomainError(f"There is no cycle {cycle_id}.")
    _ensure_may_run(actor, cycle)
    return _start(cycle=cycle, actor=actor, trigger=trigger, config=config or {})


def forecast_run_start_on_stage_exit(*, cycle_id: int, actor_id: int | None) -> ForecastRun | None:
    """The cycle left data gathering (already authorized): recompute, unless released."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
        if cycle.status == Cycle.Status.RELEASED:
            return None
        return _start(cycle=cycle, actor=actor, trigger="stage exit", config={})


def _ensure_may_run(actor: User, cycle: Cycle) -> None:
    """can(actor, "forecast.run", cycle), with a released cycle refused in forecasting's words."""
    if cycle.status == Cycle.Status.RELEASED:
        ensure_allowed(actor, "forecast.run")
        raise DomainError(f"{cycle} is released: its forecast can no longer be recomputed.")
    ensure_allowed(actor, "forecast.run", cycle)


@transaction.atomic
def _start(*, cycle: Cycle, actor: User | None, trigger: str, config: dict) -> ForecastRun:
    superseded = _supersede_active(cycle)
    end = add_months(cycle.month, -1)
    series = selectors.series_with_actuals(end=end)
    run = ForecastRun.objects.create(
        cycle=cycle,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
        trigger=trigger,
        history_end=end,
        config=config,
        series_total=len(series),
    )
    chunks = runs.chunked(series, CHUNK_SIZE)
    ForecastChunk.objects.bulk_create(
        ForecastChunk(run=run, number=n, series=chunk, series_count=len(chunk))
        for n, chunk in enumerate(chunks)
    )
    run.chunk_count = len(chunks)
    run.save(update_fields=["chunk_count"])
    audit_record(
        actor=actor,
        action="forecast.run",
        obj=run,
        after={"series": len(series), "chunks": len(chunks), "superseded": superseded},
        reason=trigger,
        cycle_id=cycle.pk,
    )
    transaction.on_commit(lambda: _enqueue(run.pk, list(range(len(chunks)))))
    return run


def _supersede_active(cycle: Cycle) -> list[int]:
    active = ForecastRun.objects.select_for_update().filter(
        cycle=cycle, status__in=ForecastRun.ACTIVE
    )
    ids = list(active.values_list("pk", flat=True))
    active.update(status=ForecastRun.Status.SUPERSEDED, finished_at=timezone.now())
    return ids


def _enqueue(run_id: int, chunks: list[int]) -> None:
    from forecasting import tasks

    background.publish(
        lambda: tasks.enqueue_run(run_id=run_id, chunks=chunks),
        on_failure=lambda message: forecast_run_fail(run_id=run_id, error=message),
    )


def forecast_runs_sweep() -> int:
    """Publish again the chunks of runs queued for a while that no worker has started.

    Their tasks were lost between the commit that queued the run and the publish (a
    web process killed in between). A chunk that does arrive twice writes its rows once.
    """
    lost = ForecastRun.objects.filter(
        status=ForecastRun.Status.QUEUED, started_at=None, created_at__lt=background.stale_before()
    )
    for run in lost:
        chunks = list(run.chunks.filter(done=False).values_list("number", flat=True))
        _enqueue(run.pk, chunks)
    return len(lost)


@transaction.atomic
def forecast_run_mark_loaded(*, run_id: int) -> None:
    """The run's forecast is now the plan's baseline (demand planning loaded it)."""
    ForecastRun.objects.filter(pk=run_id).update(baseline_loaded_at=timezone.now())


def forecast_chunk_compute(*, run_id: int, chunk_number: int) -> int:
    """Compute one chunk and replace its rows; returns the rows written (0 if skipped)."""
    if not _mark_running(run_id):
        return 0
    chunk = ForecastChunk.objects.select_related("run").get(run_id=run_id, number=chunk_number)
    started = time.perf_counter()
    result = _compute(chunk)
    return _write_chunk(chunk, result, seconds=time.perf_counter() - started)


def _mark_running(run_id: int) -> bool:
    """False when the run was cancelled or superseded: the chunk has nothing to do."""
    ForecastRun.objects.filter(pk=run_id, status=ForecastRun.Status.QUEUED).update(
        status=ForecastRun.Status.RUNNING, started_at=timezone.now()
    )
    return ForecastRun.objects.filter(pk=run_id, status=ForecastRun.Status.RUNNING).exists()


def _compute(chunk: ForecastChunk):
    import pandas as pd

    from forecasting.engine import EngineConfig, forecast_series

    run = chunk.run
    series = [tuple(s) for s in chunk.series]
    history = selectors.history_frame(series=series, end=run.history_end)
    config = EngineConfig(**run.config)
    stops = {
        uid: pd.Timestamp(month) for uid, month in selectors.discontinued(series=series).items()
    }
    reported = selectors.last_reported(series=series, end=run.history_end)
    return forecast_series(
        history, config=config, end=pd.Timestamp(run.history_end), stops=stops, reported=reported
    )


@transaction.atomic
def _write_chunk(chunk: ForecastChunk, result, *, seconds: float) -> int:
    run = ForecastRun.objects.select_for_update().get(pk=chunk.run_id)
    if run.status != ForecastRun.Status.RUNNING:
        return 0
    ForecastValue.objects.filter(run=run, chunk=chunk.number).delete()
    ForecastSeries.objects.filter(run=run, chunk=chunk.number).delete()
    ForecastSeries.objects.bulk_create(_series_rows(run, chunk, result), batch_size=WRITE_BATCH)
    values = _value_rows(run, chunk, result)
    ForecastValue.objects.bulk_create(values, batch_size=WRITE_BATCH)
    ForecastChunk.objects.filter(pk=chunk.pk).update(
        done=True, seconds=round(seconds, 3), backtest=_backtest_json(result.backtests)
    )
    _update_progress(run)
    if run.series_done == run.series_total and not run.chunks.filter(done=False).exists():
        _complete(run)
    return len(values)


def _series_rows(run, chunk, result) -> list[ForecastSeries]:
    rows = []
    for row in result.selections.itertuples(index=False):
        product, territory = runs.parse_series_id(row.unique_id)
        rows.append(
            ForecastSeries(
                run=run,
                chunk=chunk.number,
                product_id=product,
                territory_id=territory,
                method=row.method,
                demand_class=row.demand_class,
                months=row.months,
                mase=_number(row.mase),
                wape=_number(row.wape),
                bias=_number(row.bias),
                reason=row.reason,
                scores=row.scores,
            )
        )
    return rows


def _value_rows(run, chunk, result) -> list[ForecastValue]:
    frame = result.forecasts
    ids = [runs.parse_series_id(uid) for uid in frame["unique_id"]]
    columns = zip(
        ids,
        frame["ds"].dt.date,
        frame["point"].round(3),
        frame["lo80"].round(3),
        frame["hi80"].round(3),
        frame["lo95"].round(3),
        frame["hi95"].round(3),
        strict=True,
    )
    return [
        ForecastValue(
            run=run,
            chunk=chunk.number,
            product_id=product,
            territory_id=territory,
            month=month,
            point=point,
            lo80=lo80,
            hi80=hi80,
            lo95=lo95,
            hi95=hi95,
        )
        for (product, territory), month, point, lo80, hi80, lo95, hi95 in columns
    ]


def _backtest_json(frame) -> dict:
    out: dict[str, dict[str, float]] = {}
    for uid, month, value in zip(frame["unique_id"], frame["ds"], frame["forecast"], strict=True):
        out.setdefault(uid, {})[f"{month:%Y-%m}"] = round(float(value), 3)
    return out


def _number(value) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _update_progress(run: ForecastRun) -> None:
    done = run.chunks.filter(done=True).values_list("series_count", flat=True)
    run.series_done = sum(done)
    run.save(update_fields=["series_done"])


@transaction.atomic
def forecast_run_finish(*, run_id: int) -> ForecastRun:
    """The chord's last step: done with its summary once every chunk has written.

    The last chunk to write completes the run itself, so this is the backstop
    (and the whole story for a run without series). A run with a chunk still
    on its way (a redelivered task) is left to that chunk.
    """
    run = ForecastRun.objects.select_for_update().get(pk=run_id)
    if run.status in ForecastRun.ACTIVE and not run.chunks.filter(done=False).exists():
        _complete(run)
    elif run.status == ForecastRun.Status.DONE and run.baseline_loaded_at is None:
        # Done by its last chunk, whose worker may have died before the load was
        # published: ask again (loading is idempotent).
        transaction.on_commit(partial(hooks.run_done_hooks, run_id=run.pk))
    return run


def _complete(run: ForecastRun) -> None:
    run.status = ForecastRun.Status.DONE
    run.started_at = run.started_at or timezone.now()
    run.finished_at = timezone.now()
    from forecasting import coherence  # pandas and the engine: only where a run completes

    run.reconciliation = coherence.make_run_coherent(run)
    run.summary = runs.summarize(selectors.summary_rows(run.pk))
    run.save(update_fields=["status", "started_at", "finished_at", "summary", "reconciliation"])
    transaction.on_commit(partial(hooks.run_done_hooks, run_id=run.pk))


@transaction.atomic
def forecast_run_fail(*, run_id: int, error: str) -> ForecastRun:
    """A chunk failed for good: the run stops and says why."""
    run = ForecastRun.objects.select_for_update().get(pk=run_id)
    if run.status not in ForecastRun.ACTIVE:
        return run
    return _fail(run, error)


def _fail(run: ForecastRun, error: str) -> ForecastRun:
    run.status = ForecastRun.Status.FAILED
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    return run


@transaction.atomic
def forecast_run_cancel(*, run_id: int, actor: User) -> ForecastRun:
    """Stop a queued or running run; chunks not yet written are skipped."""
    run = ForecastRun.objects.select_for_update().select_related("cycle").filter(pk=run_id).first()
    if run is None:
        raise Missing(f"There is no forecast run {run_id}.")
    ensure_allowed(actor, "forecast.cancel", run)
    if run.status not in ForecastRun.ACTIVE:
        raise DomainError(
            f"Run {run.pk} is {run.status}: only a queued or running run can be cancelled."
        )
    run.status = ForecastRun.Status.CANCELLED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    audit_record(actor=actor, action="forecast.cancel", obj=run, cycle_id=run.cycle_id)
    return run
