"""The administrator manages users, roles and planned territories; every change is audited."""

import pytest
from django.contrib.auth import get_user_model

from accounts import services
from accounts.permissions import can, user_roles
from accounts.roles import Role
from audit.models import AuditEvent
from sop_planner.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_admin_creates_a_planner_for_two_territories(users_by_role, company):
    admin = users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR]
    user = services.user_save(
        actor=admin,
        user=User(username="new.planner"),
        roles=[Role.DEMAND_PLANNER],
        territories=company.territories[:2],
        password="a-long-pass-phrase",
    )
    assert user_roles(user) == {Role.DEMAND_PLANNER}
    assert can(user, "actuals.upload", territory_id=company.territories[1].pk)
    assert not can(user, "actuals.upload", territory_id=company.territories[2].pk)
    event = AuditEvent.objects.get(action="user.save")
    assert event.before is None and event.after["roles"] == ["Demand Planner"]
    assert event.after["territories"] == sorted(t.code for t in company.territories[:2])


def test_changing_a_role_is_recorded_before_and_after(users_by_role):
    admin = users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR]
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    services.user_save(actor=admin, user=analyst, roles=[Role.FINANCE])
    event = AuditEvent.objects.get(action="user.save")
    assert event.before["roles"] == ["Sales Ops Analyst"] and event.after["roles"] == ["Finance"]
    assert not User.objects.get(pk=analyst.pk).is_staff


@pytest.mark.parametrize(
    "role", [r for r in Role if r is not Role.TECHNICAL_OPERATIONS_ADVISOR], ids=lambda r: r.name
)
def test_nobody_else_manages_users(users_by_role, role):
    target = users_by_role[Role.FINANCE if role is not Role.FINANCE else Role.EXECUTIVE]
    with pytest.raises(NotAllowed):
        services.user_save(actor=users_by_role[role], user=target, roles=[Role.SALES_OPS_MANAGER])
    assert Role.SALES_OPS_MANAGER not in user_roles(User.objects.get(pk=target.pk))


def test_the_administrator_cannot_lock_themselves_out(users_by_role):
    admin = users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR]
    with pytest.raises(DomainError, match="your own administrator access"):
        services.user_save(actor=admin, user=admin, roles=[Role.FINANCE])
    assert user_roles(User.objects.get(pk=admin.pk)) == {Role.TECHNICAL_OPERATIONS_ADVISOR}


def test_users_page_form_creates_a_user_who_can_log_in(client, users_by_role, company):
    client.force_login(users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR])
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "finn2",
            "first_name": "Finn",
            "last_name": "Two",
            "email": "f2@example.com",
            "is_active": "on",
            "roles": ["Finance"],
            "password": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    client.post("/accounts/login/", {"username": "finn2", "password": "a-long-pass-phrase"})
    assert "finn2" in client.get("/").content.decode()


def test_territories_for_a_non_planner_are_refused_on_the_form(client, users_by_role, company):
    client.force_login(users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR])
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "fin3",
            "is_active": "on",
            "roles": ["Finance"],
            "territories": [company.territories[0].pk],
        },
    )
    assert "Only a Demand Planner plans territories." in response.content.decode()
    assert not User.objects.filter(username="fin3").exists()


def test_a_weak_password_is_refused_with_the_reason(client, users_by_role):
    client.force_login(users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR])
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "weak",
            "is_active": "on",
            "roles": ["Finance"],
            "password": "123",
        },
    )
    assert "too short" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()
