"""A person logs in, finds their next steps, and edits master data their role owns."""

import pytest

from accounts.roles import Role
from products.models import Product
from tests.browser.menu import menu_labels

pytestmark = pytest.mark.django_db(transaction=True)


def test_planner_sees_their_territories_and_no_admin_menu(login, users_by_role, company):
    page = login(users_by_role[Role.DEMAND_PLANNER])
    menu = menu_labels(page)
    assert {"Territories", "Sales history"} <= menu
    assert not {"Admin", "Users", "Settings"} & menu
    assert company.territories[0].name in page.inner_text("#my-territories")
    assert "Review your territories' history" in page.inner_text("#next-steps")


def test_specialist_changes_a_price_and_sees_it_in_the_list(login, users_by_role, company):
    product = company.products[0]
    page = login(users_by_role[Role.SALES_PLANNING_SPECIALIST])
    page.goto(f"/products/{product.pk}/")
    assert page.is_disabled("input[name=sku]")
    page.fill("input[name=unit_price]", "12.50")
    page.click("main button[type=submit]")
    page.wait_for_selector("#products")
    assert "12.50" in page.inner_text("#products")
    product.refresh_from_db()
    assert str(product.unit_price) == "12.50"


def test_a_negative_cost_is_refused_on_the_form_and_nothing_changes(login, users_by_role, company):
    product = company.products[1]
    page = login(users_by_role[Role.SALES_PLANNING_SPECIALIST])
    page.goto(f"/products/{product.pk}/")
    page.fill("input[name=unit_cost]", "-1")
    page.click("main button[type=submit]")
    assert "greater than or equal to 0" in page.inner_text(".field-error")
    assert Product.objects.get(pk=product.pk).unit_cost == product.unit_cost
