"""A run while a territory has not reported the last month (the data-gathering gate is
still open for it): its series are forecast from the month it last reported."""

from collections import defaultdict

import pytest

from cycles.calendar import add_months
from forecasting import services
from forecasting.engine import hierarchy as hy
from forecasting.models import ForecastRun, ForecastSeries, ForecastValue, SalesActual
from territories.models import Territory
from tests.fixtures.forecasting import CYCLE_MONTH, compute_all

pytestmark = pytest.mark.django_db
LAST_MONTH = add_months(CYCLE_MONTH, -1)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 10)


def finished_run(cycle, manager) -> ForecastRun:
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    compute_all(run)
    return services.forecast_run_finish(run_id=run.pk)


def totals(run: ForecastRun, territory: Territory) -> dict[int, float]:
    """Product -> the units its series is forecast to sell over the twelve months."""
    sums: dict[int, float] = defaultdict(float)
    for product, point in ForecastValue.objects.filter(run=run, territory=territory).values_list(
        "product", "point"
    ):
        sums[product] += float(point)
    return dict(sums)


def reasons(run: ForecastRun, territory: Territory) -> list[str]:
    return list(
        ForecastSeries.objects.filter(run=run, territory=territory).values_list(
            "reason", flat=True
        )
    )


def test_a_late_territory_is_forecast_at_its_level_for_the_cycles_months(
    cycle, history, manager, company
):
    late = company.territories[1]
    complete = totals(finished_run(cycle, manager), late)
    SalesActual.objects.filter(territory=late, period=LAST_MONTH).delete()
    run = finished_run(cycle, manager)
    months = set(
        ForecastValue.objects.filter(run=run, territory=late).values_list("month", flat=True)
    )
    assert months == set(cycle.horizon())
    got = totals(run, late)
    regular = [p for p, units in complete.items() if units > 100]
    assert regular and all(abs(got[p] / complete[p] - 1) < 0.1 for p in regular), (got, complete)
    assert all(f"has not reported {LAST_MONTH:%Y-%m} yet" in r for r in reasons(run, late))
    assert not any("has not reported" in r for r in reasons(run, company.territories[0]))


def test_a_closed_territorys_missing_month_is_a_month_without_sales(
    cycle, history, manager, company
):
    closed = company.territories[2]
    Territory.objects.filter(pk=closed.pk).update(is_active=False)
    SalesActual.objects.filter(territory=closed, period=LAST_MONTH).delete()
    run = finished_run(cycle, manager)
    assert not any("has not reported" in r for r in reasons(run, closed))
    assert run.status == "done"


@pytest.mark.parametrize("method", [hy.TOP_DOWN, hy.MINT])
def test_the_totals_are_not_learned_with_the_late_month_as_a_drop(
    cycle, history, manager, company, monkeypatch, method
):
    """Reconciled top-down or by MinT, the late territory and its region keep their level."""
    monkeypatch.setattr(hy, "_pick", lambda scores: method)
    late = company.territories[1]
    region = [t for t in company.territories if t.region_id == late.region_id]
    complete = finished_run(cycle, manager)
    before = {t.pk: sum(totals(complete, t).values()) for t in region}
    SalesActual.objects.filter(territory=late, period=LAST_MONTH).delete()
    run = finished_run(cycle, manager)
    assert run.reconciliation["method"] == method
    after = {t.pk: sum(totals(run, t).values()) for t in region}
    assert all(abs(after[t] / before[t] - 1) < 0.05 for t in before), (after, before)


def test_the_series_page_keeps_the_unreported_month_on_the_chart_empty_and_says_so(
    cycle, history, manager, company, client
):
    late, reporting = company.territories[1], company.territories[0]
    SalesActual.objects.filter(territory=late, period=LAST_MONTH).delete()
    run = finished_run(cycle, manager)
    client.force_login(manager)
    product = company.products[0]

    def chart(territory):
        page = client.get(f"/forecasting/runs/{run.pk}/series/{product.pk}/{territory.pk}/")
        assert page.status_code == 200
        return page.context["chart"], page.content.decode()

    data, html = chart(late)
    gap = data["months"].index(f"{LAST_MONTH:%Y-%m}")
    assert data["months"][gap - 1 : gap + 2] == [
        f"{add_months(LAST_MONTH, -1):%Y-%m}", f"{LAST_MONTH:%Y-%m}", f"{CYCLE_MONTH:%Y-%m}"
    ]  # fmt: skip
    assert data["actual"][gap] is None and data["point"][gap] is None
    assert data["actual"][gap - 1] is not None and data["point"][gap + 1] is not None
    assert f"No actuals for {LAST_MONTH:%Y-%m}" in html
    assert f"the forecast starts in {CYCLE_MONTH:%Y-%m}" in html

    data, html = chart(reporting)
    assert data["unreported"] == [] and "No actuals for" not in html
