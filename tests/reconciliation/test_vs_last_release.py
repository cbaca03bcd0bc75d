"""The pre-read compares with the last release over the calendar months both plans cover
(issue 13, defect 7: Dec-Nov totals were set against Nov-Oct, so the shift read as a change)."""

from datetime import date

import pytest

from cycles.stages import Stage
from reconciliation.pack import pre_read
from tests.factories import mark_released
from tests.supply.plan_data import family_capacity, open_cycle, put_consensus

pytestmark = pytest.mark.django_db
SAME = "Nov 2026-Sep 2027"


@pytest.fixture
def shifted(company, manager):
    """October's release sold 400 in October 2026; November's plan, 400 in October 2027.

    Over the months both cover (Nov 2026-Sep 2027) the two plans are the same, 40 a month.
    """
    product, territory = company.products[1], company.territories[1]
    last = open_cycle(manager, Stage.RECONCILIATION, month=date(2026, 10, 1))
    put_consensus(last, product, territory, [400] + [40] * 11)
    family_capacity(last, product.family, [1000] * 12)
    mark_released(last)
    cycle = open_cycle(manager, Stage.SIGN_OFF)
    put_consensus(cycle, product, territory, [40] * 11 + [400])
    family_capacity(cycle, product.family, [1000] * 12)
    return cycle


def test_the_pre_read_compares_the_same_calendar_months(shifted):
    data = pre_read(shifted)
    assert data["same_months"] == SAME
    assert data["headline_header"][-1] == f"vs last release, same months {SAME}"
    [family] = data["changes"]
    assert (family["demand"], family["demand_change"]) == (440, 0)
    volume = data["kpis"][0]
    assert volume["value"] == 840  # the plan itself still covers its twelve months
    assert (volume["same"], volume["last"], volume["vs_last"]) == (440, 440, 0)


def test_the_signoff_page_labels_the_months_it_compares(shifted, client, manager):
    client.force_login(manager)
    page = client.get(f"/cycles/{shifted.pk}/sign-off/").content.decode()
    assert f"vs last release, same months {SAME}</th>" in page
    assert f"Compared over the same months, {SAME}" in page
    changes = page.split('id="changes"')[1]
    assert '<td class="num">440</td><td class="num">0</td>' in changes


def test_a_last_release_with_no_month_in_common_is_not_compared(company, manager):
    product, territory = company.products[1], company.territories[1]
    old = open_cycle(manager, Stage.RECONCILIATION, month=date(2025, 10, 1))
    put_consensus(old, product, territory, [40] * 12)
    mark_released(old)
    cycle = open_cycle(manager, Stage.SIGN_OFF)
    put_consensus(cycle, product, territory, [40] * 12)
    data = pre_read(cycle)
    assert data["changes"] == [] and data["kpis"][0]["vs_last"] is None
