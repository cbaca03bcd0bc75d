from datetime import date

import pytest

from accounts.roles import Role
from cycles.stages import Stage
from territories.models import RepAssignment
from tests.factories import SalesRepFactory, mark_released
from tests.supply.plan_data import open_cycle, put_consensus


@pytest.fixture
def manager(users_by_role):
    return users_by_role[Role.SALES_OPS_MANAGER]


@pytest.fixture
def released(company, manager):
    """A released plan of 2026-11 (to 2027-10): territory 0 sells 60 units of family 0 a month
    and territory 1 50 units of family 1, all at 10.00."""
    cycle = open_cycle(manager, Stage.SIGN_OFF)
    put_consensus(cycle, company.products[0], company.territories[0], [60] * 12)
    put_consensus(cycle, company.products[1], company.territories[1], [50] * 12)
    mark_released(cycle)
    return cycle


@pytest.fixture
def reps(company):
    """Ann sells in territory 0 until she moves to territory 1 on 2027-03-01; Bob sells in
    territory 1 all along."""
    ann, bob = SalesRepFactory(name="Ann", email="ann@example.com"), SalesRepFactory(name="Bob")
    t0, t1 = company.territories[0], company.territories[1]
    RepAssignment.objects.create(
        rep=ann, territory=t0, valid_from=date(2026, 1, 1), valid_to=date(2027, 2, 28)
    )
    RepAssignment.objects.create(rep=ann, territory=t1, valid_from=date(2027, 3, 1))
    RepAssignment.objects.create(rep=bob, territory=t1, valid_from=date(2026, 1, 1))
    return ann, bob


@pytest.fixture
def proposed(released, reps, manager):
    from quotas import services

    return services.quota_propose(actor=manager, fiscal_year=2027, stretch="1.05")


@pytest.fixture
def locked(proposed, manager):
    from quotas import services

    return services.quota_approve(actor=manager, quota_year_id=proposed.pk)


@pytest.fixture
def rec_cycle(company, manager, locked):
    """The next cycle (2026-12) in reconciliation: territory 0 plans 80 a month (27% over its
    quota of 63), territory 1 plans 52.5 (exactly its quota)."""
    cycle = open_cycle(manager, Stage.RECONCILIATION, month=date(2026, 12, 1))
    put_consensus(cycle, company.products[0], company.territories[0], [80] * 12)
    put_consensus(cycle, company.products[1], company.territories[1], ["52.5"] * 12)
    return cycle
