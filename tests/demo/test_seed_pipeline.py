"""The demo's last released cycles froze a CRM pipeline of its history deals, so its lag
table and FVA page score the pipeline as a forecast (issue 18)."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from crm.models import Deal
from demand.models import ReleasedPipeline, ReleasedPipelineCell
from demand.pipeline_reads import learned_likelihoods
from demo.pipeline_history import PIPELINE_CYCLES
from demo.services import demo_company_load
from reassessment import selectors
from tests.fixtures.shared_data import module_data

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The default company's pipeline history on a small company (the default scale seeds
    for minutes), loaded once for the module; each test's changes are rolled back after it."""
    yield from module_data(
        django_db_blocker, lambda: demo_company_load(today=TODAY, series=24, pipeline=True)
    )


def test_the_last_released_cycles_froze_a_pipeline_of_deals_that_later_closed(seeded):
    frozen = ReleasedPipeline.objects.order_by("cycle__month")
    months = [f.cycle.month for f in frozen]
    assert len(months) == PIPELINE_CYCLES and months[-1] == date(2026, 10, 1)
    assert all(f.deals > 0 and f.cells.exists() for f in frozen)
    closed = Deal.objects.filter(external_id__startswith="hist-")
    assert closed.filter(status=Deal.Status.WON).exists()
    assert closed.filter(status=Deal.Status.LOST).exists()
    assert not closed.filter(status=Deal.Status.OPEN).exists()
    learned = learned_likelihoods().values()
    assert all(s.won + s.lost > 0 for s in learned)
    assert any(s.learned != s.stated for s in learned)


def test_the_lag_table_and_the_fva_page_score_the_pipeline(seeded, client):
    rows = selectors.accuracy_table(lag=1, level="company")
    scored = [r for r in rows if r["pipeline_wape"] is not None]
    assert scored and all(r["pipeline_forecast"] > 0 for r in scored)
    assert all(r["pipeline_learned_wape"] is not None for r in scored)
    labels = [step["label"] for step in selectors.pipeline_comparison(lag=1)["steps"]]
    assert "Weighted CRM pipeline" in labels and "Pipeline at learned likelihoods" in labels
    client.force_login(get_user_model().objects.get(username="manager"))
    page = client.get("/reassessment/fva/?lag=1").content.decode()
    assert 'id="pipeline-forecast"' in page and 'id="no-pipeline-scores"' not in page


def test_seeding_again_adds_no_deal_and_no_pipeline(seeded):
    counts = [m.objects.count() for m in (Deal, ReleasedPipeline, ReleasedPipelineCell)]
    demo_company_load(today=TODAY, series=24, pipeline=True)
    assert [m.objects.count() for m in (Deal, ReleasedPipeline, ReleasedPipelineCell)] == counts


def test_the_history_pipeline_forecasts_about_what_was_sold(seeded):
    """Sized on the territory x family's own sales, the pipeline frozen a month ahead lands
    near the actuals (over or under by tens of percent, as a CRM does); far ahead it thins."""
    near = selectors.accuracy_table(lag=1, level="company")
    far = selectors.accuracy_table(lag=3, level="company")
    near_wape = [r["pipeline_wape"] for r in near if r["pipeline_wape"] is not None]
    far_wape = [r["pipeline_wape"] for r in far if r["pipeline_wape"] is not None]
    assert near_wape and max(near_wape) < 70
    ratios = [r["pipeline_forecast"] / r["actual_total"] for r in near if r["pipeline_wape"]]
    assert all(0.5 < ratio < 1.5 for ratio in ratios), ratios
    assert far_wape and min(far_wape) > max(near_wape)
