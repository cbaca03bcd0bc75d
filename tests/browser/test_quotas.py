"""The manager proposes quotas with a stretch, edits one figure, approves and locks them;
the pre-read of the next cycle shows quota vs plan and the pipeline coverage of a territory."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from cycles.stages import Stage
from quotas.models import QuotaLine, QuotaYear
from territories.models import RepAssignment
from tests.factories import SalesRepFactory, mark_released
from tests.fixtures.pipeline import crm_deal
from tests.supply.plan_data import open_cycle, put_consensus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plans(company, users_by_role):
    """Released 2026-11 (territory 0: 60 a month), and 2026-12 in sign-off planning 80."""
    manager = users_by_role[Role.SALES_OPS_MANAGER]
    released = open_cycle(manager, Stage.SIGN_OFF)
    put_consensus(released, company.products[0], company.territories[0], [60] * 12)
    mark_released(released)
    rep = SalesRepFactory(name="Ann")
    RepAssignment.objects.create(
        rep=rep, territory=company.territories[0], valid_from=date(2026, 1, 1)
    )
    following = open_cycle(manager, Stage.SIGN_OFF, month=date(2026, 12, 1))
    put_consensus(following, company.products[0], company.territories[0], [80] * 12)
    return released, following


def test_manager_proposes_edits_approves_and_the_preread_shows_quota_vs_plan(
    login, users_by_role, company, plans, crm_stages
):
    _released, following = plans
    crm_deal(  # 60% of 1,000 closing in December, against a plan of 800 there
        crm_stages["proposal"], territory=company.territories[0], close=date(2026, 12, 10),
        lines=[(company.products[0], 10, 100)],
    )  # fmt: skip
    page = login(users_by_role[Role.SALES_OPS_MANAGER])
    page.goto("/quotas/")
    page.fill("#propose input[name=fiscal_year]", "2027")
    page.fill("#propose input[name=stretch]", "1.05")
    page.click("#propose button[type=submit]")
    page.wait_for_selector("#quota-lines")
    quota_year = QuotaYear.objects.get()
    february = QuotaLine.objects.get(quota_year=quota_year, month=date(2027, 2, 1))
    field = page.locator(f"input[name=units-{february.pk}]")
    assert field.input_value() == "63"
    field.fill("70.25")
    page.click("#quota-lines button[type=submit]")
    page.wait_for_selector("text=1 figure(s) changed.")
    february.refresh_from_db()
    assert february.units == Decimal("70.25")
    page.click("#approve button")
    page.wait_for_selector("#quota-status >> text=Approved and locked")
    assert page.locator("input[name^=units-]").count() == 0
    assert QuotaYear.objects.get().status == "locked"
    page.goto(f"/cycles/{following.pk}/sign-off/")
    row = page.locator(f"#quota-vs-plan tr[data-territory={company.territories[0].code}]")
    row.wait_for()
    text = row.inner_text()
    # plan 80 x 10 months with a quota; quota 63 x 9 months + the edited 70.25
    assert "needs a decision" in text and "800" in text and "637" in text
    coverage = page.locator("#pipeline-coverage tbody tr", has_text=company.territories[0].name)
    assert coverage.locator("td").nth(1).inner_text() == "75% not covered"
