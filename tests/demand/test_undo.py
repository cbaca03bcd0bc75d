"""Undo is an undo (issue 13, defect 4): every cell, every measure and the override list
exactly as before the edit, the undo in the audit trail, and nothing undone in FVA.

The grid's Ctrl+Z used to write new "set" overrides at the rounded old totals
under the undone edit's reason code, and those counted for the planner.
"""

import pytest

from audit.models import AuditEvent
from cycles.models import PlanValue
from demand.models import Override
from demand.scope import Scope
from demand.selectors import overrides_of
from demand.services import overrides_undo
from reassessment import selectors as fva
from reassessment.models import FvaLayer
from reassessment.services import scores_recompute
from sop_planner.errors import Conflict, NotAllowed
from tests.factories import mark_released
from tests.fixtures.cycles import add_actuals
from tests.fixtures.demand import client_for, edit, grid

pytestmark = pytest.mark.django_db


def plan(cycle) -> dict:
    """Every current figure of every measure, by measure and cell."""
    rows = PlanValue.objects.filter(cycle=cycle, valid_to_seq=None)
    fields = ("measure", "product_id", "territory_id", "month", "value")
    return {row[:4]: row[4] for row in rows.values_list(*fields)}


def level(company, family=0, territory=0) -> dict:
    return {"family": company.families[family].pk, "territory": company.territories[territory].pk}


def test_undo_of_a_set_and_a_percent_puts_every_figure_back_exactly(
    fractional_cycle, manager, company
):
    months = fractional_cycle.horizon()[:2]
    untouched = plan(fractional_cycle)
    first = edit(manager, fractional_cycle, level(company), mode="set", value=700, months=months)
    after_first = plan(fractional_cycle)
    region = {"region": company.regions[0].pk}
    second = edit(manager, fractional_cycle, region, mode="percent", value=10, months=months)
    assert plan(fractional_cycle) != after_first
    overrides_undo(actor=manager, cycle_id=fractional_cycle.pk, override_ids=[second.pk])
    assert plan(fractional_cycle) == after_first
    overrides_undo(actor=manager, cycle_id=fractional_cycle.pk, override_ids=[first.pk])
    assert plan(fractional_cycle) == untouched  # decimals of the baseline included
    assert overrides_of(fractional_cycle, Scope.from_filters({})) == []
    undos = AuditEvent.objects.filter(action="demand.override_undo").order_by("pk")
    assert [event.object_id for event in undos] == [str(second.pk), str(first.pk)]
    assert undos[0].reason == f"Undo of percent 10 on {second.scope_label}"


def test_a_pasted_batch_is_undone_as_one_change_latest_first(fractional_cycle, manager, company):
    untouched = plan(fractional_cycle)
    ids = [
        edit(manager, fractional_cycle, level(company), value=300).pk,
        edit(manager, fractional_cycle, {"product": company.products[0].pk}, value=50).pk,
    ]
    overrides_undo(actor=manager, cycle_id=fractional_cycle.pk, override_ids=ids)
    assert plan(fractional_cycle) == untouched


def test_an_edit_overwritten_later_is_not_undone_behind_the_later_one(
    fractional_cycle, manager, company
):
    first = edit(manager, fractional_cycle, level(company), value=300)
    edit(manager, fractional_cycle, level(company), value=400)
    now = plan(fractional_cycle)
    with pytest.raises(Conflict, match="undo the later change first"):
        overrides_undo(actor=manager, cycle_id=fractional_cycle.pk, override_ids=[first.pk])
    assert plan(fractional_cycle) == now


def test_only_the_author_undoes_an_edit(fractional_cycle, manager, planners, company):
    mine = edit(planners[0], fractional_cycle, level(company), value=300)
    with pytest.raises(NotAllowed, match="who made this change"):
        overrides_undo(actor=manager, cycle_id=fractional_cycle.pk, override_ids=[mine.pk])


def test_undo_through_the_api_restores_the_grid_and_the_override_list(
    fractional_cycle, manager, company
):
    client, url = client_for(manager), f"/api/demand/cycles/{fractional_cycle.pk}/"
    params = {**level(company), "product_level": "family", "territory_level": "territory"}
    before = grid(manager, fractional_cycle, **params)["rows"][0]
    month = f"{fractional_cycle.month:%Y-%m}"
    body = {
        **before["filters"],
        "first_month": f"{month}-01",
        "last_month": f"{month}-01",
        "mode": "percent",
        "value": "10",
        "reason_code": "customer-intelligence",
        "expected_versions": {month: before["versions"][month]},
    }
    saved = client.post(url + "overrides/batch/", {"edits": [body]}, format="json").json()
    undone = client.post(url + "overrides/undo/", {"overrides": [saved[0]["id"]]}, format="json")
    assert undone.status_code == 200 and undone.json()[0]["id"] == saved[0]["id"]
    after = grid(manager, fractional_cycle, **params)["rows"][0]
    assert after["values"] == before["values"]
    assert client.get(url + "overrides/", before["filters"]).json() == []
    again = client.post(url + "overrides/undo/", {"overrides": [saved[0]["id"]]}, format="json")
    assert again.status_code == 400 and "already undone" in again.json()["detail"]


def test_an_undone_edit_counts_nowhere_in_forecast_value_added(
    fractional_cycle, manager, planners, company
):
    december = fractional_cycle.horizon()[1]
    kept = edit(planners[0], fractional_cycle, level(company), value=900, months=[december])
    other = level(company, family=1)
    undone = edit(planners[0], fractional_cycle, other, value=900, months=[december])
    overrides_undo(actor=planners[0], cycle_id=fractional_cycle.pk, override_ids=[undone.pk])
    mark_released(fractional_cycle)
    add_actuals(company, december)
    scores_recompute()
    (row,) = fva.fva_ranking(lag=1, months=12, layer=FvaLayer.PERSON, min_cells=0)
    assert row["key"] == planners[0].pk
    assert row["cells"] == Override.objects.get(pk=kept.pk).cells.count()
