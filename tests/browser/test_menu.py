"""The top menu's drop-downs behave like menus: one open at a time, Escape and a click away close."""

import pytest

from accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def open_groups(page) -> list[str]:
    return [
        text.strip()
        for text in page.locator("#main-menu details[open] > summary").all_text_contents()
    ]


def test_one_click_moves_from_one_menu_group_to_another(login, users_by_role):
    page = login(users_by_role[Role.SALES_OPS_MANAGER])
    summaries = page.locator("#main-menu details > summary")
    first, second = summaries.nth(0), summaries.nth(1)
    first.click()
    assert open_groups(page) == [first.inner_text().strip()]
    second.click()
    assert open_groups(page) == [second.inner_text().strip()]
    page.keyboard.press("Escape")
    assert open_groups(page) == []
    first.click()
    page.locator("main").click(position={"x": 5, "y": 5})
    assert open_groups(page) == []
