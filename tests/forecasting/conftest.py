"""A cycle with sales history for the small test company."""

import pytest

from accounts.roles import Role
from cycles.models import Cycle
from tests.fixtures.forecasting import CYCLE_MONTH, load_history


@pytest.fixture
def manager(user_with_role):
    return user_with_role(Role.SALES_OPS_MANAGER)


@pytest.fixture
def cycle(company, manager):
    return Cycle.objects.create(month=CYCLE_MONTH, owner=manager)


@pytest.fixture
def history(company):
    return load_history(company)
