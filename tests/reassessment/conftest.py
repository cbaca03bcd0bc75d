import pytest

from tests.fixtures.reassessment import PlanBook


@pytest.fixture
def book(company) -> PlanBook:
    return PlanBook(company)
