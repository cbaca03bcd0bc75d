"""The connector against a fake Zendesk Sell: each case ends as the right rows or a clear
refusal, and a sync run again changes nothing."""

from datetime import date

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from crm import services
from crm.models import CrmStage, Deal, SyncRun
from crm.sources.zendesk_sell import ZendeskSell
from sop_planner.errors import NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(users_by_role):
    return users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR]


@pytest.fixture
def connected(fake_crm, admin):
    services.connection_save(actor=admin, base_url=fake_crm.url, token=fake_crm.token)
    return fake_crm


def _sync(actor, crm, **adapter) -> SyncRun:
    run = services.sync_request(actor=actor)
    source = ZendeskSell(base_url=crm.url, token=crm.token, backoff=0, **adapter)
    return services.sync_execute(run_id=run.pk, source=source)


def _deals() -> list[tuple]:
    return list(
        Deal.objects.order_by("external_id").values_list(
            "external_id", "territory_id", "value", "value_company", "stage_id", "deleted_upstream"
        )
    )


def test_a_first_sync_brings_every_deal_placed_by_its_organizations_region(
    connected, admin, company
):
    run = _sync(admin, connected)
    assert (run.status, run.created, run.updated, run.error) == ("done", 30, 0, "")
    event = AuditEvent.objects.get(action="crm.sync", object_id=str(run.pk))
    assert event.after["created"] == 30 and event.after["refused"] == len(run.refused)
    assert CrmStage.objects.filter(source="zendesk_sell").count() == 6
    placed = Deal.objects.filter(territory__isnull=False)
    assert {deal.territory for deal in placed} <= set(company.territories[:3])
    for deal in placed:
        assert deal.organization_region == deal.territory.name
        assert deal.value == sum(line.quantity * line.unit_price for line in deal.lines.all())
    faraway = Deal.objects.filter(organization="Faraway Imports")
    assert all(deal.territory is None for deal in faraway)
    assert {r["reason"] for r in run.refused} == {
        f"no territory for deal {d.external_id}" for d in faraway
    }


def test_a_second_sync_changes_nothing(connected, admin):
    _sync(admin, connected)
    before = _deals()
    audit_count = AuditEvent.objects.count()
    again = _sync(admin, connected)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert _deals() == before
    assert AuditEvent.objects.count() == audit_count + 1  # the run itself, no deal


def test_a_page_that_fails_twice_is_retried_and_the_sync_completes(connected, admin):
    connected.fail_page("/v2/deals", 1, times=2)
    run = _sync(admin, connected)
    assert (run.status, run.created) == ("done", 30)
    assert connected.requests.count(next(r for r in connected.requests if "/v2/deals?" in r)) >= 3


def test_a_crm_that_keeps_failing_fails_the_run_in_words_and_changes_nothing(connected, admin):
    connected.fail_page("/v2/deals", 1, times=10)
    run = _sync(admin, connected, retries=2)
    assert run.status == "failed"
    assert "Zendesk Sell did not answer /v2/deals" in run.error
    assert Deal.objects.count() == 0
    assert run.connection.synced_until is None


def test_a_deal_deleted_upstream_is_marked_deleted(connected, admin):
    _sync(admin, connected)
    gone = connected.deals[0]["id"]
    connected.delete_deal(gone)
    run = _sync(admin, connected)
    assert run.deleted == 1
    assert Deal.objects.get(external_id=str(gone)).deleted_upstream
    assert _sync(admin, connected).deleted == 0


def test_a_deal_whose_owner_changes_moves_territory_and_the_move_is_recorded(
    connected, admin, owner_rules, company
):
    deal = next(d for d in connected.deals if d["owner_id"] == 1)
    _sync(admin, connected)
    assert Deal.objects.get(external_id=str(deal["id"])).territory == company.territories[0]
    connected.change_deal(deal["id"], owner_id=2)
    run = _sync(admin, connected)
    assert (run.updated, run.created) == (1, 0)
    moved = Deal.objects.get(external_id=str(deal["id"]))
    assert moved.territory == company.territories[1]
    event = AuditEvent.objects.get(action="crm.deal.territory", object_id=str(moved.pk))
    assert (event.before, event.after) == (
        {"territory_id": company.territories[0].pk},
        {"territory_id": company.territories[1].pk},
    )


def test_a_currency_the_company_does_not_use_is_kept_unconverted_and_listed(connected, admin):
    deal = connected.add_deal(
        name="Tokyo",
        owner_id=1,
        contact_id=1,
        stage_id=2,
        currency="JPY",
        estimated_close_date="2027-03-10",
        value="150000",
    )
    run = _sync(admin, connected)
    stored = Deal.objects.get(external_id=str(deal["id"]))
    assert (stored.value, stored.currency, stored.value_company) == (150000, "JPY", None)
    assert {"id": str(deal["id"]), "reason": "no rate for JPY from 2027-03"} in run.refused


def test_a_malformed_record_is_refused_in_words_and_stored_nowhere(connected, admin):
    bad = connected.add_deal(
        name="Broken",
        owner_id=1,
        contact_id=1,
        stage_id=2,
        currency="EUR",
        estimated_close_date="2027-13-45",
        value="10",
    )
    negative = connected.add_deal(
        name="Credit", owner_id=1, contact_id=1, stage_id=2, currency="EUR", value="-10"
    )
    run = _sync(admin, connected)
    assert run.status == "done"
    reasons = {r["id"]: r["reason"] for r in run.refused}
    assert reasons[str(bad["id"])] == (
        f"deal {bad['id']}: expected close date 2027-13-45 is not a date (YYYY-MM-DD)"
    )
    assert reasons[str(negative["id"])] == f"deal {negative['id']}: value -10 is negative"
    assert not Deal.objects.filter(external_id__in=[str(bad["id"]), str(negative["id"])]).exists()


def test_a_wrong_token_fails_the_run_saying_so(connected, admin):
    run = services.sync_request(actor=admin)
    source = ZendeskSell(base_url=connected.url, token="wrong", backoff=0)
    run = services.sync_execute(run_id=run.pk, source=source)
    assert run.status == "failed"
    assert "Zendesk Sell refused the token (401" in run.error


def test_the_token_is_stored_encrypted_and_used_by_the_real_path(connected, admin):
    connection = services.connection_save(actor=admin, base_url=connected.url)
    assert connected.token not in connection.token_encrypted  # kept from the first save
    run = services.sync_execute(run_id=services.sync_request(actor=admin).pk)
    assert (run.status, run.created) == ("done", 30)


def test_only_the_granted_roles_may_sync(connected, users_by_role):
    with pytest.raises(NotAllowed, match="may not sync the CRM"):
        services.sync_request(actor=users_by_role[Role.FINANCE])


def test_a_nightly_sync_runs_without_a_person(connected, admin):
    [run_id] = services.syncs_nightly()
    run = services.sync_execute(run_id=run_id)
    assert (run.status, run.started_by, run.created) == ("done", None, 30)
    assert date.today() >= run.finished_at.date()


def test_the_nightly_sync_skips_a_connection_already_syncing(connected, admin):
    services.sync_request(actor=admin)
    assert services.syncs_nightly() == []


class _OddCrm:
    """A CRM whose stage list lacks the fields the connector reads."""

    name = "zendesk_sell"

    def stages(self):
        return [{"name": "Qualified"}]


def test_an_answer_the_connector_cannot_read_fails_the_run_in_words(connected, admin):
    run = services.sync_execute(run_id=services.sync_request(actor=admin).pk, source=_OddCrm())
    assert run.status == "failed"
    assert run.error.startswith("The CRM answered something this connector cannot read")
    assert not CrmStage.objects.exists()
