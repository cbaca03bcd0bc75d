"""The top menu's drop-downs behave like menus: one open at a time, Escape and a click away close."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def expect_open(page, groups: list[str]) -> None:
    """The drop-downs open now are exactly these (waits for the page to settle)."""
    expect(page.locator("#main-menu details[open] > summary")).to_have_text(groups)


def test_one_click_moves_from_one_menu_group_to_another(login, users_by_role):
    page = login(users_by_role[Role.SALES_OPS_MANAGER])
    summaries = page.locator("#main-menu details > summary")
    first, second = summaries.nth(0), summaries.nth(1)
    first.click()
    expect_open(page, [first.inner_text().strip()])
    second.click()
    expect_open(page, [second.inner_text().strip()])
    page.keyboard.press("Escape")
    expect_open(page, [])
    first.click()
    page.locator("main").click(position={"x": 5, "y": 5})
    expect_open(page, [])
