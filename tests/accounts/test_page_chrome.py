"""What every page carries: an icon and a tab title naming the page."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db
BARE_TITLE = "<title>S&amp;OP Planner</title>"


def test_the_favicon_is_linked_and_served(client, users_by_role):
    client.force_login(users_by_role[Role.EXECUTIVE])
    page = client.get(reverse("home")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert icon and icon.group(1).endswith("favicon.svg")
    assert finders.find("img/favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == icon.group(1)


@pytest.mark.parametrize(
    ("url_name", "words"),
    [
        ("home", "Home"),
        ("forecasting:actuals", "Sales history"),
        ("territories:list", "Territories"),
        ("products:list", "Products"),
        ("collaboration:notifications", "Notifications"),
        ("users", "Users"),
        ("user-new", "User (new)"),
        ("territories:new", "Territory (new)"),
    ],
)
def test_each_page_names_itself_in_the_browser_tab(client, users_by_role, url_name, words):
    client.force_login(users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR])
    page = client.get(reverse(url_name)).content.decode()
    assert BARE_TITLE not in page
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert words.lower() in title.lower() and title.endswith("S&amp;OP Planner")
