"""The busiest pages read the demo company in a bounded number of SQL queries.

Each bound is the page's count on the demo company plus a little room: a read that
comes back once per territory, family, gap or decision (an N+1) overshoots it, since
the company has 12 territories, several families and a year of released plans with
their gaps and decisions.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from cycles.models import Cycle
from demo.users import DEMO_USERS
from tests.fixtures.demo import demo_company  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_company")]
HOME_MAX = 43  # 36-43 by role (2026-12, after the released cycles' KPI figures are cached;
# the manager's 43 include the attainment tiles of the year under way)
SIGNOFF_MAX = 47  # open cycle 41-43, released 45-47 (its cached figures read anew)


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _open_cycle() -> Cycle:
    return Cycle.objects.exclude(status=Cycle.Status.RELEASED).get()


def _released_cycle() -> Cycle:
    return Cycle.objects.filter(status=Cycle.Status.RELEASED).order_by("-month").first()


@pytest.mark.parametrize("username", [name for name, _, _ in DEMO_USERS])
def test_the_home_page_reads_in_a_bounded_number_of_queries(
    username, django_assert_max_num_queries
):
    client = _client(username)
    client.get("/")  # the released cycles' KPI figures are cached from the first visit on
    with django_assert_max_num_queries(HOME_MAX):
        response = client.get("/")
    assert response.status_code == 200


@pytest.mark.parametrize("which", [_open_cycle, _released_cycle], ids=["open", "released"])
@pytest.mark.parametrize("username", ["manager", "exec", "planner-north"])
def test_the_signoff_page_reads_in_a_bounded_number_of_queries(
    username, which, django_assert_max_num_queries
):
    client, cycle = _client(username), which()
    cache.clear()  # a released plan's figures are cached: count the reads that fill it
    with django_assert_max_num_queries(SIGNOFF_MAX):
        response = client.get(f"/cycles/{cycle.pk}/sign-off/")
    assert response.status_code == 200
    assert cycle.month.strftime("%Y-%m") in response.content.decode()


COLD_MAX = 50  # the bound for any page; the KPI figures of 12 cycles, none cached


def _cold_kpi_queries(path: str, django_assert_max_num_queries) -> None:
    client = _client("manager")
    assert Cycle.objects.filter(status=Cycle.Status.RELEASED).count() >= 12
    cache.clear()  # a fresh web process: no cycle's KPI figures computed yet
    with django_assert_max_num_queries(COLD_MAX):
        response = client.get(path)
    assert response.status_code == 200


def test_the_home_page_with_an_empty_cache_reads_in_a_bounded_number_of_queries(
    django_assert_max_num_queries,
):
    _cold_kpi_queries("/", django_assert_max_num_queries)


def test_the_kpi_api_with_an_empty_cache_reads_in_a_bounded_number_of_queries(
    django_assert_max_num_queries,
):
    _cold_kpi_queries("/api/kpis/dashboard/", django_assert_max_num_queries)
