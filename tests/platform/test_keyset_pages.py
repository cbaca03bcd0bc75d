"""The audit trail is paged by key, newest first: walking every page by `next` reads each
event exactly once, in order, even while events are added (uploads: tests/uploads)."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import audit_record_many

pytestmark = pytest.mark.django_db


def _record(actor, count: int, *, action: str) -> None:
    audit_record_many(
        [AuditEvent(actor=actor, action=action, object_type="test", object_repr=f"{action} {n}")
         for n in range(count)]
    )  # fmt: skip


def _walk(api, url: str, *, between=None) -> list[int]:
    seen = []
    while url:
        page = api.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
        assert url is None or "after=" in url
        if between:
            between()
            between = None
    return seen


def test_the_audit_trail_pages_by_key_each_event_once_newest_first(user_with_role):
    manager = user_with_role(Role.SALES_OPS_MANAGER)
    _record(manager, 23, action="test.before")
    before = list(AuditEvent.objects.order_by("-created_at", "-id").values_list("id", flat=True))
    api = APIClient()
    api.force_authenticate(manager)

    seen = _walk(
        api, "/api/audit/?limit=4", between=lambda: _record(manager, 5, action="test.new")
    )

    assert seen == before  # the new events are newer than the first page: not in later pages
    assert AuditEvent.objects.filter(action="test.new").count() == 5
    assert _walk(api, "/api/audit/?limit=1000")[:5] == list(
        AuditEvent.objects.filter(action="test.new")
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
    )
