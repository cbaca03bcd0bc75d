"""The forecast run page shows WAPE and bias in % like every other page; its worst series link."""

import re

import pytest
from django.urls import reverse

from forecasting import services
from forecasting.models import ForecastRun, ForecastSeries


@pytest.fixture
def done_run(cycle, history, manager):
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    for number in range(run.chunk_count):
        services.forecast_chunk_compute(run_id=run.pk, chunk_number=number)
    return ForecastRun.objects.get(pk=run.pk)


def _table(page: str, table_id: str) -> str:
    return page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]


def test_the_worst_series_link_to_their_page_with_wape_and_bias_in_percent(
    client, done_run, manager
):
    client.force_login(manager)
    page = client.get(reverse("forecasting:run", args=[done_run.pk])).text
    worst = _table(page, "worst-error")
    first = done_run.summary["worst_by_error"][0]
    series = ForecastSeries.objects.get(
        run=done_run, product_id=first["product_id"], territory_id=first["territory_id"]
    )
    link = reverse(
        "forecasting:run-series", args=[done_run.pk, series.product_id, series.territory_id]
    )
    assert f'<a href="{link}">{first["series"]}</a>' in worst
    assert f"{series.wape * 100:,.1f} %" in worst and f"{series.bias * 100:,.1f} %" in worst
    assert client.get(link).status_code == 200
    assert len(re.findall(r"<a href=", _table(page, "worst-bias"))) == len(
        done_run.summary["worst_by_bias"]
    )
    median = done_run.summary["wape_median"]
    assert f"WAPE median {median * 100:,.1f} %" in page


def test_the_results_page_shows_wape_and_bias_in_percent(client, done_run, manager):
    client.force_login(manager)
    series = ForecastSeries.objects.filter(run=done_run, wape__isnull=False).first()
    page = client.get(
        reverse("forecasting:run-results", args=[done_run.pk]),
        {"product": series.product.sku, "territory": series.territory.code},
    ).text
    assert f'<td class="num">{series.wape * 100:,.1f} %</td>' in page
