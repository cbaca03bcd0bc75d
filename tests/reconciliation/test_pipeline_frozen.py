"""The CRM pipeline frozen at release (issue 18): what a released plan was compared with does
not move when the CRM syncs again, on the pre-read and in the demand grid's Pipeline rows."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from accounts.roles import Role
from crm.models import Deal
from cycles import gates, services
from cycles.models import Cycle
from cycles.stages import Stage
from demand.models import ReleasedPipeline
from demand.pipeline_reads import cycle_pipeline
from reconciliation.templatetags.preread import signoff_preread
from tests.factories import mark_released
from tests.fixtures.pipeline import crm_deal

pytestmark = pytest.mark.django_db


def release(cycle: Cycle) -> Cycle:
    """The owner waives what is open, every required executive approves: the last approval
    releases the plan."""
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.SIGN_OFF.value)
    cycle.refresh_from_db()
    for item in gates.open_gate_items(cycle):
        if item.kind != gates.APPROVAL_KIND:
            services.cycle_waive_item(
                actor=cycle.owner, cycle_id=cycle.pk, stage=cycle.stage, item=item.id,
                reason="Decided in the meeting",
            )  # fmt: skip
    for username in gates.required_approvers():
        actor = get_user_model().objects.get(username=username)
        cycle = services.cycle_approve(actor=actor, cycle_id=cycle.pk)
    assert cycle.is_released
    return cycle


def coverage_rows(cycle: Cycle) -> dict:
    return {row.territory: dict(row.months) for row in signoff_preread({}, cycle)["coverage"]}


def test_a_later_sync_does_not_change_the_pipeline_the_released_plan_was_compared_with(
    rec_cycle, company, crm_stages, client, users_by_role
):
    t0, sku = company.territories[0], company.products[0]
    first = rec_cycle.horizon()[0]
    deal = crm_deal(
        crm_stages["proposal"], territory=t0, close=first.replace(day=10),
        value="6000", lines=[(sku, 100, 60)],
    )  # fmt: skip
    at_release = coverage_rows(rec_cycle)[t0.name][first]
    cycle = release(rec_cycle)
    frozen = ReleasedPipeline.objects.get(cycle=cycle)
    assert (frozen.deals, frozen.not_placed) == (1, 0)
    # The CRM moves on: the deal is lost, a new one appears, a won deal books revenue.
    Deal.objects.filter(pk=deal.pk).update(status=Deal.Status.LOST)
    crm_deal(crm_stages["qualified"], territory=t0, close=first.replace(day=12), value="9000",
             lines=[(sku, 300, 30)])  # fmt: skip
    crm_deal(crm_stages["won"], territory=t0, status=Deal.Status.WON, value="500",
             closed_on=first.replace(day=3), family=company.families[0])  # fmt: skip
    after_sync = coverage_rows(cycle)[t0.name][first]
    assert after_sync == at_release
    assert (after_sync.pipeline, after_sync.booked) == (Decimal(3600), Decimal(0))  # 60% x 6000
    cells = cycle_pipeline(cycle).cells
    assert sum(c.units for c in cells.values()) == Decimal(60)  # 60% of 100 units, not 300
    client.force_login(users_by_role[Role.EXECUTIVE])
    page = client.get(f"/cycles/{cycle.pk}/sign-off/").content.decode()
    section = page[page.index('id="pipeline-coverage"') :]
    assert "As frozen at the plan's release" in section
    # the deals behind the grid's cell are today's, and the side panel says so
    behind = client.get(
        f"/api/demand/cycles/{cycle.pk}/pipeline-deals/",
        {"family": company.families[0].pk, "territory": t0.pk, "month": f"{first:%Y-%m}"},
    ).json()
    assert [d["name"] for d in behind["deals"]] != [deal.name]
    assert "frozen at the plan's release" in behind["note"] and "as last synced" in behind["note"]


def test_a_plan_released_before_the_crm_says_it_has_no_frozen_pipeline(
    rec_cycle, crm_stages, company, client, users_by_role
):
    crm_deal(crm_stages["proposal"], territory=company.territories[0])
    mark_released(rec_cycle)  # released without the workflow, as before the CRM existed
    assert "coverage" not in signoff_preread({}, rec_cycle)
    client.force_login(users_by_role[Role.EXECUTIVE])
    page = client.get(f"/cycles/{rec_cycle.pk}/sign-off/").content.decode()
    assert 'id="pipeline-coverage"' not in page
    assert "No CRM pipeline was frozen at this plan's release" in page


@pytest.mark.postgres
def test_the_database_refuses_to_change_a_frozen_pipeline(rec_cycle, company, crm_stages):
    crm_deal(
        crm_stages["proposal"],
        territory=company.territories[0],
        lines=[(company.products[0], 10, 100)],
    )
    release(rec_cycle)
    for sql in (
        "UPDATE demand_releasedpipelinecell SET units = 999",
        "DELETE FROM demand_releasedpipelinecell",
        "UPDATE demand_releasedpipeline SET deals = 999",
    ):
        with (
            pytest.raises(DatabaseError, match="released cycle is locked"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert ReleasedPipeline.objects.get(cycle=rec_cycle).cells.get().units == 6
