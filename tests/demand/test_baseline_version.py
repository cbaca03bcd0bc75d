"""The loaded baseline is the cycle's first version, so "baseline vs released" shows what people
changed (issue 13, defect 6: version #1 was empty and every figure looked new)."""

import pytest
from rest_framework.test import APIClient

from cycles.selectors import plan_versions_compare
from demand.baseline import baseline_load
from tests.fixtures.demand import done_run, edit

pytestmark = pytest.mark.django_db


def _family_override(demand_cycle, planners, company) -> None:
    """Planner one sets a family in their territory to 600 (three SKUs, one month)."""
    family, territory = company.families[0], company.territories[0]
    edit(planners[0], demand_cycle, {"family": family.pk, "territory": territory.pk})


def test_the_first_version_is_the_loaded_baseline(demand_cycle):
    [first] = demand_cycle.versions.all()
    run = demand_cycle.forecast_runs.get()
    assert first.label == f"Baseline (forecast run #{run.pk})"
    assert first.stage == "demand_planning"


def test_baseline_against_now_lists_only_what_people_changed(demand_cycle, planners, company):
    _family_override(demand_cycle, planners, company)
    demand_cycle.refresh_from_db()
    first = demand_cycle.versions.get()
    changes = plan_versions_compare(
        cycle=demand_cycle, seq_a=first.seq, seq_b=demand_cycle.version_seq
    )
    assert {(c.measure, c.before is None) for c in changes} == {
        ("override", True),  # the planner's three figures, new
        ("consensus", False),  # the same three cells, changed from the baseline
    }
    assert len(changes) == 6


def test_the_compare_api_and_page_show_baseline_vs_plan(demand_cycle, planners, company, manager):
    _family_override(demand_cycle, planners, company)
    seq = demand_cycle.versions.get().seq
    api = APIClient()
    api.force_authenticate(manager)
    labels = [v["label"] for v in api.get(f"/api/cycles/{demand_cycle.pk}/versions/").json()]
    assert labels[0].startswith("Baseline (forecast run #")
    page = api.get(f"/api/cycles/{demand_cycle.pk}/compare/?a={seq}&b=now&count=true").json()
    changes = page["results"]
    assert sorted({c["measure"] for c in changes}) == ["consensus", "override"]
    assert len(changes) == page["count"] == 6
    api.force_login(manager)
    body = api.get(f"/cycles/{demand_cycle.pk}/compare/?a={seq}&b=now").content.decode()
    assert "6 changed figures" in body and "Baseline (forecast run #" in body


def test_a_load_that_changes_nothing_takes_no_second_version(demand_cycle, manager):
    baseline_load(actor=manager, cycle_id=demand_cycle.pk)
    assert demand_cycle.versions.count() == 1


def test_a_newer_run_is_a_new_baseline_version(demand_cycle, company, manager):
    run = done_run(demand_cycle, company, point=lambda p, t, m: 50.0)
    baseline_load(actor=manager, cycle_id=demand_cycle.pk)
    labels = list(demand_cycle.versions.values_list("label", flat=True))
    assert labels[-1] == f"Baseline (forecast run #{run.pk})" and len(labels) == 2
