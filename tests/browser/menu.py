"""Going somewhere through the top menu, as a person does: open the group, click the entry."""

import re

from playwright.sync_api import Page


def menu_go(page: Page, label: str) -> None:
    """Click the menu entry called `label`, opening its drop-down first when it is in one."""
    entry = page.locator("a").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    link = page.locator("#main-menu").locator(entry)
    if not link.is_visible():
        page.locator("#main-menu details").filter(has=entry).locator("summary").click()
    link.click()


def menu_labels(page: Page) -> set[str]:
    """Every entry of the menu, also those folded inside a drop-down."""
    labels = page.locator("#main-menu a, #main-menu summary").all_text_contents()
    return {label.strip() for label in labels}
