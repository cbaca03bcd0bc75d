"""Scoring released plans: lag, levels, metrics, idempotent recompute, FVA by planner."""

from datetime import date

import pytest

from accounts.roles import Role
from reassessment import selectors
from reassessment.models import AccuracyScore, FvaLayer, FvaScore
from reassessment.services import months_with_scores_due, scores_recompute
from sop_planner.errors import NotAllowed
from tests.factories import mark_released

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@pytest.fixture
def scored_plan(book):
    """A plan released for January; February actuals in territory 0 only."""
    c = book.company
    p0, p1 = c.products[0], c.products[1]
    t0, t1 = c.territories[0], c.territories[1]
    cycle = book.released_cycle(
        JAN,
        consensus={(p0, t0, FEB): 110, (p1, t0, FEB): 90, (p0, t1, FEB): 50},
        baseline={(p0, t0, FEB): 100, (p1, t0, FEB): 80},
        baseline_low={(p0, t0, FEB): 90, (p1, t0, FEB): 95},
        baseline_high={(p0, t0, FEB): 120, (p1, t0, FEB): 99},
    )
    book.actuals({(p0, t0, FEB): 100, (p1, t0, FEB): 100})
    return cycle


def test_a_month_with_actuals_scores_the_plans_covering_it(scored_plan):
    assert months_with_scores_due() == [FEB]
    run = scores_recompute(months=None)
    assert run.plans_scored == 1 and run.cells_scored == 2
    company = AccuracyScore.objects.get(level="company")
    assert company.lag == 1 and company.cycle_month == JAN and company.month == FEB
    assert company.wape == pytest.approx(20 / 200 * 100)
    assert company.bias_pct == pytest.approx(0.0)
    assert company.hit_rate == pytest.approx(0.5)
    assert company.series == 2


def test_unreported_territories_are_not_scored_yet(scored_plan, book):
    scores_recompute(months=[FEB])
    territories = set(
        AccuracyScore.objects.filter(level="territory").values_list("key", flat=True)
    )
    assert territories == {book.company.territories[0].pk}


def test_recompute_replaces_a_months_scores(scored_plan):
    scores_recompute(months=[FEB])
    first = AccuracyScore.objects.count(), FvaScore.objects.count()
    scores_recompute(months=[FEB])
    assert (AccuracyScore.objects.count(), FvaScore.objects.count()) == first


def test_accuracy_trend_returns_the_contract_keys(scored_plan):
    scores_recompute()
    (point,) = selectors.accuracy_trend(lag=1)
    assert point["month"] == FEB and point["cycle_month"] == JAN
    assert point["wape"] == pytest.approx(10.0) and point["series"] == 2
    assert set(point) == {
        "month",
        "cycle_month",
        "wape",
        "mase",
        "bias_pct",
        "tracking_signal",
        "hit_rate",
        "series",
    }
    assert selectors.accuracy_trend(lag=0) == []


def test_people_without_the_right_cannot_recompute(scored_plan, user_with_role):
    with pytest.raises(NotAllowed):
        scores_recompute(actor=user_with_role(Role.FINANCE))
    assert not AccuracyScore.objects.exists()


def test_overrides_that_help_rank_above_overrides_that_hurt(book, user_with_role):
    c = book.company
    t0 = c.territories[0]
    a, b = user_with_role(Role.DEMAND_PLANNER), user_with_role(Role.DEMAND_PLANNER)
    keys = [(p, t0, FEB) for p in c.products[:4]]
    final = {keys[0]: 120, keys[1]: 120, keys[2]: 90, keys[3]: 90}
    cycle = book.unreleased_cycle(
        JAN, baseline={k: 100 for k in keys}, consensus=final, override=final
    )
    book.actuals({keys[0]: 120, keys[1]: 120, keys[2]: 100, keys[3]: 100})
    book.override(cycle, a, "promo-intel", {keys[0]: (100, 120), keys[1]: (100, 120)})
    book.override(cycle, b, "gut-feel", {keys[2]: (100, 90), keys[3]: (100, 90)})
    mark_released(cycle)
    scores_recompute()
    ranking = selectors.fva_ranking(lag=1, months=12, layer=FvaLayer.PERSON, min_cells=1)
    assert [row["key"] for row in ranking] == [a.pk, b.pk]
    assert ranking[0]["fva"] == pytest.approx(40 / 240 * 100)
    assert ranking[1]["fva"] == pytest.approx(-20 / 200 * 100)
    (point,) = selectors.fva_trend(lag=1)
    assert point["baseline_wape"] == pytest.approx(40 / 440 * 100)
    assert point["final_wape"] == pytest.approx(20 / 440 * 100)
    assert point["override_fva"] == pytest.approx(20 / 440 * 100)
    assert point["overridden_cells"] == 4


def test_a_month_without_actuals_scores_nothing_and_clears_nothing_else(scored_plan):
    scores_recompute(months=[FEB])
    run = scores_recompute(months=[MAR])
    assert (run.plans_scored, run.cells_scored) == (1, 0)
    assert AccuracyScore.objects.filter(month=FEB).exists()


def test_tracking_signal_follows_the_successive_months_of_a_lag(book):
    c = book.company
    p0, t0 = c.products[0], c.territories[0]
    for cycle_month, target, plan in ((JAN, FEB, 110), (FEB, MAR, 120)):
        book.released_cycle(
            cycle_month,
            consensus={(p0, t0, target): plan},
        )
        book.actuals({(p0, t0, target): 100})
    scores_recompute()
    signals = [point["tracking_signal"] for point in selectors.accuracy_trend(lag=1)]
    assert signals == [pytest.approx(1.0), pytest.approx(30 / 15)]
