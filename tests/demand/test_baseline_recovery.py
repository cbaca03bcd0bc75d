"""A finished forecast that was never loaded into the plan gets loaded: by the finish step
or by the sweeper, once, and never into a plan that has moved on."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cycles import services as cycle_services
from cycles.models import PlanValue
from demand.baseline import baseline_load_run, baselines_not_loaded
from demand.tasks import baseline_sweep_task
from forecasting.models import ForecastRun
from forecasting.services import forecast_run_finish
from tests.fixtures.demand import done_run

pytestmark = pytest.mark.django_db


def live(cycle, measure: str):
    return PlanValue.objects.filter(cycle=cycle, measure=measure, valid_to_seq=None)


def _finished_long_ago(run: ForecastRun) -> ForecastRun:
    ForecastRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(minutes=5))
    return ForecastRun.objects.get(pk=run.pk)


def test_the_finish_step_loads_a_done_run_whose_load_was_lost(
    demand_cycle, company, eager_celery, django_capture_on_commit_callbacks
):
    run = done_run(demand_cycle, company, point=lambda p, t, m: 7.0)  # done, never loaded
    with django_capture_on_commit_callbacks(execute=True):
        forecast_run_finish(run_id=run.pk)  # the chord's last step, after a redelivered chunk
    assert set(live(demand_cycle, "baseline").values_list("value", flat=True)) == {Decimal(7)}
    assert ForecastRun.objects.get(pk=run.pk).baseline_loaded_at is not None


def test_the_sweeper_loads_a_finished_run_nobody_loaded(demand_cycle, company, eager_celery):
    run = _finished_long_ago(done_run(demand_cycle, company, point=lambda p, t, m: 9.0))
    assert baselines_not_loaded() == [run.pk]
    assert baseline_sweep_task.apply().get() == 1
    assert set(live(demand_cycle, "baseline").values_list("value", flat=True)) == {Decimal(9)}
    assert baselines_not_loaded() == []


def test_the_sweeper_leaves_a_run_that_just_finished_and_a_superseded_one(demand_cycle, company):
    older = _finished_long_ago(done_run(demand_cycle, company, point=lambda p, t, m: 9.0))
    done_run(demand_cycle, company, point=lambda p, t, m: 11.0)  # newer, finished just now
    assert older.pk not in baselines_not_loaded()
    assert baselines_not_loaded() == []


def test_the_sweeper_leaves_a_frozen_demand_plan_alone(demand_cycle, company, planners, manager):
    for planner, territory in zip(planners, company.territories, strict=True):
        cycle_services.plan_submit(
            actor=planner, cycle_id=demand_cycle.pk, plan="demand", territory_id=territory.pk
        )
    cycle_services.cycle_advance(actor=manager, cycle_id=demand_cycle.pk, stage="demand_planning")
    _finished_long_ago(done_run(demand_cycle, company, point=lambda p, t, m: 9.0))
    assert baselines_not_loaded() == []


def test_loading_the_same_run_twice_writes_its_rows_once(demand_cycle, company):
    run = done_run(demand_cycle, company, point=lambda p, t, m: 5.0)
    first = baseline_load_run(run_id=run.pk, actor=None)
    rows = live(demand_cycle, "baseline").count()
    second = baseline_load_run(run_id=run.pk, actor=None)
    assert first["baseline"] == rows and second["baseline"] == 0
    assert live(demand_cycle, "baseline").count() == rows
    assert set(live(demand_cycle, "baseline").values_list("row_version", flat=True)) == {2}
