"""A released plan never changes: its reconciliation figures are computed once and kept,
and a change of list price (master data the revenue is priced with) computes them anew."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycles.stages import Stage
from tests.factories import mark_released
from tests.supply.plan_data import open_cycle, put_consensus


def _plan_reads(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    return page, sum("cycles_planvalue" in q["sql"] for q in queries.captured_queries)


def test_the_released_sign_off_page_reads_the_plan_once(company, manager, client):
    released = open_cycle(manager, Stage.RECONCILIATION, month=date(2026, 10, 1))
    put_consensus(released, company.products[1], company.territories[1], [40] * 12)
    mark_released(released)
    client.force_login(manager)
    first, first_reads = _plan_reads(client, f"/cycles/{released.pk}/sign-off/")
    again, again_reads = _plan_reads(client, f"/cycles/{released.pk}/sign-off/")
    assert first_reads > 0 and again_reads == 0
    assert 'id="kpis"' in again and again.count("Revenue") == first.count("Revenue")


def test_a_new_list_price_reprices_the_kept_figures(company, manager, client):
    released = open_cycle(manager, Stage.RECONCILIATION, month=date(2026, 10, 1))
    product = company.products[1]
    put_consensus(released, product, company.territories[1], [10] * 12)
    mark_released(released)
    client.force_login(manager)
    api = f"/api/plan/cycles/{released.pk}/reconciliation/"
    before = client.get(api).json()["total"]["demand_revenue"]
    product.unit_price *= 2
    product.save()
    after = client.get(api).json()["total"]["demand_revenue"]
    assert after == 2 * before > 0
