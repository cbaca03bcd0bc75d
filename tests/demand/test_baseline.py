"""The finished forecast becomes the plan's baseline, and the consensus follows it."""

from decimal import Decimal

import pytest

from cycles.models import PlanValue
from demand.baseline import baseline_load
from forecasting import hooks
from sop_planner.errors import DomainError, NotAllowed
from tests.fixtures.demand import done_run

pytestmark = pytest.mark.django_db


def current(cycle, measure):
    return PlanValue.objects.filter(cycle=cycle, measure=measure, valid_to_seq=None)


def test_loading_a_run_fills_baseline_interval_and_consensus(demand_cycle, company):
    cells = len(company.products) * len(company.territories) * 12
    for measure in ("baseline", "baseline_low", "baseline_high", "consensus"):
        assert current(demand_cycle, measure).count() == cells
    row = current(demand_cycle, "consensus").filter(product=company.products[1]).first()
    assert row.value == Decimal("20")
    low = current(demand_cycle, "baseline_low").filter(product=company.products[1]).first()
    assert low.value == Decimal("16")


def test_loading_the_same_run_again_changes_nothing(demand_cycle, manager):
    versions = list(current(demand_cycle, "consensus").values_list("row_version", flat=True))
    changed = baseline_load(actor=manager, cycle_id=demand_cycle.pk)
    assert changed == {"baseline": 0, "baseline_low": 0, "baseline_high": 0, "consensus": 0}
    assert list(current(demand_cycle, "consensus").values_list("row_version", flat=True)) == (
        versions
    )


def test_a_newer_run_updates_the_baseline_and_the_consensus(demand_cycle, company, eager_celery):
    run = done_run(demand_cycle, company, point=lambda p, t, m: 50.0)
    hooks.run_done_hooks(run_id=run.pk)
    assert set(current(demand_cycle, "consensus").values_list("value", flat=True)) == {Decimal(50)}
    assert current(demand_cycle, "consensus").first().row_version == 2


def test_only_the_owner_or_an_analyst_loads_by_hand(demand_cycle, planners):
    with pytest.raises(NotAllowed):
        baseline_load(actor=planners[0], cycle_id=demand_cycle.pk)


def test_a_cycle_without_a_finished_run_says_so(manager, company):
    from datetime import date

    from cycles import services

    cycle = services.cycle_open(actor=manager, month=date(2027, 1, 1))
    with pytest.raises(DomainError, match="no finished forecast run"):
        baseline_load(actor=manager, cycle_id=cycle.pk)


def test_a_run_finishing_loads_itself_into_the_plan(
    demand_cycle, company, django_capture_on_commit_callbacks, eager_celery
):
    from forecasting.models import ForecastRun
    from forecasting.services import forecast_run_finish

    run = done_run(demand_cycle, company, point=lambda p, t, m: 7.0)
    ForecastRun.objects.filter(pk=run.pk).update(status=ForecastRun.Status.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        forecast_run_finish(run_id=run.pk)
    assert set(current(demand_cycle, "baseline").values_list("value", flat=True)) == {Decimal(7)}


def test_a_run_finishing_after_demand_planning_leaves_the_frozen_plan_alone(
    demand_cycle, company, planners, manager
):
    from cycles import services

    for planner, territory in zip(planners, company.territories, strict=True):
        services.plan_submit(
            actor=planner, cycle_id=demand_cycle.pk, plan="demand", territory_id=territory.pk
        )
    services.cycle_advance(actor=manager, cycle_id=demand_cycle.pk, stage="demand_planning")
    run = done_run(demand_cycle, company, point=lambda p, t, m: 99.0)
    hooks.run_done_hooks(run_id=run.pk)
    assert not current(demand_cycle, "consensus").filter(value=99).exists()
    with pytest.raises(DomainError, match="frozen"):
        baseline_load(actor=manager, cycle_id=demand_cycle.pk)


def test_the_api_loads_the_baseline_for_the_owner_only(demand_cycle, manager, planners):
    from rest_framework.test import APIClient

    client = APIClient()
    url = f"/api/demand/cycles/{demand_cycle.pk}/baseline/"
    client.force_authenticate(planners[0])
    assert client.post(url).status_code == 403
    client.force_authenticate(manager)
    assert client.post(url).status_code == 200
