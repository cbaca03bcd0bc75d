"""A pasted range or an undo is several overrides applied as one change: all of them or none."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from cycles.models import PlanValue
from demand.models import Override
from demand.services import overrides_apply
from sop_planner.errors import NotAllowed
from tests.fixtures.demand import consensus, versions

pytestmark = pytest.mark.django_db


def cell_edit(cycle, filters, value, month=None):
    month = month or cycle.month
    return {
        "filters": filters,
        "first_month": month,
        "last_month": month,
        "mode": "set",
        "value": Decimal(value),
        "reason_code": "promotion",
        "comment": "Pasted",
        "expected_versions": versions(cycle, filters, [month]),
    }


def plan_figures(cycle):
    rows = PlanValue.objects.filter(cycle=cycle, valid_to_seq=None)
    return sorted(rows.values_list("pk", "value"))


def test_a_batch_applies_every_edit(demand_cycle, planners, company):
    own = company.territories[0]
    first, second = ({"family": f.pk, "territory": own.pk} for f in company.families[:2])
    edits = [cell_edit(demand_cycle, first, 100), cell_edit(demand_cycle, second, 200)]
    overrides = overrides_apply(actor=planners[0], cycle_id=demand_cycle.pk, edits=edits)
    assert len(overrides) == 2
    month = {"month": demand_cycle.month, "territory": own}
    assert consensus(demand_cycle, product__family=company.families[0], **month) == 100
    assert consensus(demand_cycle, product__family=company.families[1], **month) == 200


def test_a_batch_reaching_another_territory_changes_nothing(demand_cycle, planners, company):
    own, other = company.territories[0], company.territories[1]
    family = company.families[0].pk
    before = plan_figures(demand_cycle)
    edits = [
        cell_edit(demand_cycle, {"family": family, "territory": own.pk}, 100),
        cell_edit(demand_cycle, {"family": family, "territory": other.pk}, 200),
    ]
    with pytest.raises(NotAllowed):
        overrides_apply(actor=planners[0], cycle_id=demand_cycle.pk, edits=edits)
    assert plan_figures(demand_cycle) == before
    assert not Override.objects.exists()


def json_edit(cycle, filters, value):
    return {
        **filters,
        "first_month": f"{cycle.month:%Y-%m-%d}",
        "last_month": f"{cycle.month:%Y-%m-%d}",
        "mode": "set",
        "value": str(value),
        "reason_code": "promotion",
        "expected_versions": versions(cycle, filters, [cycle.month]),
    }


def test_the_api_refuses_a_stale_batch_whole_with_409(demand_cycle, planners, company):
    own = company.territories[0]
    first, second = ({"family": f.pk, "territory": own.pk} for f in company.families[:2])
    stale = json_edit(demand_cycle, second, 200)
    stale["expected_versions"] = {k: v - 1 for k, v in stale["expected_versions"].items()}
    client = APIClient()
    client.force_authenticate(planners[0])
    before = plan_figures(demand_cycle)
    response = client.post(
        f"/api/demand/cycles/{demand_cycle.pk}/overrides/batch/",
        {"edits": [json_edit(demand_cycle, first, 100), stale]},
        format="json",
    )
    assert response.status_code == 409
    assert plan_figures(demand_cycle) == before

    response = client.post(
        f"/api/demand/cycles/{demand_cycle.pk}/overrides/batch/",
        {"edits": [json_edit(demand_cycle, first, 100), json_edit(demand_cycle, second, 200)]},
        format="json",
    )
    assert response.status_code == 201
    assert [o["reason"] for o in response.json()] == ["promotion", "promotion"]


def test_an_empty_batch_is_refused(demand_cycle, planners):
    client = APIClient()
    client.force_authenticate(planners[0])
    response = client.post(
        f"/api/demand/cycles/{demand_cycle.pk}/overrides/batch/", {"edits": []}, format="json"
    )
    assert response.status_code == 400
