"""The KPI dashboard's coverage trend reads every released cycle's frozen pipeline at once;
each point must equal the coverage the cycle's own sign-off page shows."""

import pytest
from django.core.cache import cache

from cycles.models import Cycle
from demand.pipeline_reads import company_coverage, company_coverages
from kpis.selectors import tile_for
from tests.fixtures.demo import DEMO_TODAY, demo_company  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_company")]


def _with_frozen_pipeline() -> list[Cycle]:
    cycles = Cycle.objects.filter(
        status=Cycle.Status.RELEASED, released_pipeline__isnull=False
    ).order_by("month")
    return list(cycles)


def test_each_point_of_the_coverage_trend_is_the_cycles_own_coverage():
    cycles = _with_frozen_pipeline()
    assert len(cycles) >= 3
    cache.clear()
    points = {p.label: p.value for p in tile_for("pipeline_coverage", today=DEMO_TODAY).points}
    for cycle in cycles:
        ratio = company_coverage(Cycle.objects.get(pk=cycle.pk)).ratio
        assert ratio is not None and ratio > 0
        assert points[f"{cycle.month:%Y-%m}"] == pytest.approx(float(ratio * 100))


def test_a_cycle_released_before_the_crm_has_no_coverage_point():
    cycle = Cycle.objects.filter(
        status=Cycle.Status.RELEASED, released_pipeline__isnull=True
    ).first()
    assert cycle is not None
    assert cycle.pk not in company_coverages([cycle])
    cache.clear()
    points = {p.label: p.value for p in tile_for("pipeline_coverage", today=DEMO_TODAY).points}
    assert points[f"{cycle.month:%Y-%m}"] is None
