"""POST /api/v1/ingest/readings: authenticated by a project's ingestion key, one answer per reading."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haofuwu.accounts.services import api_token_create
from haofuwu.energy.models import HourlyUsage, Reading
from haofuwu.energy.services import ingest_key_create, ingest_key_revoke
from haofuwu.energy.tests.factories import make_meter

pytestmark = pytest.mark.django_db


def _post(client, key: str | None, body):  # type: ignore[no-untyped-def]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post("/api/v1/ingest/readings", body, content_type="application/json", **headers)


def _iso(minutes_ago: int) -> str:
    return (timezone.now() - dt.timedelta(minutes=minutes_ago)).isoformat()


def test_readings_with_a_project_key_are_stored_and_counted(world, client) -> None:
    meter = make_meter(world.project_a)
    other = make_meter(world.project_b)
    _key, raw = ingest_key_create(actor=world.users["manager_a"], project_id=world.project_a.pk)
    body = {
        "readings": [
            {"meter": meter.external_id, "ts": _iso(30), "value": 1.5},
            {"meter": meter.external_id, "ts": _iso(15), "value": "x"},
            {"meter": other.external_id, "ts": _iso(15), "value": 2},
        ]
    }
    response = _post(client, raw, body)
    assert response.status_code == 200
    answer = response.json()
    assert (answer["stored"], answer["already_present"], answer["rejected"]) == (1, 0, 2)
    assert [(e["index"], e["reason"]) for e in answer["errors"]] == [(1, "not_a_number"), (2, "unknown_meter")]
    assert answer["errors"][0]["message"]
    again = _post(client, raw, body).json()
    assert (again["stored"], again["already_present"]) == (0, 1)
    assert Reading.objects.count() == 1
    assert sum(HourlyUsage.objects.values_list("consumption", flat=True)) == 1.5


def test_without_a_valid_key_nothing_is_stored(world, client) -> None:
    meter = make_meter(world.project_a)
    key, raw = ingest_key_create(actor=world.users["manager_a"], project_id=world.project_a.pk)
    user_token = api_token_create(user=world.users["admin"])[1]
    body = {"readings": [{"meter": meter.external_id, "ts": _iso(5), "value": 1}]}
    assert _post(client, None, body).status_code == 401
    assert _post(client, user_token, body).status_code == 401
    assert _post(client, "hfi_wrong", body).status_code == 401
    ingest_key_revoke(actor=world.users["company_admin_a"], key_id=key.pk)
    assert _post(client, raw, body).status_code == 401
    assert Reading.objects.count() == 0


def test_a_malformed_or_oversized_body_is_a_422(world, client) -> None:
    _key, raw = ingest_key_create(actor=world.users["admin"], project_id=world.project_a.pk)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    bad_json = client.post("/api/v1/ingest/readings", "{nope", content_type="application/json", **headers)
    assert bad_json.status_code == 422
    assert _post(client, raw, {"values": []}).status_code == 422
    too_many = _post(client, raw, {"readings": [{}] * 10_001})
    assert too_many.status_code == 422
    assert "10,000" in too_many.json()["detail"][0]["msg"]
    empty = _post(client, raw, {"readings": []})
    assert empty.json() == {"stored": 0, "already_present": 0, "rejected": 0, "errors": []}


def test_the_key_is_shown_once_and_stored_as_a_digest(world, client) -> None:
    client.force_login(world.users["manager_a"])
    response = client.post(
        "/api/v1/ingest/keys", {"project_id": world.project_a.pk, "name": "网关"}, content_type="application/json"
    )
    assert response.status_code == 201
    raw = response.json()["key"]
    assert raw.startswith("hfi_")
    listed = client.get(f"/api/v1/ingest/keys?project={world.project_a.pk}").json()["items"]
    assert [item["prefix"] for item in listed] == [raw[:12]]
    assert "key" not in listed[0]
    from haofuwu.energy.models import IngestKey

    assert not IngestKey.objects.filter(digest=raw).exists()
