"""The events table says where each event applies; the form takes only its kind's fields."""

import html
from decimal import Decimal

import pytest

from demand.models import DemandEvent
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _post(client, cycle, form: dict) -> str:
    page = client.post(f"/demand/{cycle.pk}/events/", form, follow=True)
    return html.unescape(page.content.decode())


def test_a_launch_is_saved_from_its_own_fields_only(demand_cycle, manager, company, client):
    client.force_login(manager)
    new = ProductFactory(family=company.families[0])
    form = {  # what the browser sends for a launch: the promotion's fields are not shown
        "kind": "launch",
        "name": "Sparkling 1L",
        "product": new.pk,
        "first_month": f"{demand_cycle.month:%Y-%m}",
        "like_product": company.products[2].pk,
        "scale": "0.5",
        "ramp_text": "0.2, 0.6",
        "territory": company.territories[1].pk,
    }
    assert "Launch: Sparkling 1L saved" in _post(client, demand_cycle, form)
    event = DemandEvent.objects.get()
    assert event.uplift_percent == 0 and event.ramp == [0.2, 0.6]


def test_a_value_left_in_another_kinds_field_is_dropped(demand_cycle, manager, company, client):
    client.force_login(manager)
    form = {
        "kind": "promotion",
        "name": "Easter",
        "family": company.families[0].pk,
        "first_month": f"{demand_cycle.month:%Y-%m}",
        "uplift_percent": "10",
        "like_product": company.products[2].pk,  # typed while "launch" was chosen
        "scale": "3",
    }
    assert "Promotion: Easter saved" in _post(client, demand_cycle, form)
    event = DemandEvent.objects.get()
    assert event.like_product is None and event.scale == Decimal(1)
    assert event.uplift_percent == 10


def test_the_events_table_says_where_each_event_applies(demand_cycle, manager, company, client):
    client.force_login(manager)
    base = {"kind": "promotion", "family": company.families[0].pk, "uplift_percent": "10",
            "first_month": f"{demand_cycle.month:%Y-%m}"}  # fmt: skip
    _post(client, demand_cycle, {**base, "name": "Everywhere"})
    _post(
        client, demand_cycle, {**base, "name": "One place", "territory": company.territories[1].pk}
    )
    page = html.unescape(client.get(f"/demand/{demand_cycle.pk}/").content.decode())
    table = page.split('id="events-table"', 1)[1].split("</table>", 1)[0]
    assert "<th>Where</th>" in table
    assert '<td class="event-where">All territories</td>' in table
    assert f'<td class="event-where">{company.territories[1].name}</td>' in table
    name = manager.get_full_name() or manager.username
    assert f"<td>{name}</td>" in table


def test_the_form_marks_the_fields_of_each_kind(demand_cycle, manager, client):
    client.force_login(manager)
    page = client.get(f"/demand/{demand_cycle.pk}/").content.decode()
    form = page.split('id="event-form"', 1)[1].split("</form>", 1)[0]
    assert '<p data-kinds="launch"><label for="id_like_product">' in form
    assert '<p data-kinds="promotion"><label for="id_uplift_percent">' in form
    assert '<p><label for="id_name">' in form  # every kind has a name
