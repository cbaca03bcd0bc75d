"""The History page lists the newest 300 events and says how many more the filters match."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_history_says_how_many_events_it_does_not_list(client, manager, cycle):
    AuditEvent.objects.bulk_create(
        AuditEvent(action="demo.history", object_repr=f"event {n}") for n in range(310)
    )
    client.force_login(manager)
    total = AuditEvent.objects.count()
    page = client.get(reverse("cycles:history")).content.decode()
    assert f"The newest 300 of {total:,} events are shown" in page


def test_the_history_says_nothing_more_when_it_lists_every_event(client, manager, cycle):
    client.force_login(manager)
    page = client.get(reverse("cycles:history")).content.decode()
    assert 'id="more-events"' not in page


def test_the_older_link_pages_back_to_the_first_event(client, manager, cycle):
    """Following 'Older events' lists every event once, newest first, down to the first."""
    import re

    AuditEvent.objects.bulk_create(
        AuditEvent(action="demo.history", object_repr=f"event {n}") for n in range(650)
    )
    client.force_login(manager)
    url, seen, pages = reverse("cycles:history"), [], 0
    while url:
        page = client.get(url).content.decode()
        seen += re.findall(r"<td>(event \d+)</td>", page)
        older = re.search(r'href="\?([^"]+)" id="history-older"', page)
        url = (
            f"{reverse('cycles:history')}?{older.group(1).replace('&amp;', '&')}" if older else ""
        )
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 650
    assert seen[-1] == "event 0" and seen[0] == "event 649"
    assert 'id="history-newest"' in page
