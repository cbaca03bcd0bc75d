"""Whose uploads each role sees and handles, through the pages and the API.

The rule (accounts.roles, "uploads.others"): everybody sees and handles the
uploads they made; company-wide roles of a kind also those of others.
Planners used to see every region's files and rejected rows, and planner-east
reverted the analyst's upload.
"""

import io

import pytest

from accounts.roles import Role
from forecasting.models import SalesActual
from sop_planner.errors import NotAllowed
from tests.fixtures.uploads import LAST, actuals_csv, committed, work_off
from uploads.models import UploadBatch

pytestmark = pytest.mark.django_db

# Roles that see and handle the analyst's actuals upload: the analyst, and the manager.
HANDLE_OTHERS_ACTUALS = {Role.SALES_OPS_ANALYST, Role.SALES_OPS_MANAGER}


@pytest.fixture
def analysts_batch(company, users_by_role, upload) -> UploadBatch:
    """The analyst's committed upload, with one row of the planner's own territory."""
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    batch = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 5)]))
    return committed(actor=analyst, batch_id=batch.pk)


def sees_in_lists(client, batch) -> tuple[bool, bool]:
    """Is the batch in the API's history, and on the upload page's history?"""
    api = client.get("/api/imports/")
    listed = api.status_code == 200 and batch.pk in [row["id"] for row in api.json()["results"]]
    page = client.get("/uploads/")
    return listed, page.status_code == 200 and f"/uploads/{batch.pk}/" in page.content.decode()


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_who_sees_the_analysts_upload_its_rows_and_its_rejections(
    client, users_by_role, analysts_batch, role
):
    client.force_login(users_by_role[role])
    allowed = role in HANDLE_OTHERS_ACTUALS
    assert sees_in_lists(client, analysts_batch) == (allowed, allowed)
    pages = [f"/uploads/{analysts_batch.pk}/", f"/uploads/{analysts_batch.pk}/rejected.csv"]
    assert [client.get(page).status_code for page in pages] == [200 if allowed else 403] * 2
    detail = client.get(f"/api/imports/{analysts_batch.pk}/")
    assert detail.status_code == (200 if allowed else 403 if role_has_no_uploads(role) else 404)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_who_may_revert_the_analysts_upload_through_the_api(
    client, users_by_role, analysts_batch, role
):
    client.force_login(users_by_role[role])
    answer = client.post(f"/api/imports/{analysts_batch.pk}/revert", {}, "application/json")
    work_off()
    analysts_batch.refresh_from_db()
    if role in HANDLE_OTHERS_ACTUALS:
        assert answer.status_code == 200 and answer.json()["status"] == "revert_queued"
        assert analysts_batch.status == "reverted" and not SalesActual.objects.exists()
    else:
        assert answer.status_code in (403, 404)
        assert analysts_batch.status == "committed" and SalesActual.objects.count() == 1


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_who_may_revert_the_analysts_upload_on_the_page(
    client, users_by_role, analysts_batch, role
):
    client.force_login(users_by_role[role])
    answer = client.post(f"/uploads/{analysts_batch.pk}/revert/", {"reason": "wrong file"})
    work_off()
    analysts_batch.refresh_from_db()
    if role in HANDLE_OTHERS_ACTUALS:
        assert answer.status_code == 302 and analysts_batch.status == "reverted"
    else:
        assert answer.status_code == 403
        assert analysts_batch.status == "committed" and SalesActual.objects.count() == 1


def test_a_planner_sees_commits_and_reverts_their_own_upload(client, users_by_role, company):
    planner = users_by_role[Role.DEMAND_PLANNER]
    client.force_login(planner)
    created = client.post(
        "/api/imports/", {"file": _file(actuals_csv(company, [(LAST, 0, 0, 7)]))}
    )
    batch = UploadBatch.objects.get(pk=created.json()["id"])
    assert sees_in_lists(client, batch) == (True, True)
    work_off()
    assert (
        client.post(f"/api/imports/{batch.pk}/commit", {}, "application/json").status_code == 200
    )
    work_off()
    assert (
        client.post(f"/api/imports/{batch.pk}/revert", {}, "application/json").status_code == 200
    )
    work_off()
    assert not SalesActual.objects.exists()


def test_one_planner_does_not_see_or_commit_another_planners_upload(
    client, user_with_role, company, upload
):
    east = user_with_role(Role.DEMAND_PLANNER, territories=[company.territories[0]])
    west = user_with_role(Role.DEMAND_PLANNER, territories=[company.territories[0]])
    batch = upload(east, actuals_csv(company, [(LAST, 0, 0, 7)]))
    client.force_login(west)
    assert sees_in_lists(client, batch) == (False, False)
    assert (
        client.post(f"/api/imports/{batch.pk}/commit", {}, "application/json").status_code == 404
    )
    assert client.post(f"/uploads/{batch.pk}/commit/").status_code == 403
    batch.refresh_from_db()
    assert batch.status == "previewed" and not SalesActual.objects.exists()


def test_the_service_refuses_in_words_whose_upload_it_is(users_by_role, company, upload):
    analyst, planner = users_by_role[Role.SALES_OPS_ANALYST], users_by_role[Role.DEMAND_PLANNER]
    batch = upload(analyst, actuals_csv(company, [(LAST, 0, 0, 5)]))
    with pytest.raises(NotAllowed, match=f"was uploaded by {analyst}; your role may commit only"):
        committed(actor=planner, batch_id=batch.pk)


def role_has_no_uploads(role: Role) -> bool:
    # the supply planner uploads supply inputs, so has uploads of a kind
    return role in (Role.EXECUTIVE, Role.SALES_EFFECTIVENESS_MANAGER)


def _file(content: bytes):
    handle = io.BytesIO(content)
    handle.name = "actuals.csv"
    return handle
