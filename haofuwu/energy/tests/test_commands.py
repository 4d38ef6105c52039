"""``haofuwu ingest-key`` and the MQTT ingestor's clean stop."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import CommandError, call_command

from haofuwu.energy.ingest import mqtt as mqtt_door
from haofuwu.energy.models import IngestKey

pytestmark = pytest.mark.django_db


def test_ingest_key_create_prints_the_key_once_and_stores_its_digest(world) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest_key", "create", "--project", str(world.project_a.pk), "--name", "网关", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    key = IngestKey.objects.get()
    assert raw.startswith("hfi_") and key.prefix == raw[:12] and key.digest != raw
    assert "shown only this once" in err.getvalue()
    listed = io.StringIO()
    call_command("ingest_key", "list", "--project", str(world.project_a.pk), stdout=listed)
    assert raw not in listed.getvalue() and key.prefix in listed.getvalue()
    call_command("ingest_key", "revoke", "--id", str(key.pk), stdout=io.StringIO())
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_ingest_key_without_a_project_or_for_an_unknown_one_exits_2(world) -> None:
    with pytest.raises(CommandError) as missing:
        call_command("ingest_key", "create")
    assert missing.value.returncode == 2
    with pytest.raises(CommandError) as unknown:
        call_command("ingest_key", "create", "--project", "999999")
    assert unknown.value.returncode == 2
    with pytest.raises(CommandError) as not_allowed:
        call_command("ingest_key", "create", "--project", str(world.project_a.pk), "--as", "manager_b")
    assert not_allowed.value.returncode == 2
    assert IngestKey.objects.count() == 0


def test_ingest_mqtt_without_a_broker_exits_2(monkeypatch) -> None:
    def refuse(self, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
        raise ConnectionError("no MQTT broker answered at 127.0.0.1:1")

    monkeypatch.setattr(mqtt_door.MqttIngestor, "connect", refuse)
    with pytest.raises(CommandError) as failed:
        call_command("ingest_mqtt", "--port", "1")
    assert failed.value.returncode == 2


def test_a_stop_request_flushes_what_is_queued_before_returning(world, monkeypatch) -> None:
    ingestor = mqtt_door.MqttIngestor(mqtt_door.IngestorConfig(client_id="test-stop"))
    flushed: list[int] = []
    monkeypatch.setattr(ingestor, "connect", lambda timeout=10.0: None)
    monkeypatch.setattr(ingestor.client, "disconnect", lambda *a, **k: None)
    monkeypatch.setattr(ingestor.client, "loop_stop", lambda *a, **k: None)
    monkeypatch.setattr(ingestor, "flush", lambda batch: flushed.append(len(batch)))
    message = mqtt_door.mqtt.MQTTMessage(topic=b"haofuwu/1/meters/E/reading")
    message.payload = b'{"ts": 1, "value": 2}'
    ingestor._inbox.append(message)
    stop = threading.Event()
    stop.set()
    ingestor.run(stop)
    assert flushed == [1]


def test_an_ingestor_config_that_could_never_take_a_message_is_refused() -> None:
    with pytest.raises(ValueError):
        mqtt_door.IngestorConfig(batch_readings=0)
