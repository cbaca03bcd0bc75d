"""Wrong passwords lock an account for a while; API tokens are digests that expire and end."""

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import services
from accounts.roles import Role
from audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _log_in(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _token_call(username: str, password: str):
    return APIClient().post("/api/token/", {"username": username, "password": password})


def _fail_sign_ins(username: str, times: int = 5) -> list[int]:
    return [_token_call(username, "wrong").status_code for _ in range(times)]


def test_five_wrong_passwords_on_the_form_lock_out_the_right_one(client, users_by_role):
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    answers = [_log_in(client, analyst.username, "wrong").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    response = _log_in(client, analyst.username, PASSWORD)
    assert response.status_code == 429
    assert "locked after 5 failed sign-ins" in response.content.decode()
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_wrong_passwords_on_the_token_api_lock_the_login_form_too(client, users_by_role):
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    assert _fail_sign_ins(analyst.username) == [400, 400, 400, 400, 429]
    refused = _token_call(analyst.username, PASSWORD)
    assert refused.status_code == 429 and "Try again in 15 minutes" in refused.json()["detail"]
    assert _log_in(client, analyst.username, PASSWORD).status_code == 429


def test_a_lockout_is_recorded_with_the_username(users_by_role):
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    _fail_sign_ins(analyst.username)
    event = AuditEvent.objects.get(action="user.locked_out")
    assert event.after["username"] == analyst.username and event.object_id == str(analyst.pk)


def test_the_administrator_lifts_a_lock_from_the_users_page(client, users_by_role):
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    _fail_sign_ins(analyst.username)
    client.force_login(users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR])
    assert "locked after failed sign-ins" in client.get("/accounts/users/").content.decode()
    client.post(f"/accounts/users/{analyst.pk}/unlock/")
    assert "locked after failed sign-ins" not in client.get("/accounts/users/").content.decode()
    assert AuditEvent.objects.filter(action="user.unlock", object_id=str(analyst.pk)).exists()
    assert _token_call(analyst.username, PASSWORD).status_code == 200


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.TECHNICAL_OPERATIONS_ADVISOR])
def test_only_the_administrator_may_lift_a_lock(client, users_by_role, user_with_role, role):
    analyst = user_with_role(Role.SALES_OPS_ANALYST, username="locked-analyst")
    _fail_sign_ins(analyst.username)
    client.force_login(users_by_role[role])
    assert client.post(f"/accounts/users/{analyst.pk}/unlock/").status_code == 403
    assert _token_call(analyst.username, PASSWORD).status_code == 429


def test_the_token_api_is_throttled_across_usernames(users_by_role):
    answers = [_token_call(f"nobody-{n}", "wrong").status_code for n in range(11)]
    assert answers[:10] == [400] * 10 and answers[10] == 429


def test_each_sign_in_gets_its_own_token_and_only_a_digest_is_stored(users_by_role):
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    first = _token_call(analyst.username, PASSWORD).json()
    second = _token_call(analyst.username, PASSWORD).json()
    assert first["token"] != second["token"]
    stored = list(AuthToken.objects.filter(user=analyst).values_list("digest", flat=True))
    assert len(stored) == 2 and first["token"] not in stored and second["token"] not in stored


def _api(token: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_stops_working_when_it_expires(users_by_role):
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    answer = _token_call(analyst.username, PASSWORD).json()
    assert _api(answer["token"]).get("/api/me/").status_code == 200
    AuthToken.objects.filter(user=analyst).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _api(answer["token"]).get("/api/me/").status_code == 401


def test_a_revoked_token_is_refused_and_the_others_keep_working(users_by_role):
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    kept = _token_call(analyst.username, PASSWORD).json()["token"]
    ended = _token_call(analyst.username, PASSWORD).json()["token"]
    assert _api(ended).post("/api/token/revoke/").status_code == 204
    assert _api(ended).get("/api/me/").status_code == 401
    assert _api(kept).get("/api/me/").status_code == 200
    assert _api(kept).post("/api/token/revoke-all/").status_code == 204
    assert _api(kept).get("/api/me/").status_code == 401


def test_a_new_password_ends_every_token(users_by_role):
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    token = _token_call(analyst.username, PASSWORD).json()["token"]
    services.user_save(
        actor=users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR],
        user=analyst,
        roles=[Role.SALES_OPS_ANALYST],
        password="a-brand-new-pass-phrase",
    )
    assert _api(token).get("/api/me/").status_code == 401
