"""Every role against every master-data action, through the UI and the API.

An allowed role changes the data; a denied role gets 403 and nothing changes.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from cycles.models import CalendarMonth
from products.models import Product
from territories.models import Territory, TerritoryAssignment
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ALLOWED = {
    "territories.edit": {Role.SALES_OPS_MANAGER, Role.TECHNICAL_OPERATIONS_ADVISOR},
    "products.edit": {Role.SALES_OPS_ANALYST, Role.TECHNICAL_OPERATIONS_ADVISOR},
    "prices.edit": {Role.SALES_PLANNING_SPECIALIST, Role.TECHNICAL_OPERATIONS_ADVISOR},
    "calendar.edit": {Role.SALES_PLANNING_SPECIALIST, Role.TECHNICAL_OPERATIONS_ADVISOR},
    "assignments.edit": {Role.SALES_OPS_MANAGER, Role.TECHNICAL_OPERATIONS_ADVISOR},
}


@dataclass
class Subject:
    territory: Territory
    product: Product
    month: CalendarMonth


@pytest.fixture
def subject(company):
    from datetime import date

    return Subject(
        company.territories[1],
        company.products[0],
        CalendarMonth.objects.create(month=date(2026, 12, 1)),
    )


def product_form(product: Product, **changes) -> dict:
    data = {
        "sku": product.sku,
        "name": product.name,
        "family": product.family_id,
        "unit_price": product.unit_price,
        "unit_cost": product.unit_cost,
        "launch_month": "",
        "discontinued_month": "",
        "is_active": "on",
    }
    return {**data, **changes}


UI_REQUESTS = {
    "territories.edit": lambda s: (
        f"/territories/{s.territory.pk}/",
        {
            "code": s.territory.code,
            "name": "Renamed",
            "region": s.territory.region_id,
            "is_active": "on",
        },
    ),
    "products.edit": lambda s: (
        f"/products/{s.product.pk}/",
        product_form(s.product, name="Renamed"),
    ),
    "prices.edit": lambda s: (
        f"/products/{s.product.pk}/",
        product_form(s.product, unit_price="99.00"),
    ),
    "calendar.edit": lambda s: (
        f"/cycles/calendar/{s.month.pk}/",
        {"month": "2026-12-01", "holidays": "", "note": "Renamed"},
    ),
}
API_REQUESTS = {
    "territories.edit": lambda s: (f"/api/territories/{s.territory.pk}/", {"name": "Renamed"}),
    "products.edit": lambda s: (f"/api/products/{s.product.pk}/", {"name": "Renamed"}),
    "prices.edit": lambda s: (f"/api/products/{s.product.pk}/", {"unit_price": "99.00"}),
    "calendar.edit": lambda s: (f"/api/calendar/{s.month.pk}/", {"note": "Renamed"}),
}
CHANGED = {
    "territories.edit": lambda s: Territory.objects.get(pk=s.territory.pk).name == "Renamed",
    "products.edit": lambda s: Product.objects.get(pk=s.product.pk).name == "Renamed",
    "prices.edit": lambda s: Product.objects.get(pk=s.product.pk).unit_price == Decimal("99.00"),
    "calendar.edit": lambda s: CalendarMonth.objects.get(pk=s.month.pk).note == "Renamed",
}
ROLES = pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)


@ROLES
@pytest.mark.parametrize("action", sorted(UI_REQUESTS))
def test_ui_edit_matrix(client, users_by_role, subject, role, action):
    client.force_login(users_by_role[role])
    url, data = UI_REQUESTS[action](subject)
    response = client.post(url, data)
    allowed = role in ALLOWED[action]
    assert CHANGED[action](subject) is allowed
    if allowed:
        assert response.status_code == 302
    else:
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            assert "Your role does not allow changing: " in response.content.decode()


@ROLES
@pytest.mark.parametrize("action", sorted(API_REQUESTS))
def test_api_edit_matrix(users_by_role, subject, role, action):
    api = APIClient()
    api.force_authenticate(users_by_role[role])
    url, data = API_REQUESTS[action](subject)
    response = api.patch(url, data, format="json")
    allowed = role in ALLOWED[action]
    assert response.status_code == (200 if allowed else 403), response.content
    assert CHANGED[action](subject) is allowed


@ROLES
def test_ui_planner_assignment_matrix(client, users_by_role, user_with_role, subject, role):
    planner = user_with_role(Role.DEMAND_PLANNER)
    client.force_login(users_by_role[role])
    client.post(f"/territories/{subject.territory.pk}/planners/", {"user": planner.pk})
    assigned = TerritoryAssignment.objects.filter(
        territory=subject.territory, user=planner
    ).exists()
    assert assigned is (role in ALLOWED["assignments.edit"])


@ROLES
@pytest.mark.parametrize(
    "url", ["/territories/", "/products/", "/cycles/calendar/", "/forecasting/actuals/"]
)
def test_every_role_reads_the_whole_company(client, users_by_role, company, role, url):
    client.force_login(users_by_role[role])
    assert client.get(url).status_code == 200


@ROLES
@pytest.mark.parametrize(
    "url", ["/api/territories/", "/api/products/", "/api/calendar/", "/api/actuals/"]
)
def test_every_role_reads_master_data_through_the_api(users_by_role, company, role, url):
    api = APIClient()
    api.force_authenticate(users_by_role[role])
    assert api.get(url).status_code == 200


def test_anonymous_users_are_sent_to_log_in_and_refused_by_the_api(client, company):
    assert client.get("/products/")["Location"].startswith("/accounts/login/")
    assert APIClient().get("/api/products/").status_code in (401, 403)


def test_token_authentication_reaches_the_api(users_by_role, company):
    user = users_by_role[Role.SALES_OPS_ANALYST]
    token = APIClient().post("/api/token/", {"username": user.username, "password": PASSWORD})
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    me = api.get("/api/me/").json()
    assert me["roles"] == ["Sales Ops Analyst"] and "products.edit" in me["actions"]
