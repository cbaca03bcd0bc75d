"""Each role lands on a home page with its next steps and a menu of what it may use."""

import pytest

from accounts.roles import Role
from home.navigation import MENU, NEXT_STEPS

pytestmark = pytest.mark.django_db
ROLES = pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
ADMIN_ROLES = {
    Role.SALES_OPS_MANAGER,
    Role.SALES_OPS_ANALYST,
    Role.SALES_PLANNING_SPECIALIST,
    Role.TECHNICAL_OPERATIONS_ADVISOR,
}


@ROLES
def test_home_shows_the_roles_next_steps(client, users_by_role, role):
    client.force_login(users_by_role[role])
    page = client.get("/").content.decode()
    assert role.value in page
    for step in NEXT_STEPS[role]:
        assert step.title.replace("'", "&#x27;") in page


@ROLES
def test_menu_holds_only_what_the_role_may_use(client, users_by_role, role):
    client.force_login(users_by_role[role])
    menu = {item["label"] for item in client.get("/").context["menu"]}
    assert ("Admin" in menu) is (role in ADMIN_ROLES)
    assert ("Users" in menu) is (role is Role.TECHNICAL_OPERATIONS_ADVISOR)
    assert {"Home", "Territories", "Products", "Calendar", "Sales history"} <= menu
    assert menu <= {item.label for item in MENU}


@ROLES
def test_admin_site_opens_only_for_admin_roles(client, users_by_role, role):
    client.force_login(users_by_role[role])
    response = client.get("/admin/")
    assert (response.status_code == 200) is (role in ADMIN_ROLES)


def test_only_the_administrator_opens_the_users_page(client, users_by_role):
    client.force_login(users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR])
    assert client.get("/accounts/users/").status_code == 200
    client.force_login(users_by_role[Role.SALES_OPS_MANAGER])
    assert client.get("/accounts/users/").status_code == 403


def test_the_api_schema_and_docs_are_served(client, users_by_role):
    client.force_login(users_by_role[Role.SALES_OPS_ANALYST])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/products/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_a_refused_page_says_why_instead_of_failing(client, users_by_role):
    client.force_login(users_by_role[Role.DEMAND_PLANNER])
    response = client.get("/accounts/users/")
    assert response.status_code == 403
    assert "may not manage users; Technical Operations Advisor may." in response.content.decode()


def test_the_bar_groups_the_menu_in_the_order_of_the_months_work(client, users_by_role):
    client.force_login(users_by_role[Role.SALES_OPS_MANAGER])
    response = client.get("/")
    sections = response.context["menu_sections"]
    page = response.content.decode()
    assert "<summary>Plan</summary>" in page and '<a href="/cycles/">Cycle</a>' in page
    assert "<summary>Home</summary>" not in page and '<li><a href="/">Home</a></li>' in page
    assert [section["label"] for section in sections] == [
        "Home", "Plan", "Data", "Review", "Master data", "Settings", "Notifications", "API",
    ]  # fmt: skip
    plan = next(section for section in sections if section["label"] == "Plan")
    assert [item["label"] for item in plan["children"]] == [
        "Cycle", "Demand plan", "Supply", "Reconciliation", "Quotas",
    ]  # fmt: skip


def test_a_group_the_role_has_no_entry_in_is_not_on_the_bar(client, users_by_role):
    client.force_login(users_by_role[Role.DEMAND_PLANNER])
    labels = [section["label"] for section in client.get("/").context["menu_sections"]]
    assert "Settings" not in labels and "Plan" in labels


@pytest.mark.parametrize("role", sorted(ADMIN_ROLES), ids=lambda r: r.name)
def test_admin_roles_find_something_to_use_in_the_admin(client, users_by_role, role):
    client.force_login(users_by_role[role])
    page = client.get("/admin/").content.decode()
    assert "have permission to view or edit anything" not in page
    assert client.get("/admin/").context["app_list"]


def test_admin_entry_is_hidden_when_the_admin_would_show_nothing(client, users_by_role):
    from django.contrib.auth.models import Group

    manager = users_by_role[Role.SALES_OPS_MANAGER]
    Group.objects.get(name=Role.SALES_OPS_MANAGER.value).permissions.clear()
    client.force_login(manager)
    menu = {item["label"] for item in client.get("/").context["menu"]}
    assert "Admin" not in menu
    assert "Cycle" in menu
