"""API tokens, the caller's profile and log-in throttling."""

from __future__ import annotations

import hashlib

from haofuwu.accounts.models import ApiToken, LoginThrottle
from haofuwu.accounts.services import api_token_create

PASSWORD = "correct horse battery"


def _token(client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def test_token_is_returned_once_and_stored_only_as_a_digest(world, client) -> None:
    response = _token(client, "manager_a")
    assert response.status_code == 201
    raw = response.json()["token"]
    stored = ApiToken.objects.get(pk=response.json()["id"])
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in (stored.digest, stored.prefix)
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert me["username"] == "manager_a"
    assert me["roles"][0]["project_id"] == world.project_a.pk
    listed = client.get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert [item["prefix"] for item in listed] == [raw[:12]]
    assert "token" not in listed[0]


def test_wrong_password_is_401_with_a_reason(world, client) -> None:
    response = _token(client, "manager_a", "wrong")
    assert response.status_code == 401
    assert response.json()["detail"][0]["loc"] == ["body", "password"]


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(world, client, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        assert _token(client, "manager_a", "wrong").status_code == 401
    assert LoginThrottle.objects.get(username="manager_a").locked_until is not None
    response = _token(client, "manager_a")
    assert response.status_code == 429
    assert "Too many" in response.json()["detail"][0]["msg"]


def test_lock_out_ends_after_the_window(world, client, settings) -> None:
    import datetime as dt

    from django.utils import timezone

    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _token(client, "manager_a", "wrong")
    LoginThrottle.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert _token(client, "manager_a").status_code == 201
    assert not LoginThrottle.objects.filter(username="manager_a").exists()


def test_revoked_token_no_longer_authenticates(world, client) -> None:
    token, raw = api_token_create(user=world.users["engineer_a"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.delete(f"/api/v1/auth/tokens/{token.pk}", **headers).status_code == 204
    assert client.get("/api/v1/me", **headers).status_code == 401


def test_someone_elses_token_cannot_be_revoked(world, client) -> None:
    token, _raw = api_token_create(user=world.users["manager_b"])
    _mine, raw = api_token_create(user=world.users["manager_a"])
    response = client.delete(f"/api/v1/auth/tokens/{token.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_unknown_or_malformed_token_is_401(world, client) -> None:
    for header in ("Bearer hfw_nope", "Bearer ", "Basic abc", "Bearer \x00"):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=header).status_code == 401


def test_session_login_works_for_the_api(world, client) -> None:
    client.force_login(world.users["regulator_lixia"])
    body = client.get("/api/v1/me").json()
    assert body["roles"][0]["district"] == "370102"
    assert "estates.change" not in body["permissions"]
