"""The write side of reassessment: recompute the stored scores, by hand or after an upload."""

from __future__ import annotations

import time
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record
from cycles.calendar import horizon
from cycles.models import Cycle
from forecasting.models import SalesActual
from reassessment.models import AccuracyScore, FvaScore, ScoreRun

if TYPE_CHECKING:
    from reassessment.scoring import ScoredCells


def months_with_scores_due() -> list[date]:
    """Every month that has actuals and lies in the horizon of a released plan."""
    released = Cycle.objects.filter(status=Cycle.Status.RELEASED).values_list("month", flat=True)
    covered = {month for cycle_month in released for month in horizon(cycle_month)}
    if not covered:
        return []
    periods = SalesActual.objects.filter(period__in=covered).values_list("period", flat=True)
    return sorted(set(periods.distinct()))


@transaction.atomic
def scores_recompute(*, actor: User | None = None, months: list[date] | None = None) -> ScoreRun:
    """Score every released plan covering these months (None: all months with actuals).

    Idempotent: the months' scores are replaced as a whole. `actor` None is the
    system (after an upload); a person needs 'reassessment.recompute'.
    """
    if actor is not None:
        ensure_allowed(actor, "reassessment.recompute")
    from reassessment import scoring  # pandas: imported by the recompute, not by every page

    started = time.perf_counter()
    chosen = sorted(set(months_with_scores_due() if months is None else months))
    _one_recompute_per_month(chosen)
    scored = scoring.scored_cells(chosen)
    AccuracyScore.objects.filter(month__in=chosen).delete()
    FvaScore.objects.filter(month__in=chosen).delete()
    cells = 0
    if not scored.cells.empty:
        _write(scored, since=min(chosen))
        cells = len(scored.cells)
    run = ScoreRun.objects.create(
        requested_by=actor,
        months=[f"{month:%Y-%m}" for month in chosen],
        plans_scored=len(scored.cycles),
        cells_scored=cells,
        seconds=round(time.perf_counter() - started, 3),
    )
    if actor is not None:
        audit_record(
            actor=actor,
            action="reassessment.recompute",
            obj=run,
            after={"months": run.months, "plans": run.plans_scored, "cells": run.cells_scored},
        )
    return run


SCORES_LOCK = 20_401  # the advisory-lock class of score recomputes (a month is the second key)


def _one_recompute_per_month(months: list[date]) -> None:
    """Wait for any other recompute of these months to commit, then read the actuals.

    A commit and a quick revert start two recomputes of the same month: run side by
    side, the later one's insert met the earlier's uncommitted rows and failed on
    one_score_per_plan_month_group, leaving the scores of the reverted data. Locked
    per month (in month order, so two runs cannot deadlock) until the transaction
    ends, the later run reads the actuals as they stand after the earlier run.
    """
    if connection.vendor != "postgresql":
        return  # SQLite has one writer at a time
    with connection.cursor() as cursor:
        for month in months:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [SCORES_LOCK, month.year * 12 + month.month],
            )


def _write(scored: ScoredCells, *, since: date) -> None:
    from reassessment import score_rows

    accuracy = score_rows.accuracy_rows(scored)
    AccuracyScore.objects.bulk_create(accuracy, batch_size=2000)
    FvaScore.objects.bulk_create(score_rows.fva_rows(scored), batch_size=2000)
    later = list(AccuracyScore.objects.filter(month__gte=since))
    earlier = list(AccuracyScore.objects.filter(month__lt=since))
    score_rows.tracking_updates(earlier + later)
    AccuracyScore.objects.bulk_update(later, ["tracking_signal"], batch_size=2000)


def scores_recompute_by_id(*, months: list[date] | None, actor_id: int | None) -> ScoreRun:
    """The task's entry: the actor by id (None: the system)."""
    actor = get_user_model().objects.get(pk=actor_id) if actor_id else None
    return scores_recompute(actor=actor, months=months)


def scores_recompute_request(*, actor: User) -> None:
    """A person asks for all scores again; a worker does it after this transaction."""
    from reassessment.tasks import scores_recompute_task

    ensure_allowed(actor, "reassessment.recompute")
    transaction.on_commit(lambda: scores_recompute_task.delay(None, actor.pk))
