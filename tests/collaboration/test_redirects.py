"""After an action the app sends the user back only to a page of its own site."""

import pytest

from collaboration import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(cycle, manager):
    return services.action_item_add(actor=manager, cycle_id=cycle.pk, title="Call", owner=manager)


def test_marking_an_item_done_never_redirects_to_another_site(client, manager, item):
    client.force_login(manager)
    response = client.post(
        f"/collaboration/action-items/{item.pk}/done/", {"next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/cycles/"


def test_marking_an_item_done_returns_to_the_page_of_this_site_it_came_from(
    client, manager, item, cycle
):
    client.force_login(manager)
    back = f"/cycles/?cycle={cycle.pk}"
    response = client.post(f"/collaboration/action-items/{item.pk}/done/", {"next": back})
    assert response["Location"] == back
