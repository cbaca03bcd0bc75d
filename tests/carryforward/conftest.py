"""A released November 2026 cycle with supply inputs, a budget and two promotions."""

from datetime import date

import pytest

from accounts.roles import Role
from cycles.models import Cycle
from cycles.stages import Stage
from demand.models import DemandEvent
from supply.selectors import family_anchors
from tests.factories import mark_released
from tests.supply.plan_data import open_cycle, put

NOVEMBER, DECEMBER, JANUARY = date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)


def promotion(cycle: Cycle, family, user, name: str, first: date, last: date, territories):
    event = DemandEvent.objects.create(
        cycle=cycle,
        kind=DemandEvent.Kind.PROMOTION,
        name=name,
        family=family,
        first_month=first,
        last_month=last,
        uplift_percent=20,
        created_by=user,
    )
    event.territories.set(territories)
    return event


@pytest.fixture
def released(company, users_by_role):
    """November 2026, released: capacity 100 a month for family 0, budget 500 a month,
    a promotion running until January and one that ended in November."""
    manager = users_by_role[Role.SALES_OPS_MANAGER]
    cycle = open_cycle(manager, Stage.SUPPLY_PLANNING, NOVEMBER)
    anchor = family_anchors()[company.families[0].pk]
    for month in cycle.horizon():
        put(cycle, "capacity", anchor.product_id, anchor.territory_id, month, 100)
        put(cycle, "min_production", anchor.product_id, anchor.territory_id, month, 10)
        put(cycle, "budget_units", anchor.product_id, company.territories[1].pk, month, 500)
    put(cycle, "max_cover", anchor.product_id, anchor.territory_id, NOVEMBER, 8)
    territories = [t.pk for t in company.territories]
    promotion(cycle, company.families[0], manager, "Winter deal", NOVEMBER, JANUARY, territories)
    promotion(cycle, company.families[1], manager, "Over", NOVEMBER, NOVEMBER, territories)
    mark_released(cycle)
    return cycle


def open_december(users_by_role, stage: Stage = Stage.DATA_GATHERING) -> Cycle:
    return open_cycle(users_by_role[Role.SALES_OPS_MANAGER], stage, DECEMBER)
