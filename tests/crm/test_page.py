"""The CRM page and API as their users meet them: connect, sync, map, rates, read."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from crm import services
from crm.models import CrmConnection, CrmStage, CurrencyRate, Deal, MappingRule, SyncRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(users_by_role):
    return users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _deal(external_id: str, **fields) -> Deal:
    stage, _ = CrmStage.objects.get_or_create(
        source="zendesk_sell", external_id="2", defaults={"name": "Qualified", "likelihood": 30}
    )
    values = {
        "source": "zendesk_sell",
        "external_id": external_id,
        "name": f"Deal {external_id}",
        "organization": "Faraway Imports",
        "owner_email": "rep9@example.com",
        "stage": stage,
        "value": Decimal("500.00"),
        "currency": "EUR",
        "value_company": Decimal("500.00"),
        "expected_close": date(2027, 3, 1),
        "updated_upstream": timezone.now(),
    }
    return Deal.objects.create(**(values | fields))


def test_the_token_is_stored_encrypted_and_never_shown_back(admin, fake_crm):
    client = _client(admin)
    response = client.post(
        "/crm/connection/", {"base_url": fake_crm.url, "token": "s3cret-token", "enabled": "on"}
    )
    assert response.status_code == 302
    page = client.get("/crm/").content.decode()
    assert "A token is stored" in page
    assert "s3cret-token" not in page
    stored = CrmConnection.objects.get()
    assert "s3cret-token" not in stored.token_encrypted
    event = AuditEvent.objects.get(action="crm.connection.save")
    assert "s3cret-token" not in str(event.after)


def test_a_bad_address_is_refused_on_the_form_and_nothing_is_saved(admin):
    response = _client(admin).post("/crm/connection/", {"base_url": "not an address"})
    assert "Enter a valid URL" in response.content.decode()
    assert not CrmConnection.objects.exists()


def test_sync_now_queues_a_run_that_the_worker_completes(
    admin, fake_crm, eager_celery, django_capture_on_commit_callbacks
):
    services.connection_save(actor=admin, base_url=fake_crm.url, token=fake_crm.token)
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(admin).post("/crm/sync/")
    assert response.status_code == 302
    run = SyncRun.objects.get()
    assert (run.status, run.created) == ("done", 30)
    page = _client(admin).get("/crm/").content.decode()
    assert "30 new, 0 changed, 0 deleted upstream, 0 unchanged" in page
    assert "Faraway Imports" in page  # its deals wait to be mapped


def test_mapping_a_deal_by_hand_with_a_rule_places_the_next_deals_of_that_owner(admin, company):
    first, second = _deal("1"), _deal("2")
    response = _client(admin).post(
        f"/crm/deals/{first.pk}/map/",
        {"territory": company.territories[2].pk, "remember": "owner"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.territory, first.mapped_by) == (company.territories[2], "hand")
    rule = MappingRule.objects.get()
    assert (rule.field, rule.value, rule.territory) == (
        "owner",
        "rep9@example.com",
        company.territories[2],
    )
    assert AuditEvent.objects.filter(action="crm.deal.map", object_id=str(first.pk)).exists()
    remembered = AuditEvent.objects.get(action="crm.rule.save", object_id=str(rule.pk))
    assert (remembered.actor, remembered.after["value"]) == (admin, "rep9@example.com")
    second.refresh_from_db()
    assert second.territory is None  # the rule places deals as they are synced next


def test_mapping_without_a_territory_or_family_is_refused_in_words(admin):
    deal = _deal("1")
    response = _client(admin).post(f"/crm/deals/{deal.pk}/map/", {})
    assert "Choose a territory, a family, or both." in response.content.decode()
    deal.refresh_from_db()
    assert deal.territory is None


def test_a_rate_converts_the_deals_it_reaches_and_a_rate_too_precise_is_refused(
    users_by_role,
):
    specialist = users_by_role[Role.SALES_PLANNING_SPECIALIST]
    deal = _deal("1", currency="USD", value=Decimal("1000.00"), value_company=None)
    client = _client(specialist)
    refused = client.post(
        "/crm/rates/", {"currency": "usd", "valid_from": "2027-01", "rate": "0.91234567"}
    )
    assert "no more than 6 decimal places" in refused.content.decode()
    assert not CurrencyRate.objects.exists()
    client.post("/crm/rates/", {"currency": "usd", "valid_from": "2027-01", "rate": "0.9125"})
    assert CurrencyRate.objects.get().rate == Decimal("0.9125")
    deal.refresh_from_db()
    assert deal.value_company == Decimal("912.50")
    assert AuditEvent.objects.filter(action="crm.rate.save").count() == 1


def test_the_rates_to_enter_are_listed_once_per_currency_from_its_earliest_deal(
    users_by_role,
):
    for number, (currency, close) in enumerate(
        [("GBP", date(2027, 2, 3)), ("GBP", date(2027, 1, 14)), ("JPY", date(2027, 5, 5))]
    ):
        _deal(str(number), currency=currency, expected_close=close, value_company=None)
    _deal("converted", currency="USD")

    page = _client(users_by_role[Role.SALES_PLANNING_SPECIALIST]).get("/crm/").content.decode()

    listed = page[page.index('id="missing-rates"') :]
    listed = listed[: listed.index("</div>")]
    assert "<li>GBP from 2027-01 (2 deals)</li>" in listed
    assert "<li>JPY from 2027-05 (1 deal)</li>" in listed
    assert "USD" not in listed


def test_the_deals_api_filters_by_territory_status_and_month(admin, company):
    _deal("1", territory=company.territories[0])
    _deal("2", territory=company.territories[1], expected_close=date(2027, 4, 2))
    _deal("3", territory=company.territories[0], status="won")
    client = _client(admin)
    code = company.territories[0].code
    rows = client.get(f"/api/crm/deals/?territory={code}&status=open").json()
    assert [row["external_id"] for row in rows["results"]] == ["1"]
    april = client.get("/api/crm/deals/?month=2027-04").json()
    assert [row["external_id"] for row in april["results"]] == ["2"]
    _deal("4")  # not mapped yet
    unmapped = client.get("/api/crm/deals/?month=2027-03").json()["results"]
    assert [(row["external_id"], row["territory"]) for row in unmapped][-1] == ("4", None)
    bad = client.get("/api/crm/deals/?month=April")
    assert bad.status_code == 400
    assert "month: 'April' is not a month" in bad.json()["detail"]


def test_the_sync_runs_api_lists_the_runs_with_their_refusals(admin, fake_crm):
    services.connection_save(actor=admin, base_url=fake_crm.url, token=fake_crm.token)
    services.sync_execute(run_id=services.sync_request(actor=admin).pk)
    [run] = _client(admin).get("/api/crm/sync-runs/").json()["results"]
    assert run["status"] == "done"
    assert run["created"] == 30
