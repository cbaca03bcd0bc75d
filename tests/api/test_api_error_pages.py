"""An API client reads JSON whatever went wrong; a browser still gets the friendly page."""

import pytest

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_an_unknown_api_address_answers_json_404(client, user_with_role):
    client.force_login(user_with_role(Role.SALES_OPS_MANAGER))
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/no-such-thing/" in response.json()["detail"]


def test_an_unknown_page_still_answers_the_html_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
