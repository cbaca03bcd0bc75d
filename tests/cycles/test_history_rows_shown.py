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
