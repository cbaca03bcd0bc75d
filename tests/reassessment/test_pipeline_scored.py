"""The CRM pipeline frozen at release is scored as one more forecast (issue 18): its row in
the lag table, and next to the baseline and the final plan on the FVA page."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from demand.models import ReleasedPipeline, ReleasedPipelineCell
from reassessment import selectors
from reassessment.models import AccuracyScore, Forecast
from reassessment.services import scores_recompute
from tests.factories import UserFactory, mark_released

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)
pytestmark = pytest.mark.django_db


def freeze(cycle, cells: dict) -> None:
    """The pipeline as it stood at release: (product, territory, month) -> (CRM, learned)."""
    frozen = ReleasedPipeline.objects.create(cycle=cycle, deals=len(cells), not_placed=0)
    ReleasedPipelineCell.objects.bulk_create(
        ReleasedPipelineCell(
            frozen=frozen, family=product.family, product=product, territory=territory,
            month=month, units=Decimal(units), revenue=Decimal(units) * 10,
            learned_units=Decimal(learned), learned_revenue=Decimal(learned) * 10,
        )
        for (product, territory, month), (units, learned) in cells.items()
    )  # fmt: skip


@pytest.fixture
def scored(book):
    """January's plan: p0 110 and p1 90 in February (baseline 100 and 70); 100 of each sold.
    Its frozen pipeline expected 60 of p0 (90 at the learned likelihoods), nothing of p1."""
    c = book.company
    p0, p1, t0 = c.products[0], c.products[1], c.territories[0]
    cycle = book.unreleased_cycle(
        JAN,
        consensus={(p0, t0, FEB): 110, (p1, t0, FEB): 90},
        baseline={(p0, t0, FEB): 100, (p1, t0, FEB): 70},
    )
    freeze(cycle, {(p0, t0, FEB): (60, 90)})
    mark_released(cycle)
    book.actuals({(p0, t0, FEB): 100, (p1, t0, FEB): 100})
    scores_recompute(months=[FEB])
    return cycle


def test_the_lag_table_shows_the_pipelines_forecast_and_wape_next_to_the_plans(scored):
    plan = AccuracyScore.objects.get(level="company", forecast=Forecast.PLAN)
    assert plan.wape == pytest.approx(10.0)  # (10 + 10) / 200
    pipeline = AccuracyScore.objects.get(level="company", forecast=Forecast.PIPELINE)
    assert (pipeline.lag, pipeline.forecast_total) == (1, 60)
    assert pipeline.wape == pytest.approx(70.0)  # (40 + 100) / 200
    assert pipeline.bias_pct == pytest.approx(-70.0)
    [row] = selectors.accuracy_table(lag=1, level="company")
    assert row["wape"] == pytest.approx(10.0) and row["pipeline_forecast"] == 60
    assert row["pipeline_wape"] == pytest.approx(70.0)
    assert row["pipeline_learned_wape"] == pytest.approx(55.0)  # (10 + 100) / 200
    # the plan's own trend (the KPI contract) is the plan's, not the pipeline's
    assert [p["wape"] for p in selectors.accuracy_trend(lag=1)] == [pytest.approx(10.0)]


def test_the_fva_page_compares_the_pipeline_with_the_baseline_and_the_plan(scored, client):
    comparison = selectors.pipeline_comparison(lag=1)
    wapes = {step["label"]: step["wape"] for step in comparison["steps"]}
    assert comparison["plans"] == 1
    assert wapes == {
        "Statistical baseline": pytest.approx(15.0),  # (0 + 30) / 200
        "Final released plan": pytest.approx(10.0),
        "Weighted CRM pipeline": pytest.approx(70.0),
        "Pipeline at learned likelihoods": pytest.approx(55.0),
    }
    client.force_login(UserFactory.with_role(Role.DEMAND_PLANNER))
    page = client.get("/reassessment/fva/?lag=1").content.decode()
    section = page[page.index('id="pipeline-forecast"') :]
    assert "Does our CRM mean what its stages say?" in section
    assert 'data-layer="pipeline"' in section and "70.000" in section
    answer = client.get("/api/reassessment/fva/?lag=1").json()["pipeline"]
    assert answer["plans"] == 1 and answer["steps"][2]["wape"] == pytest.approx(70.0)
    [row] = client.get("/api/reassessment/accuracy/?lag=1").json()
    assert (row["pipeline_forecast"], row["pipeline_wape"]) == (60, pytest.approx(70.0))


def test_plans_released_without_a_pipeline_are_not_scored_for_one(book, client):
    c = book.company
    p0, t0 = c.products[0], c.territories[0]
    book.released_cycle(JAN, consensus={(p0, t0, FEB): 110})
    book.actuals({(p0, t0, FEB): 100})
    scores_recompute(months=[FEB])
    assert not AccuracyScore.objects.exclude(forecast=Forecast.PLAN).exists()
    assert selectors.pipeline_comparison(lag=1)["steps"] == []
    client.force_login(UserFactory.with_role(Role.DEMAND_PLANNER))
    page = client.get("/reassessment/fva/?lag=1").content.decode()
    assert 'id="no-pipeline-scores"' in page
