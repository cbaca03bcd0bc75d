import pytest
from django.core.cache import cache

from tests.fixtures.kpis import released  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
