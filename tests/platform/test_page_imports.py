"""The imports posted from a page check the role and the size before reading the file.

A planner's 250 MB post on the budget import used to be read whole into the
worker's memory before anyone asked whether a planner may import a budget.
"""

from io import BytesIO

import pytest

from accounts.roles import ACTION_WORDS as WORDS
from accounts.roles import Role
from audit.models import AuditEvent
from cycles.models import PlanValue
from cycles.stages import Stage
from tests.supply.plan_data import open_cycle

pytestmark = pytest.mark.django_db
LIMIT = 1024

# (page, import address, the role that may import there, the action it needs)
IMPORTS = [
    ("grid", "/demand/{pk}/import/", Role.SALES_OPS_ANALYST, "plan.demand.edit"),
    ("supply", "/supply/{pk}/import/", Role.SUPPLY_PLANNER, "plan.supply.edit"),
    ("budget", "/reconciliation/{pk}/budget/import/", Role.FINANCE, "plan.budget.edit"),
]


@pytest.fixture
def cycle(users_by_role, company, settings):
    settings.FORM_IMPORT_MAX_BYTES = LIMIT
    return open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)


def oversized(name: str = "big.csv") -> BytesIO:
    upload = BytesIO(b"family,month,measure,value\n" + b"x,2027-01,capacity,1\n" * 200)
    upload.name = name
    return upload


def post(client, user, address: str) -> str:
    client.force_login(user)
    return client.post(address, {"file": oversized()}, follow=True).content.decode()


def nothing_written(cycle) -> bool:
    return (
        not PlanValue.objects.filter(cycle=cycle).exists()
        and not AuditEvent.objects.filter(action__icontains="import").exists()
    )


@pytest.mark.parametrize(("page", "address", "role", "action"), IMPORTS)
def test_a_role_without_the_import_is_refused_before_the_file_is_read(
    cycle, user_with_role, client, page, address, role, action
):
    executive = user_with_role(Role.EXECUTIVE)
    body = post(client, executive, address.format(pk=cycle.pk))
    assert f"may not {WORDS[action]};" in body and action not in body
    assert (
        "this import takes files up to" not in body
    )  # the role was checked first: the size was never looked at
    assert nothing_written(cycle)


@pytest.mark.parametrize(("page", "address", "role", "action"), IMPORTS)
def test_a_file_over_the_page_import_limit_is_refused_naming_its_size_and_the_limit(
    cycle, users_by_role, client, page, address, role, action
):
    body = post(client, users_by_role[role], address.format(pk=cycle.pk))
    assert "big.csv is 4 KB; this import takes files up to 1 KB. Nothing was imported." in body
    assert nothing_written(cycle)
