"""An override's level and its History entry keep the whole names, never cut short."""

import pytest

from audit.models import AuditEvent
from demand.models import Override
from demand.scope import Scope
from demand.services import leaf_cells, override_apply, versions_by_month

pytestmark = pytest.mark.django_db


def test_an_override_on_long_names_is_described_and_recorded_whole(
    demand_cycle, planners, company
):
    family, territory = company.families[0], company.territories[0]
    family.name, territory.name = "F" * 100, "T" * 100
    family.save(update_fields=["name"])
    territory.save(update_fields=["name"])
    filters = {"family": family.pk, "territory": territory.pk}
    scope, months = Scope.from_filters(filters), [demand_cycle.month]
    override = override_apply(
        actor=planners[0],
        cycle_id=demand_cycle.pk,
        filters=filters,
        first_month=months[0],
        last_month=months[-1],
        mode="set",
        value=600,
        reason_code="promotion",
        expected_versions=versions_by_month(
            leaf_cells(demand_cycle, scope, scope.territory_ids(), months)
        ),
    )
    label = f"{family.name} in {territory.name}"
    assert Override.objects.get(pk=override.pk).scope_label == label
    recorded = AuditEvent.objects.get(object_type="demand.Override", object_id=str(override.pk))
    assert recorded.object_repr.endswith(f"on {label}")
    assert len(recorded.object_repr) > 200
