"""The upload page offers Revert exactly when the revert would be accepted, and says why not."""

from datetime import date

import pytest

from accounts.roles import Role
from cycles.calendar import month_start
from cycles.models import Cycle
from cycles.stages import Stage
from tests.factories import mark_released
from tests.fixtures.uploads import LAST, actuals_csv, budget_file, committed
from tests.supply.plan_data import open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_cycle(users_by_role):
    """A cycle in reconciliation, where Finance's budget lands."""
    return open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.RECONCILIATION)


def _page(client, batch) -> str:
    return client.get(f"/uploads/{batch.pk}/").content.decode()


def test_a_committed_upload_offers_revert_until_its_month_is_released(
    company, user_with_role, upload, client
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    batch = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 5)]))
    committed(actor=analyst, batch_id=batch.pk)
    client.force_login(analyst)
    assert 'id="revert"' in _page(client, batch)
    mark_released(Cycle.objects.create(month=month_start(date.today()), owner=analyst))
    page = _page(client, batch)
    assert 'id="revert"' not in page
    assert f"Cannot be reverted: {batch} cannot be reverted: {LAST} belong" in page


def test_a_budget_upload_into_a_released_cycle_offers_no_revert(
    budget_cycle,
    company,
    users_by_role,
    upload,
    client,
):
    finance = users_by_role[Role.FINANCE]
    family, territory = company.families[0].code, company.territories[0].code
    batch = upload(finance, budget_file(f"{family},{territory},2027-01,100,250"),
                   name="budget.csv", kind="budgets")  # fmt: skip
    committed(actor=finance, batch_id=batch.pk)
    client.force_login(finance)
    assert 'id="revert"' in _page(client, batch)
    mark_released(budget_cycle)
    page = _page(client, batch)
    assert 'id="revert"' not in page and "wrote into a released cycle" in page
