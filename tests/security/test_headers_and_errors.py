"""Safe by default: security headers, no inline script, 413 for large bodies, one error shape, owner-only data
files, and `check --deploy` clean with production settings."""

from __future__ import annotations

import logging
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from haofuwu.accounts.services import api_token_create
from haofuwu.core.apps import _owner_only_sqlite_files

ROOT = Path(__file__).resolve().parents[2]
SHAPE = {"detail": [{"loc": list, "msg": str, "type": str}]}


def assert_error_shape(response, status: int, kind: str | None = None) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    assert set(detail[0]) == {"loc", "msg", "type"}
    if kind:
        assert detail[0]["type"] == kind


def test_no_template_runs_inline_script():
    """Scripts are static files: no <script> with a body (JSON data blocks aside), no on…= handlers, no javascript:
    links, in any app's templates — the Content-Security-Policy would block them."""
    offenders = []
    for path in (ROOT / "haofuwu").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", text, re.S):
            if "src=" not in match["attrs"] and "application/json" not in match["attrs"] and match["body"].strip():
                offenders.append(f"{path.relative_to(ROOT)}: inline <script>")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.relative_to(ROOT)}: on…= handler")
        if "javascript:" in text:
            offenders.append(f"{path.relative_to(ROOT)}: javascript: link")
    assert not offenders, offenders


def test_pages_carry_the_csp_and_personal_data_is_not_stored(world, client_for):
    client = client_for(world.users["manager_a"])
    response = client.get(reverse("estates:resident_list"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_api_answers_to_a_token_are_not_stored(world, client):
    raw = api_token_create(user=world.users["manager_a"])[1]
    response = client.get("/api/v1/residents", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_hsts_and_the_https_redirect_behind_tls(world, settings):
    settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD = (
        31536000,
        True,
        True,
    )
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/accounts/login/", secure=True)["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301 and plain.url.startswith("https://")


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "HAOFUWU_DEBUG": "0",
        "HAOFUWU_TLS": "1",
        "HAOFUWU_ALLOWED_HOSTS": "haofuwu.example.org",
        "HAOFUWU_DATA_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The browser journeys set this for Playwright's event loop in the same test process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/residents", "application/json"), ("/accounts/login/", "application/x-www-form-urlencoded")],
)
def test_a_body_larger_than_we_accept_is_413_before_it_is_read(world, client, caplog, path, content_type):
    with caplog.at_level(logging.WARNING):
        response = client.generic("POST", path, b"{}", content_type=content_type, CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413
    if path.startswith("/api/"):
        assert_error_shape(response, 413, "request_too_large")
    else:
        assert "larger than 10 MB" in response.content.decode()
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_uploads_may_be_larger_than_other_bodies_up_to_their_own_limit(settings):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from haofuwu.core.middleware import RequestSizeMiddleware

    settings.REQUEST_MAX_MB, settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 40, 10 * 1024 * 1024
    middleware = RequestSizeMiddleware(lambda request: HttpResponse("read"))

    def status(megabytes: int, content_type: str) -> int:
        request = RequestFactory().post("/api/v1/work-orders/1/photos", b"x", content_type=content_type)
        request.META["CONTENT_LENGTH"] = str(megabytes * 1024 * 1024)
        return middleware(request).status_code

    assert status(30, "multipart/form-data; boundary=x") == 200
    assert status(41, "multipart/form-data; boundary=x") == 413
    assert status(11, "application/json") == 413


def test_every_api_error_has_the_documented_shape(world, client):
    raw = api_token_create(user=world.users["admin"])[1]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert_error_shape(
        client.post("/api/v1/residents", "{not json", content_type="application/json", **bearer), 422, "json_invalid"
    )
    assert_error_shape(client.get("/api/v1/no-such-route", **bearer), 404, "not_found")
    not_allowed = client.put("/api/v1/residents", "{}", content_type="application/json", **bearer)
    assert_error_shape(not_allowed, 405, "method_not_allowed")
    assert "GET" in not_allowed["Allow"]
    assert_error_shape(client.get("/api/v1/residents"), 401, "unauthenticated")
    session = Client(enforce_csrf_checks=True)
    session.force_login(world.users["admin"])
    assert_error_shape(session.post("/api/v1/residents", "{}", content_type="application/json"), 403, "csrf_failed")


def test_the_data_folder_and_the_sqlite_file_are_the_owners_only(tmp_path, settings):
    from django.conf import settings as live

    assert stat.S_IMODE(Path(live.DATA_DIR).stat().st_mode) == 0o700
    database = tmp_path / "haofuwu.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)

    class FakeConnection:
        vendor = "sqlite"
        settings_dict = {"NAME": str(database)}

    _owner_only_sqlite_files(None, FakeConnection())
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert live.FILE_UPLOAD_PERMISSIONS == 0o600 and live.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("manager_a", True),
        ("company_admin_a", True),
        ("admin", True),
        ("engineer_a", False),
        ("security_a", False),
        ("community_a", False),
        ("regulator_lixia", False),
        ("regulator_city", False),
        ("resident_a", False),
    ],
)
def test_import_history_is_for_those_who_may_import(world, client, username, sees):
    from haofuwu.estates.tests.test_import_views import BAD_UNITS, api_import

    body = api_import(client, world, "manager_a", BAD_UNITS, dry_run="false", only_valid_rows="true").json()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=world.users[username])[1]}"}
    listed = client.get(f"/api/v1/projects/{world.project_a.pk}/imports", **headers)
    detail = client.get(f"/api/v1/imports/{body['run_id']}", **headers)
    if sees:
        assert listed.json()["count"] == 1 and detail.status_code == 200
    else:
        assert listed.status_code in (200, 404)
        assert listed.status_code == 404 or listed.json()["count"] == 0
        assert detail.status_code == 404
