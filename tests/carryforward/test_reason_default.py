"""The reason a planner gave most last month is preselected on their override form."""

from datetime import date

import pytest

from accounts.roles import Role
from cycles.stages import Stage
from demand.models import ReasonCode
from tests.factories import OverrideFactory, mark_released
from tests.supply.plan_data import open_cycle

pytestmark = pytest.mark.django_db
NOVEMBER, DECEMBER = date(2026, 11, 1), date(2026, 12, 1)


@pytest.fixture(autouse=True)
def reason_codes():
    """The codes the data migration adds: a transactional test on this worker may have flushed them."""
    for code, label in (("promotion", "Promotion"), ("price-change", "Price change")):
        ReasonCode.objects.get_or_create(code=code, defaults={"label": label})


def overridden(cycle, planner, code: str) -> None:
    OverrideFactory(
        cycle=cycle, actor=planner, reason=ReasonCode.objects.get(code=code),
        scope_label="Family 0", value=1, total_before=0, total_after=1,
    )  # fmt: skip


def reason_options(client, planner, cycle) -> str:
    client.force_login(planner)
    return client.get(f"/demand/{cycle.pk}/").content.decode()


def test_the_planners_usual_reason_last_month_is_preselected(client, users_by_role):
    planner, manager = users_by_role[Role.DEMAND_PLANNER], users_by_role[Role.SALES_OPS_MANAGER]
    november = open_cycle(manager, Stage.DEMAND_PLANNING, NOVEMBER)
    for code in ("promotion", "price-change", "price-change"):
        overridden(november, planner, code)
    mark_released(november)
    december = open_cycle(manager, Stage.DEMAND_PLANNING, DECEMBER)
    page = reason_options(client, planner, december)
    assert '<option value="price-change" selected>Price change</option>' in page
    assert '<option value="promotion">Promotion</option>' in page
