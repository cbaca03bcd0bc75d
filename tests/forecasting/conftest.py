"""A cycle with sales history for the small test company."""

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from accounts.roles import Role
from cycles.calendar import add_months
from cycles.models import Cycle
from forecasting.models import SalesActual
from tests.forecasting import synthetic as syn

CYCLE_MONTH = date(2026, 11, 1)


def load_history(company, *, months: int = 40) -> int:
    """Seasonal series for most products, intermittent for one, a new product for another."""
    rows = []
    end = add_months(CYCLE_MONTH, -1)
    for p_index, product in enumerate(company.products):
        for t_index, territory in enumerate(company.territories):
            values = _shape(p_index, t_index, months)
            for offset, units in enumerate(values):
                period = add_months(end, offset - len(values) + 1)
                if units > 0 or p_index != 5:
                    rows.append(
                        SalesActual(
                            product=product,
                            territory=territory,
                            period=period,
                            units=Decimal(str(units)),
                            revenue=Decimal(str(units * 10)),
                        )
                    )
    SalesActual.objects.bulk_create(rows)
    return len(company.products) * len(company.territories)


def _shape(p_index: int, t_index: int, months: int) -> np.ndarray:
    seed = 10 * p_index + t_index
    if p_index == 4:
        return syn.intermittent(months, seed=seed)
    if p_index == 5:
        return syn.seasonal(5, seed=seed)
    return syn.seasonal(months, level=50 + 10 * p_index, seed=seed)


@pytest.fixture
def manager(user_with_role):
    return user_with_role(Role.SALES_OPS_MANAGER)


@pytest.fixture
def cycle(company, manager):
    return Cycle.objects.create(month=CYCLE_MONTH, owner=manager)


@pytest.fixture
def history(company):
    return load_history(company)
