"""Pipeline coverage per territory and month: (weighted pipeline + booked) / consensus."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import F, Sum

from accounts.roles import Role
from crm.models import Deal
from cycles.models import PlanValue
from demand.pipeline_reads import coverage_by_territory
from kpis.catalogue import default_choices
from kpis.services import kpi_settings_save
from tests.fixtures.pipeline import crm_deal

pytestmark = pytest.mark.django_db
DEC = date(2026, 12, 1)


def consensus_revenue(cycle, territory, month) -> Decimal:
    total = (
        PlanValue.objects.live()
        .filter(cycle=cycle, measure="consensus", territory=territory, month=month)
        .aggregate(total=Sum(F("value") * F("product__unit_price")))["total"]
    )
    return Decimal(str(total))


def test_coverage_adds_weighted_pipeline_and_won_deals_against_the_consensus(
    demand_cycle, company, crm_stages
):
    t0, sku = company.territories[0], company.products[0]
    crm_deal(crm_stages["proposal"], territory=t0, value="1000", lines=[(sku, 10, 100)])
    crm_deal(
        crm_stages["won"],
        territory=t0,
        value="500",
        status=Deal.Status.WON,
        closed_on=date(2026, 12, 3),
        family=company.families[0],
    )
    rows = {c.territory: dict(c.months) for c in coverage_by_territory(demand_cycle)}
    december = rows[t0.name][DEC]
    assert (december.pipeline, december.booked) == (Decimal(600), Decimal(500))
    expected = Decimal(1100) / consensus_revenue(demand_cycle, t0, DEC)
    assert december.ratio == pytest.approx(expected)
    assert december.below == (expected < Decimal("0.8"))
    untouched = rows[company.territories[3].name][DEC]
    assert (untouched.pipeline, untouched.booked, untouched.below) == (0, 0, True)


def test_the_demand_page_shows_coverage_per_territory_and_flags_the_uncovered(
    demand_cycle, company, manager, client
):
    client.force_login(manager)
    page = client.get(f"/demand/{demand_cycle.pk}/").content.decode()
    assert "Pipeline coverage" in page
    assert company.territories[3].name in page
    assert "not covered" in page  # no deal anywhere: every month with consensus is short


def test_the_company_threshold_decides_which_months_are_flagged(
    demand_cycle, company, crm_stages, user_with_role, manager, client
):
    t0, sku = company.territories[0], company.products[0]
    crm_deal(crm_stages["proposal"], territory=t0, value="1000", lines=[(sku, 10, 100)])
    ratio = Decimal(600) / consensus_revenue(demand_cycle, t0, DEC)  # 60% weighted, no booking
    just_above = int(ratio * 100) + 2
    just_below = int(ratio * 100) - 1

    def december_flagged_after(threshold: int) -> bool:
        choices = [
            {"code": c.code, "visible": True, "position": c.position, "threshold": c.threshold}
            for c in default_choices()
        ]
        for row in choices:
            if row["code"] == "pipeline_coverage":
                row["threshold"] = threshold
        kpi_settings_save(actor=admin, rows=choices)
        rows = {c.territory: dict(c.months) for c in coverage_by_territory(demand_cycle)}
        return rows[t0.name][DEC].below

    admin = user_with_role(Role.TECHNICAL_OPERATIONS_ADVISOR)
    assert december_flagged_after(just_above)
    assert not december_flagged_after(just_below)
    client.force_login(manager)
    page = client.get(f"/demand/{demand_cycle.pk}/").content.decode()
    assert f"below {just_below}% is flagged" in page


def test_the_kpi_tile_shows_the_open_cycles_company_coverage(demand_cycle, company, crm_stages):
    from kpis.catalogue import Status
    from kpis.selectors import tile_for

    t0, sku = company.territories[0], company.products[0]
    crm_deal(crm_stages["proposal"], territory=t0, value="1000", lines=[(sku, 10, 100)])
    first_three = demand_cycle.horizon()[:3]
    consensus = sum(
        consensus_revenue(demand_cycle, territory, month)
        for territory in company.territories
        for month in first_three
    )
    tile = tile_for("pipeline_coverage", today=date(2026, 11, 15))
    assert tile.current.label == f"{demand_cycle.month:%Y-%m}" and tile.current.in_progress
    assert tile.current.value == pytest.approx(float(Decimal(600) / consensus * 100))
    assert tile.status is Status.OFF_TARGET and tile.target_text == "at least 80 %"


def test_coverage_counts_the_consensus_at_the_planned_price_like_reconciliation(
    demand_cycle, company, crm_stages
):
    t0 = company.territories[0]
    crm_deal(crm_stages["proposal"], territory=t0, value="1000", family=company.families[0])
    at_list_price = consensus_revenue(demand_cycle, t0, DEC)
    cell = (
        PlanValue.objects.live()
        .filter(cycle=demand_cycle, measure="consensus", territory=t0, month=DEC)
        .select_related("product")
        .first()
    )
    PlanValue.objects.create(
        cycle=demand_cycle,
        measure="price",
        product=cell.product,
        territory=t0,
        month=DEC,
        value=cell.product.unit_price * 2,
        valid_from_seq=demand_cycle.version_seq,
    )

    december = {c.territory: dict(c.months) for c in coverage_by_territory(demand_cycle)}[t0.name][
        DEC
    ]

    at_planned_price = at_list_price + cell.value * cell.product.unit_price
    assert december.ratio == pytest.approx(Decimal(600) / at_planned_price)
