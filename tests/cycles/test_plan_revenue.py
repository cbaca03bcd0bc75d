"""A plan figure's revenue is its units at its own cycle's planned price, else list price."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from cycles.models import PlanValue
from cycles.selectors import plan_revenue
from tests.factories import (
    CycleFactory,
    PlanValueFactory,
    ProductFactory,
    TerritoryFactory,
    mark_released,
)

pytestmark = pytest.mark.django_db


def test_figures_of_several_cycles_are_each_priced_in_their_own_cycle():
    product, territory = ProductFactory(unit_price=Decimal("10.00")), TerritoryFactory()
    listed = CycleFactory()  # one cycle is open at a time: this one is released first
    PlanValueFactory(cycle=listed, product=product, territory=territory, value=Decimal(5))
    mark_released(listed)
    repriced = CycleFactory()
    PlanValueFactory(cycle=repriced, product=product, territory=territory, value=Decimal(5))
    PlanValueFactory(
        cycle=repriced, measure="price", product=product, territory=territory, value=Decimal(13)
    )
    consensus = PlanValue.objects.live().filter(measure="consensus")
    together = dict(
        consensus.values_list("cycle_id").annotate(revenue=Sum(plan_revenue())).order_by()
    )
    assert together == {repriced.pk: Decimal(65), listed.pk: Decimal(50)}
    for cycle in (repriced, listed):
        alone = consensus.filter(cycle=cycle).aggregate(revenue=Sum(plan_revenue(cycle)))
        assert alone["revenue"] == together[cycle.pk]
