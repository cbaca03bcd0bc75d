"""The scored October plan the home page tests read: tests/fixtures/home.py."""

from tests.fixtures.home import scored  # noqa: F401  (fixture)
