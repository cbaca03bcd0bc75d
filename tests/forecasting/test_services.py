"""Forecast runs through their services: start, chunks, finish, cancel, supersede."""

import pytest
from django.db.models import Count

from accounts.roles import Role
from audit.models import AuditEvent
from cycles.hooks import run_stage_exit_hooks
from cycles.models import Cycle
from cycles.stages import Stage
from forecasting import services
from forecasting.models import ForecastRun, ForecastSeries, ForecastValue
from sop_planner.errors import DomainError, NotAllowed
from tests.factories import mark_released
from tests.fixtures.forecasting import compute_all

pytestmark = pytest.mark.django_db
ALLOWED = {Role.SALES_OPS_ANALYST, Role.SALES_OPS_MANAGER}


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 10)


def test_a_run_forecasts_every_series_for_the_cycles_twelve_months(cycle, history, manager):
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    assert (run.status, run.series_total, run.chunk_count) == ("queued", history, 3)
    compute_all(run)
    run = services.forecast_run_finish(run_id=run.pk)
    assert run.status == "done" and run.series_done == history
    assert ForecastSeries.objects.filter(run=run).count() == history
    months = set(ForecastValue.objects.filter(run=run).values_list("month", flat=True))
    assert months == set(cycle.horizon())
    per_series = ForecastValue.objects.filter(run=run).values("product", "territory")
    assert {row["n"] for row in per_series.annotate(n=Count("id"))} == {12}


def test_the_summary_has_method_mix_accuracy_and_worst_series(cycle, history, manager):
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    compute_all(run)
    summary = services.forecast_run_finish(run_id=run.pk).summary
    assert sum(summary["methods"].values()) == history
    assert summary["classes"]["new"] == 4
    assert summary["mase"]["p50"] > 0
    assert len(summary["worst_by_error"]) == 10
    assert " / " in summary["worst_by_bias"][0]["series"]


def test_running_a_chunk_twice_writes_the_same_rows_once(cycle, history, manager):
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    compute_all(run)
    first = list(
        ForecastValue.objects.filter(run=run).order_by("id").values_list("point", flat=True)
    )
    services.forecast_chunk_compute(run_id=run.pk, chunk_number=1)
    again = ForecastValue.objects.filter(run=run)
    assert again.count() == history * 12
    assert sorted(again.values_list("point", flat=True)) == sorted(first)
    assert ForecastRun.objects.get(pk=run.pk).series_done == history


def test_a_released_cycle_refuses_a_run_and_nothing_is_created(cycle, history, manager):
    mark_released(cycle)
    with pytest.raises(DomainError, match="is released"):
        services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    assert not ForecastRun.objects.exists()


def test_a_newer_run_supersedes_the_active_one_whose_chunks_then_write_nothing(
    cycle, history, manager
):
    old = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    new = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    assert ForecastRun.objects.get(pk=old.pk).status == "superseded"
    assert services.forecast_chunk_compute(run_id=old.pk, chunk_number=0) == 0
    assert not ForecastValue.objects.filter(run=old).exists()
    assert ForecastRun.objects.get(pk=new.pk).status == "queued"


def test_a_cancelled_run_stops_and_cannot_be_cancelled_twice(cycle, history, manager):
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    services.forecast_chunk_compute(run_id=run.pk, chunk_number=0)
    services.forecast_run_cancel(run_id=run.pk, actor=manager)
    assert services.forecast_chunk_compute(run_id=run.pk, chunk_number=1) == 0
    assert services.forecast_run_finish(run_id=run.pk).status == "cancelled"
    with pytest.raises(DomainError, match="only a queued or running run can be cancelled"):
        services.forecast_run_cancel(run_id=run.pk, actor=manager)
    assert AuditEvent.objects.filter(action="forecast.cancel").count() == 1


def test_finishing_early_waits_for_the_last_chunk_which_completes_the_run(cycle, history, manager):
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    services.forecast_chunk_compute(run_id=run.pk, chunk_number=0)
    assert services.forecast_run_finish(run_id=run.pk).status == "running"
    services.forecast_chunk_compute(run_id=run.pk, chunk_number=2)
    services.forecast_chunk_compute(run_id=run.pk, chunk_number=1)
    run.refresh_from_db()
    assert (run.status, run.series_done) == ("done", history)
    assert run.summary["series"] == history


def test_a_failed_chunk_fails_the_run_with_its_message(cycle, history, manager):
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    services.forecast_run_fail(run_id=run.pk, error="Chunk 1: out of memory")
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", "Chunk 1: out of memory")
    assert services.forecast_chunk_compute(run_id=run.pk, chunk_number=0) == 0


def test_leaving_data_gathering_starts_a_run(cycle, history, manager):
    run_stage_exit_hooks(stage=Stage.DATA_GATHERING, cycle_id=cycle.pk, actor_id=manager.pk)
    run = ForecastRun.objects.get(cycle=cycle)
    assert (run.trigger, run.started_by, run.status) == ("stage exit", manager, "queued")


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_start_and_cancel_follow_the_permission_table(role, cycle, history, users_by_role):
    user = users_by_role[role]
    if role in ALLOWED:
        run = services.forecast_run_start(cycle_id=cycle.pk, actor=user)
        assert services.forecast_run_cancel(run_id=run.pk, actor=user).status == "cancelled"
        return
    with pytest.raises(NotAllowed):
        services.forecast_run_start(cycle_id=cycle.pk, actor=user)
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=cycle.owner)
    with pytest.raises(NotAllowed):
        services.forecast_run_cancel(run_id=run.pk, actor=user)
    assert ForecastRun.objects.get(pk=run.pk).status == "queued"


def test_the_cycle_owner_may_start_and_cancel_whatever_their_role(cycle, history, user_with_role):
    owner = user_with_role(Role.FINANCE)
    Cycle.objects.filter(pk=cycle.pk).update(owner=owner)
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=owner)
    assert services.forecast_run_cancel(run_id=run.pk, actor=owner).status == "cancelled"


def test_a_product_discontinued_in_the_master_data_gets_zero_forecasts(
    cycle, history, manager, company
):
    product = company.products[0]
    product.discontinued_month = cycle.month
    product.save()
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    compute_all(run)
    rows = ForecastSeries.objects.filter(run=run, product=product)
    assert {r.method for r in rows} == {"Zero"} and rows.count() == 4
    assert not ForecastValue.objects.filter(run=run, product=product, point__gt=0).exists()
    assert ForecastValue.objects.filter(run=run, point__gt=0).exists()
