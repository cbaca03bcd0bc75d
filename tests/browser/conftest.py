"""Playwright on Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD
from tests.fixtures.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.fixtures.compare import compared  # noqa: F401  (fixture)
from tests.fixtures.reconciliation import rec_cycle  # noqa: F401  (fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


BROWSER_TESTS = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark this folder's tests `browser` (before tests/conftest.py reads the marks).

    pytest hands this hook every item of the session, not only this folder's:
    marking them all made a machine without Chromium skip the whole suite.
    """
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1400, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Log a user in through the login form; returns the page on their home."""

    def log_in(user):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_selector("#whoami")
        return page

    return log_in
