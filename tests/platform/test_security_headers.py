"""What every answer tells the browser, and what anonymous callers and errors get to see."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def test_pages_forbid_inline_and_foreign_scripts(client, users_by_role):
    client.force_login(users_by_role[Role.SALES_OPS_MANAGER])
    policy = _directives(client.get("/")["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"] + policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]


def test_pages_switch_off_browser_features_the_app_never_uses(client):
    policy = client.get("/accounts/login/")["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy


def test_the_api_schema_and_its_docs_need_a_signed_in_user(client, users_by_role):
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/").status_code in (401, 403)
    client.force_login(users_by_role[Role.SALES_PLANNING_SPECIALIST])
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_an_unknown_address_gets_a_page_in_words_without_debug_details(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no page at this address" in page and "Traceback" not in page
    assert "URLconf" not in page


def test_a_server_error_page_says_what_to_do_and_shows_no_internals():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in page and "tell your administrator" in page
    assert "Traceback" not in page


def test_no_api_list_answers_more_than_a_thousand_rows(users_by_role, company):
    from datetime import date

    from rest_framework.test import APIClient

    from forecasting.models import SalesActual

    SalesActual.objects.bulk_create(
        SalesActual(
            product=product, territory=territory, period=date(2020 + y, m, 1), units=1, revenue=1
        )
        for product in company.products
        for territory in company.territories
        for y in range(4)
        for m in range(1, 13)
    )
    api = APIClient()
    api.force_authenticate(users_by_role[Role.SALES_OPS_ANALYST])
    answer = api.get("/api/actuals/", {"limit": 100000}).json()
    assert SalesActual.objects.count() > 1000
    assert len(answer["results"]) == 1000
    assert answer["next"] is not None
