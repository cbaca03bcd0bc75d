"""Every CRM action, for every role, through the page and the API: a form or button is
shown exactly when the action would be accepted, and a refused post changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.permissions import can
from accounts.roles import Role
from crm.models import CrmConnection, CrmStage, CurrencyRate, Deal, SyncRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(db):
    stage = CrmStage.objects.create(
        source="zendesk_sell", external_id="2", name="Qualified", likelihood=30
    )
    return Deal.objects.create(
        source="zendesk_sell",
        external_id="7",
        name="Unplaced",
        stage=stage,
        value=Decimal("10.00"),
        currency="EUR",
        updated_upstream=timezone.now(),
    )


@pytest.fixture
def connection(users_by_role):
    return CrmConnection.objects.create(
        source="zendesk_sell",
        base_url="http://127.0.0.1:9/",
        created_by=users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR],
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# action -> (what on the page offers it, a post that takes it, how to see it was taken)
ACTIONS = {
    "crm.connect": (
        'id="connection-form"',
        lambda c, company, deal: c.post("/crm/connection/", {"base_url": "http://127.0.0.1:8/"}),
        lambda: CrmConnection.objects.filter(base_url="http://127.0.0.1:8/").exists(),
    ),
    "crm.sync": (
        'id="sync-now"',
        lambda c, company, deal: c.post("/crm/sync/"),
        lambda: SyncRun.objects.exists(),
    ),
    "crm.map": (
        'class="map-form"',
        lambda c, company, deal: c.post(
            f"/crm/deals/{deal.pk}/map/", {"territory": company.territories[0].pk}
        ),
        lambda: Deal.objects.filter(territory__isnull=False).exists(),
    ),
    "crm.rates": (
        'id="rate-form"',
        lambda c, company, deal: c.post(
            "/crm/rates/", {"currency": "USD", "valid_from": "2027-01", "rate": "0.9"}
        ),
        lambda: CurrencyRate.objects.filter(valid_from=date(2027, 1, 1)).exists(),
    ),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_the_page_offers_an_action_exactly_when_it_is_accepted(
    role, action, users_by_role, company, deal, connection
):
    user = users_by_role[role]
    marker, attempt, taken = ACTIONS[action]
    client = _client(user)
    page = client.get("/crm/")
    if not can(user, "crm.view"):
        assert page.status_code == 403
    else:
        assert (marker in page.content.decode()) == can(user, action)
    response = attempt(client, company, deal)
    assert taken() == can(user, action)
    assert response.status_code == (302 if can(user, action) else 403)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_the_api_answers_exactly_the_roles_that_may_see_the_crm(role, users_by_role, deal):
    user = users_by_role[role]
    client = _client(user)
    expected = 200 if can(user, "crm.view") else 403
    assert client.get("/api/crm/deals/").status_code == expected
    assert client.get("/api/crm/sync-runs/").status_code == expected


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_the_menu_shows_the_crm_to_the_roles_that_may_see_it(role, users_by_role):
    user = users_by_role[role]
    home = _client(user).get("/").content.decode()
    assert ('href="/crm/"' in home) == can(user, "crm.view")
