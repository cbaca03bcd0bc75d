"""Forecasts add up across the hierarchy (company, family x region, SKU x territory), by the
reconciliation method that backtests best, and the run records which one and why."""

from collections import defaultdict

import numpy as np
import pytest

from forecasting import coherence, services
from forecasting.engine import hierarchy as hy
from forecasting.engine.coherent import make_coherent
from forecasting.models import ForecastValue
from tests.fixtures.forecasting import compute_all


def small_hierarchy():
    cells = {f"{p}:{t}": f"F{p % 2} / R{t % 2}" for p in range(6) for t in range(4)}
    return hy.build(cells)


def backtest_case(bottom_bias: float, upper_noise: float):
    """Actuals of every node, and base forecasts whose bottom series are biased by
    `bottom_bias` and whose totals are off by `upper_noise`."""
    h = small_hierarchy()
    rng = np.random.default_rng(7)
    truth = rng.gamma(20, 5, (len(h.bottom), 6))
    actual = h.add_up(truth)
    n_upper = 1 + len(h.cells)
    base = actual.copy()
    base[n_upper:] = truth * (1 + bottom_bias) * rng.normal(1, 0.05, truth.shape)
    base[:n_upper] = actual[:n_upper] * rng.normal(1 + upper_noise, 0.01, (n_upper, 6))
    return h, base, actual, np.abs(actual).mean(axis=1) * 0.1


def test_a_clearly_better_reconciliation_replaces_bottom_up_and_says_so():
    h, base, actual, scale = backtest_case(bottom_bias=0.3, upper_noise=0.0)
    decision = hy.choose(h, base, actual, scale)
    assert decision.method != hy.BOTTOM_UP
    assert set(decision.scores) == {hy.BOTTOM_UP, hy.TOP_DOWN, hy.MINT}
    chosen, bu = decision.scores[decision.method], decision.scores[hy.BOTTOM_UP]
    assert chosen[hy.CELL]["mase"] < bu[hy.CELL]["mase"]
    assert chosen[hy.BOTTOM]["mase"] <= bu[hy.BOTTOM]["mase"] * (1 + hy.SKU_TOLERANCE)
    assert decision.reason.startswith(decision.method + " (MASE ")


def test_bottom_up_stays_when_the_totals_forecasts_are_no_better():
    h, base, actual, scale = backtest_case(bottom_bias=0.0, upper_noise=0.4)
    decision = hy.choose(h, base, actual, scale)
    assert decision.method == hy.BOTTOM_UP
    assert "no other method was clearly better" in decision.reason


@pytest.mark.parametrize("method", [hy.BOTTOM_UP, hy.TOP_DOWN, hy.MINT])
def test_every_method_gives_non_negative_series_that_sum_to_the_totals(method):
    h, base, actual, _ = backtest_case(bottom_bias=0.2, upper_noise=0.1)
    base[1 + len(h.cells)] = 0.0  # the first SKU x territory is discontinued: forecast zero
    bottom = hy.reconcile(h, base, method, actual - base)
    assert bottom.shape == (len(h.bottom), 6) and (bottom >= 0).all()
    assert (bottom[0] == 0).all()  # a discontinued series gets no share of the totals
    totals = h.add_up(bottom)
    for cell in range(len(h.cells)):
        assert np.allclose(totals[1 + cell], bottom[h.cell_of == cell].sum(axis=0))


def stored_totals(run):
    """Company and family / region sums of the run's stored SKU x territory months."""
    sums = defaultdict(lambda: defaultdict(float))
    rows = ForecastValue.objects.filter(run=run).values_list(
        "product__family__name", "territory__region__name", "month", "point"
    )
    for family, region, month, point in rows:
        sums[f"{family} / {region}"][f"{month:%Y-%m}"] += point
        sums[hy.COMPANY][f"{month:%Y-%m}"] += point
    return sums


def assert_adds_up(run):
    record = run.reconciliation
    sums = stored_totals(run)
    assert set(record["totals"]) == set(sums)
    for label, values in record["totals"].items():
        assert values == pytest.approx([sums[label][m] for m in record["months"]], abs=1e-6)


@pytest.mark.django_db
def test_a_run_adds_up_at_every_level_and_records_the_method_and_its_scores(
    cycle, history, manager, monkeypatch
):
    monkeypatch.setattr(services, "CHUNK_SIZE", 10)
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    compute_all(run)
    run = services.forecast_run_finish(run_id=run.pk)
    record = run.reconciliation
    assert record["method"] in record["scores"]
    assert set(record["scores"]) == {hy.BOTTOM_UP, hy.TOP_DOWN, hy.MINT}
    for scores in record["scores"].values():
        assert set(scores) == {hy.COMPANY, hy.CELL, hy.BOTTOM}
        assert all(level["mase"] > 0 for level in scores.values())
    assert record["reason"].startswith(record["method"])
    assert len(record["totals"]) == 1 + 4  # company, 2 families x 2 regions
    assert_adds_up(run)


@pytest.mark.django_db
@pytest.mark.parametrize("method", [hy.TOP_DOWN, hy.MINT])
def test_a_reconciled_run_stores_changed_series_that_still_add_up(
    cycle, history, manager, monkeypatch, method
):
    monkeypatch.setattr(services, "CHUNK_SIZE", 10)
    monkeypatch.setattr(hy, "_pick", lambda scores: method)
    seen = {}

    def spy(history, points, *args, **kwargs):
        seen["base"] = points.set_index(["unique_id", "ds"])["point"]
        return make_coherent(history, points, *args, **kwargs)

    monkeypatch.setattr(coherence, "make_coherent", spy)
    run = services.forecast_run_start(cycle_id=cycle.pk, actor=manager)
    compute_all(run)
    run = services.forecast_run_finish(run_id=run.pk)
    assert run.reconciliation["method"] == method
    after = ForecastValue.objects.filter(run=run)
    assert after.count() == len(seen["base"])
    base = {(u, d.date()): v for (u, d), v in seen["base"].items()}
    moved = [abs(base[(f"{v.product_id}:{v.territory_id}", v.month)] - v.point) for v in after]
    assert max(moved) > 0.01
    assert all(v.lo95 <= v.lo80 <= v.point <= v.hi80 <= v.hi95 for v in after)
    assert_adds_up(run)
