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
    assert LoginThrottle.objects.get(key="client:127.0.0.1|account:manager_a").locked_until is not None
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
    assert not LoginThrottle.objects.filter(key__endswith="|account:manager_a").exists()


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


# Expiry and revocation (the review found tokens that never expired and survived a password change).


def _me(client, raw: str) -> int:  # type: ignore[no-untyped-def]
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_a_token_expires_after_the_days_asked_for(world, client) -> None:
    import datetime as dt

    from django.utils import timezone

    response = client.post(
        "/api/v1/auth/token",
        {"username": "manager_a", "password": PASSWORD, "expires_in_days": 7},
        content_type="application/json",
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    assert _me(client, raw) == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _me(client, raw) == 401
    listed = client.get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=token.user)[1]}")
    row = next(item for item in listed.json() if item["id"] == token.pk)
    assert (row["is_active"], row["revoked_reason"]) == (False, "")


def test_the_default_lifetime_and_its_maximum_come_from_settings(world, client, settings) -> None:
    settings.API_TOKEN_DAYS, settings.API_TOKEN_MAX_DAYS = 30, 365
    token, _raw = api_token_create(user=world.users["manager_a"])
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == 30
    response = client.post(
        "/api/v1/auth/token",
        {"username": "manager_a", "password": PASSWORD, "expires_in_days": 366},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "expires_in_days"]


def test_a_password_change_revokes_the_tokens_made_under_the_old_password(world, client) -> None:
    user = world.users["engineer_a"]
    _old, old_raw = api_token_create(user=user)
    user.set_password("a completely new password")
    user.save()
    _new, new_raw = api_token_create(user=user)
    assert _me(client, old_raw) == 401
    assert _me(client, new_raw) == 200
    # Setting the old password again does not bring the old token back: it was revoked with the reason.
    user.set_password(PASSWORD)
    user.save()
    assert _me(client, old_raw) == 401
    assert ApiToken.objects.get(pk=_old.pk).revoked_reason == "password_changed"


def test_deactivation_revokes_every_token_for_good(world, client) -> None:
    user = world.users["engineer_a"]
    tokens = [api_token_create(user=user) for _ in range(2)]
    user.is_active = False
    user.save()
    assert _me(client, tokens[0][1]) == 401
    user.is_active = True
    user.save()
    assert [_me(client, raw) for _token, raw in tokens] == [401, 401]
    assert set(ApiToken.objects.filter(user=user).values_list("revoked_reason", flat=True)) == {"deactivated"}


def test_revoking_all_tokens_is_a_service_the_account_pages_call(world, client) -> None:
    from haofuwu.accounts.services import api_tokens_revoke_all

    user = world.users["manager_b"]
    raws = [api_token_create(user=user)[1] for _ in range(3)]
    assert api_tokens_revoke_all(user=user, reason="deactivated") == 3
    assert all(_me(client, raw) == 401 for raw in raws)


# The lockout is taken atomically and cannot be used by a stranger to keep an account locked.


def _guess(client, username: str, password: str, address: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_attempts_are_counted_before_the_password_is_checked(world, settings, monkeypatch) -> None:
    """However guesses interleave, no more than the limit reach the password check: the attempt is claimed by one
    conditional UPDATE first. Here 60 guesses all claim before any of them has been checked."""
    from django.test import RequestFactory

    from haofuwu.accounts import services

    settings.LOGIN_FAILURE_LIMIT = 5
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    now = services.timezone.now()
    keys = services._throttle_keys(request, "manager_a")
    claims = [all(services._claim(key, limit, now) for key, limit in keys[:1]) for _ in range(60)]
    assert claims.count(True) == 5


def test_sixty_parallel_wrong_guesses_check_the_password_at_most_five_times(
    world, settings, monkeypatch, transactional_db
) -> None:
    """Real threads on PostgreSQL (the SQLite test database is in memory, where threads meet table locks instead of
    the file database's write queue; the test above shows the same property without threads)."""
    import threading

    import pytest
    from django.db import connection

    from haofuwu.accounts import services

    if connection.vendor != "postgresql":
        pytest.skip("needs a database server; runs in the PostgreSQL pass")

    settings.LOGIN_FAILURE_LIMIT = 5
    checked: list[int] = []
    real = services.authenticate

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        checked.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "authenticate", counting)
    outcomes: list[str] = []
    barrier = threading.Barrier(12)

    def guess() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                try:
                    services.login_authenticate(request=None, username="manager_a", password="wrong")
                except services.LockedOut:
                    outcomes.append("locked")
                except services.ValidationFailed:
                    outcomes.append("wrong")
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 60
    assert outcomes.count("wrong") == len(checked) <= 5
    assert outcomes.count("locked") >= 55


def test_a_stranger_cannot_lock_the_owner_out(world, client, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(20):
        _guess(client, "manager_a", "wrong", "198.51.100.66")
    assert _guess(client, "manager_a", PASSWORD, "198.51.100.66").status_code == 429
    # The owner, from their own phone, logs in as ever.
    assert _guess(client, "manager_a", PASSWORD, "203.0.113.10").status_code == 201


def test_one_client_trying_many_accounts_is_throttled(world, client, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_CLIENT_FAILURE_LIMIT = 5, 8
    names = ["manager_a", "manager_b", "engineer_a", "security_a"]
    statuses = [_guess(client, names[n % 4], "wrong", "198.51.100.9").status_code for n in range(8)]
    assert statuses == [401] * 8
    assert _guess(client, "company_admin_a", PASSWORD, "198.51.100.9").status_code == 429
    assert _guess(client, "company_admin_a", PASSWORD, "198.51.100.10").status_code == 201


def test_ipv6_clients_are_counted_by_their_64_bit_network(world, client, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    for suffix in ("1", "2", "3"):
        _guess(client, "manager_a", "wrong", f"2001:db8:1:2::{suffix}")
    assert _guess(client, "manager_a", PASSWORD, "2001:db8:1:2::99").status_code == 429
    assert _guess(client, "manager_a", PASSWORD, "2001:db8:1:3::1").status_code == 201


def test_behind_a_proxy_the_configured_header_names_the_client(world, client, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(2):
        client.post(
            "/api/v1/auth/token",
            {"username": "manager_a", "password": "wrong"},
            content_type="application/json",
            HTTP_X_REAL_IP="198.51.100.1",
        )
    other = client.post(
        "/api/v1/auth/token",
        {"username": "manager_a", "password": PASSWORD},
        content_type="application/json",
        HTTP_X_REAL_IP="198.51.100.2",
    )
    assert other.status_code == 201
