"""A cycle in demand planning with a finished forecast run loaded as the baseline."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.roles import Role
from cycles import services
from cycles.stages import Stage
from forecasting.models import ForecastRun, ForecastValue
from tests.cycles.conftest import MONTH, add_actuals
from tests.factories import add_reason_codes

__all__ = ["MONTH"]


def done_run(cycle, company, *, point=lambda p, t, m: 10.0 * (p % 3 + 1)) -> ForecastRun:
    """A finished forecast run for every product x territory (no engine: fixed figures)."""
    run = ForecastRun.objects.create(
        cycle=cycle,
        status=ForecastRun.Status.DONE,
        history_end=date(2026, 10, 1),
        finished_at=timezone.now(),
    )
    ForecastValue.objects.bulk_create(
        ForecastValue(
            run=run,
            chunk=0,
            product=product,
            territory=territory,
            month=month,
            point=point(i, territory.pk, month),
            lo80=point(i, territory.pk, month) * 0.8,
            hi80=point(i, territory.pk, month) * 1.2,
            lo95=0,
            hi95=point(i, territory.pk, month) * 1.5,
        )
        for i, product in enumerate(company.products)
        for territory in company.territories
        for month in cycle.horizon()
    )
    return run


@pytest.fixture
def manager(users_by_role):
    return users_by_role[Role.SALES_OPS_MANAGER]


@pytest.fixture
def planners(users_by_role, user_with_role, company):
    """A demand planner per territory: the shared planner plans the first."""
    return [users_by_role[Role.DEMAND_PLANNER]] + [
        user_with_role(Role.DEMAND_PLANNER, territories=[t]) for t in company.territories[1:]
    ]


@pytest.fixture
def demand_cycle(manager, company):
    """The November 2026 cycle in demand planning, its baseline loaded from a finished run."""
    from demand.baseline import baseline_load

    add_reason_codes()
    add_actuals(company, date(2026, 10, 1))
    cycle = services.cycle_open(actor=manager, month=MONTH)
    cycle = services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=Stage.DATA_GATHERING)
    done_run(cycle, company)
    baseline_load(actor=manager, cycle_id=cycle.pk)
    cycle.refresh_from_db()
    return cycle


# Family 0 holds products 0, 2 and 4: a tiny SKU beside two with decimals.
FRACTIONAL_POINTS = {0: 1.0, 2: 500.45, 4: 499.45}


def fractional_point(index: int, territory_id: int, month: date) -> float:
    return FRACTIONAL_POINTS.get(index, 100.25)


@pytest.fixture
def fractional_cycle(manager, company):
    """Demand planning with a baseline that has decimals, as a forecast run leaves it."""
    from demand.baseline import baseline_load

    add_reason_codes()
    add_actuals(company, date(2026, 10, 1))
    cycle = services.cycle_open(actor=manager, month=MONTH)
    cycle = services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=Stage.DATA_GATHERING)
    done_run(cycle, company, point=fractional_point)
    baseline_load(actor=manager, cycle_id=cycle.pk)
    cycle.refresh_from_db()
    return cycle
