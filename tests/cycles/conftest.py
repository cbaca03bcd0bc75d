"""A cycle for November 2026 in the small company, and helpers that walk it on."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from cycles import services
from cycles.models import Cycle
from cycles.stages import STAGE_ORDER, Stage
from forecasting.models import SalesActual

MONTH = date(2026, 11, 1)


def add_actuals(company, period: date, territories=None) -> None:
    for territory in territories if territories is not None else company.territories:
        SalesActual.objects.create(
            product=company.products[0],
            territory=territory,
            period=period,
            units=Decimal(5),
            revenue=Decimal(50),
        )


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
def cycle(manager, company):
    return services.cycle_open(actor=manager, month=MONTH)


@pytest.fixture
def walk(company, users_by_role, planners, manager):
    """walk(cycle, stage): clear each gate on the way and move the cycle to `stage`."""

    def clear_gate(cycle: Cycle) -> None:
        stage = cycle.stage_enum
        if (
            stage is Stage.DATA_GATHERING
            and not SalesActual.objects.filter(period=date(2026, 10, 1)).exists()
        ):
            add_actuals(company, date(2026, 10, 1))
        elif stage is Stage.DEMAND_PLANNING:
            for planner, territory in zip(planners, company.territories, strict=True):
                services.plan_submit(
                    actor=planner, cycle_id=cycle.pk, plan="demand", territory_id=territory.pk
                )
        elif stage is Stage.SUPPLY_PLANNING:
            services.plan_submit(
                actor=users_by_role[Role.SUPPLY_PLANNER], cycle_id=cycle.pk, plan="supply"
            )

    def to(cycle: Cycle, stage: Stage) -> Cycle:
        while STAGE_ORDER.index(cycle.stage_enum) < STAGE_ORDER.index(stage):
            clear_gate(cycle)
            cycle = services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=cycle.stage)
        return Cycle.objects.get(pk=cycle.pk)

    return to
