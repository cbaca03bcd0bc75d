"""Promotions, launches and phase-outs show in the events row and in the consensus."""

from decimal import Decimal

import pytest

from cycles.calendar import add_months
from cycles.models import PlanValue
from demand.events import event_delete
from demand.models import DemandEvent
from sop_planner.errors import DomainError, NotAllowed
from tests.factories import ProductFactory
from tests.fixtures.demand import save, total

pytestmark = pytest.mark.django_db


def test_a_promotion_lifts_the_consensus_and_dips_after(demand_cycle, planners, company):
    own, product, month = company.territories[0], company.products[1], demand_cycle.month
    save(
        planners[0],
        demand_cycle,
        [own],
        kind="promotion",
        product=product,
        uplift_percent=Decimal(50),
        dip_percent=Decimal(10),
    )
    cell = dict(product=product, territory=own)
    assert total(demand_cycle, "events", month=month, **cell) == Decimal(10)
    assert total(demand_cycle, "consensus", month=month, **cell) == Decimal(30)
    after = add_months(month, 1)
    assert total(demand_cycle, "consensus", month=after, **cell) == Decimal(18)


def test_deleting_a_promotion_restores_the_baseline(demand_cycle, manager, company):
    event = save(
        manager, demand_cycle, kind="promotion", family=company.families[0], uplift_units=120
    )
    assert total(demand_cycle, "events", month=demand_cycle.month) == Decimal(120)
    event_delete(actor=manager, event_id=event.pk)
    assert total(demand_cycle, "events") == 0
    assert total(demand_cycle, "consensus", month=demand_cycle.month) == Decimal(120 * 4)


def test_a_launch_follows_its_like_item_with_a_ramp(demand_cycle, manager, company):
    new = ProductFactory(family=company.families[0])
    like = company.products[2]  # baseline 30
    save(
        manager,
        demand_cycle,
        [company.territories[0]],
        kind="launch",
        product=new,
        like_product=like,
        scale=Decimal("0.5"),
        ramp=[0.2, 0.6],
    )
    consensus = dict(
        PlanValue.objects.filter(cycle=demand_cycle, measure="consensus", valid_to_seq=None)
        .filter(product=new)
        .values_list("month", "value")
    )
    months = demand_cycle.horizon()
    assert [consensus[m] for m in months[:3]] == [Decimal(3), Decimal(9), Decimal(15)]


def test_a_phase_out_ends_demand_after_its_month(demand_cycle, manager, company):
    product, end = company.products[0], demand_cycle.horizon()[6]
    save(manager, demand_cycle, kind="phase_out", product=product, first_month=end)
    assert total(demand_cycle, "consensus", product=product, month__gte=end) == 0
    assert total(demand_cycle, "consensus", product=product, month__lt=end) == Decimal(10 * 4 * 6)


def test_a_planner_cannot_put_an_event_on_another_territory(demand_cycle, planners, company):
    with pytest.raises(NotAllowed):
        save(
            planners[0],
            demand_cycle,
            [company.territories[1]],
            kind="promotion",
            product=company.products[0],
            uplift_percent=10,
        )
    assert not DemandEvent.objects.exists()


def test_a_promotion_without_uplift_is_refused(demand_cycle, manager, company):
    with pytest.raises(DomainError, match="needs an uplift"):
        save(manager, demand_cycle, kind="promotion", product=company.products[0])


def test_events_through_the_api(demand_cycle, planners, company):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(planners[0])
    body = {
        "kind": "promotion",
        "name": "Summer",
        "product": company.products[0].pk,
        "territories": [company.territories[0].pk],
        "first_month": str(demand_cycle.month),
        "uplift_percent": "20",
    }
    created = client.post(f"/api/demand/cycles/{demand_cycle.pk}/events/", body, format="json")
    assert created.status_code == 201, created.content
    assert (
        client.get(f"/api/demand/cycles/{demand_cycle.pk}/events/").json()[0]["name"] == "Summer"
    )
    other = {**body, "territories": [company.territories[1].pk]}
    refused = client.post(f"/api/demand/cycles/{demand_cycle.pk}/events/", other, format="json")
    assert refused.status_code == 403
    assert client.delete(f"/api/demand/events/{created.json()['id']}/").status_code == 204


def test_the_grid_page_adds_and_removes_a_promotion(demand_cycle, manager, company):
    from django.test import Client

    client = Client()
    client.force_login(manager)
    form = {
        "kind": "promotion",
        "name": "Easter",
        "family": company.families[0].pk,
        "first_month": f"{demand_cycle.month:%Y-%m}",
        "uplift_percent": "10",
        "uplift_units": "0",
        "dip_percent": "0",
        "scale": "1",
    }
    page = client.post(f"/demand/{demand_cycle.pk}/events/", form, follow=True)
    assert "Promotion: Easter saved" in page.content.decode()
    event = DemandEvent.objects.get()
    assert total(demand_cycle, "events") == Decimal(6 * 4)  # 10% of 60 per territory
    page = client.post(f"/demand/{demand_cycle.pk}/events/{event.pk}/remove/", follow=True)
    assert "Event removed" in page.content.decode()
    assert total(demand_cycle, "events") == 0


def test_a_bad_event_form_names_the_field(demand_cycle, manager):
    from django.test import Client

    client = Client()
    client.force_login(manager)
    page = client.post(f"/demand/{demand_cycle.pk}/events/", {"kind": "promotion"}, follow=True)
    assert "The event was not saved" in page.content.decode()
    assert "first_month" in page.content.decode()
