"""seed_demo loads twelve released past cycles, scored, once."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from cycles.models import Cycle, PlanValue, PlanVersion, SignOffDecision
from demand.models import DemandEvent, Override, OverrideCell
from demo import history
from kpis.selectors import cycle_figures
from reassessment.models import AccuracyScore, ScoreRun
from reassessment.selectors import accuracy_trend, fva_trend
from tests.fixtures.shared_data import module_data

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module; each test's changes are rolled back after it."""
    yield from module_data(
        django_db_blocker, lambda: call_command("seed_demo", today=TODAY, scale=24, verbosity=0)
    )


def _released():
    return Cycle.objects.filter(status=Cycle.Status.RELEASED).order_by("month")


def test_twelve_released_cycles_before_the_open_one(seeded):
    released = list(_released())
    months = [c.month for c in released]
    assert (months[0], months[-1], len(months)) == (date(2025, 11, 1), date(2026, 10, 1), 12)
    assert all(c.stage == "sign_off" and c.released_at for c in released)
    versions = (
        PlanVersion.objects.filter(cycle__in=released).values("cycle").annotate(n=Count("id"))
    )
    assert {row["n"] for row in versions} == {6}  # the baseline, then each stage exit
    assert SignOffDecision.objects.filter(cycle__in=released, decision="approve").count() == 12


def test_each_cycle_holds_a_twelve_month_plan_with_intervals_and_overrides(seeded):
    cycle = _released().first()
    current = PlanValue.objects.filter(cycle=cycle, valid_to_seq=None)  # as released
    counts = dict(current.values_list("measure").annotate(n=Count("id")))
    assert counts["baseline"] == counts["baseline_low"] == counts["baseline_high"]
    assert counts["consensus"] == counts["baseline"]
    months = PlanValue.objects.filter(cycle=cycle, measure="baseline").values("month").distinct()
    assert months.count() == 12
    assert counts["override"] == OverrideCell.objects.filter(override__cycle=cycle).count()
    assert {"budget_units", "budget_revenue", "shortage", "projected_inventory"} <= set(counts)
    planners = Override.objects.values_list("actor__username", flat=True).distinct()
    assert set(planners) == {f"planner-{r}" for r in ("north", "south", "east", "west")}
    assert Override.objects.values("reason").distinct().count() >= 5


def test_the_history_is_scored_and_feeds_every_kpi(seeded):
    assert accuracy_trend(lag=1) and accuracy_trend(lag=3) and fva_trend(lag=1)
    cycles = list(_released())
    figures = cycle_figures(cycles, today=TODAY)
    # Quota attainment needs an approved quota year for the closed month: the demo's quotas
    # are proposed from its newest released plan, so they cover months the past cycles
    # closed before there were quotas.
    no_quota_then = {"quota_attainment_month", "quota_attainment_ytd"}
    # The past cycles were released before the CRM was connected: none has a pipeline
    # frozen at its release, so none has a pipeline coverage.
    no_pipeline_then = {"pipeline_coverage"}
    assert all(
        value is not None
        for f in figures.values()
        for code, value in f.items()
        if code not in no_quota_then | no_pipeline_then
    )
    late = [f["days_late"] for f in figures.values()]
    assert any(days > 0 for days in late) and any(days == 0 for days in late)


def test_the_events_in_each_plan_are_the_promotions_its_events_table_lists(seeded):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from demand.events import events_effect
    from products.models import Product
    from territories.models import Territory

    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    products = list(Product.objects.values_list("pk", flat=True))
    places = list(Territory.objects.values_list("pk", flat=True))
    for cycle in _released():
        events = DemandEvent.objects.filter(cycle=cycle)
        stored = {
            (p, t, m): v
            for p, t, m, v in PlanValue.objects.filter(
                cycle=cycle, measure="events", valid_to_seq=None
            ).values_list("product_id", "territory_id", "month", "value")
            if v
        }
        assert stored and events.count() == history.PROMOTIONS_PER_CYCLE
        recomputed = {k: v for k, v in events_effect(cycle, products, places).items() if v}
        assert recomputed == stored
        html = client.get(f"/demand/{cycle.pk}/").content.decode()
        assert "No event in this cycle." not in html
        assert all(str(event) in html for event in events)


def test_seeding_again_adds_nothing(seeded):
    before = [
        m.objects.count()
        for m in (Cycle, PlanValue, Override, OverrideCell, DemandEvent, AccuracyScore, ScoreRun)
    ]
    call_command("seed_demo", today=TODAY, scale=24, verbosity=0)
    after = [
        m.objects.count()
        for m in (Cycle, PlanValue, Override, OverrideCell, DemandEvent, AccuracyScore, ScoreRun)
    ]
    assert after == before


@pytest.mark.postgres
def test_the_seeded_history_is_locked_like_any_released_plan(seeded):
    value = PlanValue.objects.filter(cycle=_released().first()).first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cycles_planvalue SET value = 0 WHERE id = %s", [value.pk])


def test_the_released_demo_cycles_passed_the_gates_every_gap_decided_and_budgeted(seeded):
    from reconciliation.selectors import months_without_budget, undecided_gaps

    for cycle in _released():
        assert undecided_gaps(cycle) == [], cycle
        assert months_without_budget(cycle) == [], cycle


def test_baseline_vs_released_lists_what_people_changed(seeded):
    from cycles.selectors import plan_versions_compare

    cycle = _released().first()
    first, released = cycle.versions.order_by("seq")[0], cycle.versions.order_by("seq").last()
    assert first.label == "Baseline (demo forecast)"
    changes = plan_versions_compare(cycle=cycle, seq_a=first.seq, seq_b=released.seq)
    consensus = [c for c in changes if c.measure == "consensus"]
    cells = PlanValue.objects.filter(cycle=cycle, measure="consensus", valid_to_seq=None).count()
    assert consensus and all(c.before is not None for c in consensus)
    assert len(consensus) < cells / 2  # the overridden and promoted cells, not the whole plan
    assert {c.measure for c in changes} >= {"override", "events", "production"}
    assert not {c.measure for c in changes} & {"baseline", "budget_units"}
