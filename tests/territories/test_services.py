import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from sop_planner.errors import NotAllowed
from territories import services
from territories.models import Territory, TerritoryAssignment

pytestmark = pytest.mark.django_db


def test_manager_renames_a_territory_and_the_change_is_audited(users_by_role, company):
    territory = company.territories[0]
    old_name = territory.name
    territory.name = "North-East"
    services.territory_save(
        actor=users_by_role[Role.SALES_OPS_MANAGER], territory=territory, reason="reorg"
    )
    event = AuditEvent.objects.get(action="territory.save")
    assert event.before["name"] == old_name and event.after["name"] == "North-East"
    assert event.reason == "reorg" and event.territory_id == territory.pk


def test_planner_cannot_rename_a_territory_and_nothing_changes(users_by_role, company):
    territory = company.territories[0]
    old_name = territory.name
    territory.name = "Mine now"
    with pytest.raises(
        NotAllowed,
        match=r"may not change territories and regions; Sales Ops Manager, Technical Operations Advisor may",
    ):
        services.territory_save(actor=users_by_role[Role.DEMAND_PLANNER], territory=territory)
    assert Territory.objects.get(pk=territory.pk).name == old_name
    assert not AuditEvent.objects.exists()


def test_saving_without_a_change_records_nothing(users_by_role, company):
    services.territory_save(
        actor=users_by_role[Role.SALES_OPS_MANAGER], territory=company.territories[1]
    )
    assert not AuditEvent.objects.exists()


def test_assigning_a_planner_twice_keeps_one_assignment(users_by_role, user_with_role, company):
    admin = users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR]
    planner = user_with_role(Role.DEMAND_PLANNER)
    territory = company.territories[2]
    services.planner_assign(actor=admin, territory=territory, user=planner)
    services.planner_assign(actor=admin, territory=territory, user=planner)
    assert TerritoryAssignment.objects.filter(territory=territory, user=planner).count() == 1
    assert AuditEvent.objects.filter(action="territory.planner_assign").count() == 1


def test_unassigning_removes_the_planners_scope(users_by_role, user_with_role, company):
    from accounts.permissions import can

    admin = users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR]
    territory = company.territories[2]
    planner = user_with_role(Role.DEMAND_PLANNER, territories=[territory])
    services.planner_unassign(actor=admin, territory=territory, user=planner)
    planner.__dict__.pop("_sop_territories", None)
    assert not can(planner, "actuals.upload", territory_id=territory.pk)


def test_a_duplicate_territory_code_is_refused_by_name(users_by_role, company):
    from django.core.exceptions import ValidationError

    clash = Territory(code=company.territories[0].code, name="Other", region=company.regions[0])
    with pytest.raises(ValidationError, match="Territory with this Code already exists"):
        services.territory_save(actor=users_by_role[Role.SALES_OPS_MANAGER], territory=clash)
    assert Territory.objects.count() == 4
