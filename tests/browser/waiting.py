"""Waiting for the page to reach a state, under the app's Content-Security-Policy.

Playwright's wait_for_function polls with an in-page eval, which a CSP without
'unsafe-eval' refuses as soon as the first check is false; page.evaluate goes
through the browser's debugging protocol and is not refused.
"""

import time

from playwright.sync_api import Page


def wait_until(page: Page, expression: str, arg=None, *, timeout: float = 10.0) -> None:
    """Poll `expression` (a JS expression or function of `arg`) until it is truthy."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout}s waiting for: {expression}")
        page.wait_for_timeout(50)
