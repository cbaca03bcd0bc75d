"""The Technical Operations Advisor connects the CRM (a fake Zendesk Sell started by the
test), syncs it through the worker, and maps two deals nobody could place."""

import pytest

from accounts.roles import Role
from crm.models import Deal, MappingRule
from tests.browser.menu import menu_go

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]


def test_the_admin_connects_syncs_and_maps_two_unmapped_deals(
    celery_worker, login, users_by_role, company, fake_crm
):
    page = login(users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR])
    menu_go(page, "CRM")
    page.fill("input[name=base_url]", fake_crm.url)
    page.fill("input[name=token]", fake_crm.token)
    page.click("#connection-form button[type=submit]")
    assert "A token is stored." in page.inner_text("#connection")
    assert fake_crm.token not in page.content()

    page.click("#sync-now")
    page.wait_for_selector("#runs tr[data-status=done]", timeout=60_000)
    assert "30 new, 0 changed" in page.inner_text("#runs")
    page.reload()
    rows = page.locator("#unmapped tr[data-deal]")
    waiting = rows.count()
    assert waiting >= 2

    first = rows.nth(0)
    first_id = first.get_attribute("data-deal")
    first.locator("select[name=territory]").select_option(label=company.territories[3].name)
    first.locator("button[type=submit]").click()
    assert "is mapped" in page.inner_text("main")

    second = page.locator("#unmapped tr[data-deal]").nth(0)
    second_id = second.get_attribute("data-deal")
    second.locator("select[name=territory]").select_option(label=company.territories[2].name)
    second.locator("select[name=remember]").select_option("organization")
    second.locator("button[type=submit]").click()

    assert page.locator("#unmapped tr[data-deal]").count() == waiting - 2
    assert Deal.objects.get(external_id=first_id).territory == company.territories[3]
    assert Deal.objects.get(external_id=second_id).territory == company.territories[2]
    assert MappingRule.objects.get(field="organization").territory == company.territories[2]
