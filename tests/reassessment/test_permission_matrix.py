"""Every role x view / recompute, through the service, the pages and the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from reassessment.models import ScoreRun
from reassessment.services import scores_recompute
from sop_planner.errors import NotAllowed

# The business's statement, independent of accounts.roles.
RECOMPUTE = {Role.SALES_OPS_MANAGER, Role.SALES_OPS_ANALYST, Role.SALES_EFFECTIVENESS_MANAGER}
PAGES = ["reassessment:accuracy", "reassessment:fva", "reassessment:decisions"]
pytestmark = pytest.mark.usefixtures("eager_celery")
API = ["/api/reassessment/accuracy/", "/api/reassessment/fva/", "/api/reassessment/decisions/"]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_pages_and_the_api(client, users_by_role, role):
    user = users_by_role[role]
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    assert [client.get(reverse(name)).status_code for name in PAGES] == [200] * 3
    assert [api.get(url).status_code for url in API] == [200] * 3


def test_anonymous_users_read_nothing(client):
    assert client.get(reverse("reassessment:accuracy")).status_code == 302
    assert APIClient().get(API[0]).status_code in (401, 403)


@pytest.mark.parametrize("role", list(Role))
def test_only_process_owners_recompute_by_service(users_by_role, role):
    if role in RECOMPUTE:
        assert scores_recompute(actor=users_by_role[role]).requested_by == users_by_role[role]
    else:
        with pytest.raises(NotAllowed):
            scores_recompute(actor=users_by_role[role])
        assert not ScoreRun.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_only_process_owners_recompute_from_the_page_and_the_api(
    client, users_by_role, role, django_capture_on_commit_callbacks
):
    user = users_by_role[role]
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("reassessment:recompute"))
        response = api.post("/api/reassessment/recompute/")
    if role in RECOMPUTE:
        assert (page.status_code, response.status_code) == (302, 202)
        assert ScoreRun.objects.filter(requested_by=user).count() == 2
    else:
        assert (page.status_code, response.status_code) == (403, 403)
        assert not ScoreRun.objects.exists()
