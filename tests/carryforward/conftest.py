"""The released November cycle these tests carry forward: tests/fixtures/carryforward.py."""

from tests.fixtures.carryforward import released  # noqa: F401  (fixture)
