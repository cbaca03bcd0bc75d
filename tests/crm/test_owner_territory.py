"""A deal goes to the territory its owner (a sales rep) sells in on the day of the sync:
a rep who moved takes their new deals to the new territory."""

from datetime import date

import pytest

from accounts.roles import Role
from crm.mapping import find_territory
from crm.selectors import mapping_context
from territories import services
from tests.factories import SalesRepFactory

pytestmark = pytest.mark.django_db


def _fields(owner_email: str) -> dict:
    return {"owner_email": owner_email, "organization": "", "organization_region": "", "tags": []}


def test_a_deal_maps_to_the_territory_its_owner_sells_in_that_day(users_by_role, company):
    rep = SalesRepFactory(email="Rita@Example.com")
    old, new = company.territories[0], company.territories[1]
    manager = users_by_role[Role.SALES_OPS_MANAGER]
    services.rep_assign(
        actor=manager, rep_id=rep.pk, territory_id=old.pk, valid_from=date(2026, 1, 1)
    )
    services.rep_move(actor=manager, rep_id=rep.pk, territory_id=new.pk, on=date(2026, 3, 1))

    before = mapping_context(source="zendesk_sell", today=date(2026, 2, 15))
    after = mapping_context(source="zendesk_sell", today=date(2026, 3, 15))

    assert find_territory(_fields("rita@example.com"), before) == (old.pk, "owner")
    assert find_territory(_fields("rita@example.com"), after) == (new.pk, "owner")
    assert find_territory(_fields("someone@example.com"), after) == (None, "")
