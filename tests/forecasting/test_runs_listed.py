"""The runs page lists the newest 50 runs and says how many there are in all."""

from datetime import date

import pytest
from django.urls import reverse

from forecasting.models import ForecastRun

pytestmark = pytest.mark.django_db

HISTORY_END = date(2026, 10, 1)


def test_the_runs_page_says_how_many_runs_it_does_not_list(client, manager, cycle):
    ForecastRun.objects.bulk_create(
        ForecastRun(cycle=cycle, status=ForecastRun.Status.CANCELLED, history_end=HISTORY_END)
        for _ in range(53)
    )
    client.force_login(manager)
    page = client.get(reverse("forecasting:runs")).content.decode()
    assert "The newest 50 of 53 runs are listed." in page
