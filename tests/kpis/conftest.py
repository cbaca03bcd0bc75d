from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from cycles.models import Cycle, PlanValue, PlanVersion
from cycles.stages import Stage
from supply.selectors import family_anchors
from tests.factories import UserFactory, mark_released

MONTH = date(2026, 5, 1)
DUE = {
    "data_gathering": "2026-05-05",
    "demand_planning": "2026-05-11",
    "supply_planning": "2026-05-14",
    "reconciliation": "2026-05-19",
    "sign_off": "2026-05-21",
}
CLOSED = {
    "data_gathering": date(2026, 5, 4),
    "demand_planning": date(2026, 5, 11),
    "supply_planning": date(2026, 5, 16),
    "reconciliation": date(2026, 5, 19),
    "sign_off": date(2026, 5, 24),
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def figure(cycle, measure, product, territory, value, month=MONTH):
    PlanValue.objects.create(
        cycle=cycle,
        measure=measure,
        product=product,
        territory=territory,
        month=month,
        value=Decimal(value),
        valid_from_seq=1,
    )


@pytest.fixture
def released(company):
    """A released May cycle with hand-countable figures (see each test)."""
    owner = UserFactory()
    cycle = Cycle.objects.create(month=MONTH, owner=owner, stage=Stage.SIGN_OFF, stage_due=DUE)
    p, t = company.products, company.territories
    figure(cycle, "consensus", p[0], t[0], 100)  # family 0, 10.00 each
    figure(cycle, "consensus", p[1], t[1], 50)  # family 1
    anchor = family_anchors()[p[0].family_id]
    anchor_product, anchor_territory = anchor.product_id, anchor.territory_id
    figures = {
        "budget_units": 200,
        "budget_revenue": 1200,
        "inventory_target": 40,
        "projected_inventory": 30,
        "shortage": 3,
    }
    for measure, value in figures.items():
        PlanValue.objects.create(
            cycle=cycle,
            measure=measure,
            product_id=anchor_product,
            territory_id=anchor_territory,
            month=MONTH,
            value=value,
            valid_from_seq=1,
        )
    for seq, (stage, day) in enumerate(CLOSED.items(), start=1):
        version = PlanVersion.objects.create(cycle=cycle, seq=seq, stage=stage, label=stage)
        stamp = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
        PlanVersion.objects.filter(pk=version.pk).update(created_at=stamp)
    mark_released(cycle)
    return cycle
