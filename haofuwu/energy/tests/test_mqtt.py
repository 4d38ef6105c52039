"""The MQTT door against the local broker: nothing lost and nothing doubled when the ingestor dies mid-stream.

Each test run uses its own topic prefix and client id, so parallel runs do not see each other's messages. Without
a broker on 127.0.0.1:1883 these tests are skipped, unless REQUIRE_MQTT=1 (CI), where that is a failure.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid

import paho.mqtt.client as mqtt
import pytest
from django.db.models import Sum
from paho.mqtt.enums import CallbackAPIVersion

from haofuwu.energy.ingest.mqtt import IngestorConfig, MqttIngestor
from haofuwu.energy.models import HourlyUsage, Reading
from haofuwu.energy.tests.factories import make_meter

HOST, PORT = "127.0.0.1", 1883


def _broker_answers() -> bool:
    try:
        socket.create_connection((HOST, PORT), timeout=1).close()
    except OSError:
        return False
    return True


if not _broker_answers():
    if os.environ.get("REQUIRE_MQTT") == "1":
        raise RuntimeError(f"REQUIRE_MQTT=1 but no MQTT broker answers at {HOST}:{PORT}")
    pytest.skip(
        f"no MQTT broker answers at {HOST}:{PORT} (set REQUIRE_MQTT=1 to fail instead)", allow_module_level=True
    )

pytestmark = pytest.mark.django_db


def _publish(messages: list[tuple[str, dict]]) -> None:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:8]}")
    client.connect(HOST, PORT)
    client.loop_start()
    for topic, payload in messages:
        client.publish(topic, json.dumps(payload), qos=1).wait_for_publish(5)
    client.disconnect()
    client.loop_stop()


def _forget_session(client_id: str) -> None:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.connect(HOST, PORT, clean_start=True)
    client.loop_start()
    client.disconnect()
    client.loop_stop()


def _consume_until(ingestor: MqttIngestor, done, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    stop = _Never()
    while not done() and time.monotonic() < deadline:
        batch = ingestor._collect(stop)
        if batch:
            ingestor.flush(batch)


class _Never:
    """A stop flag that is never set, but lets ``_collect`` return after one idle wait."""

    def __init__(self) -> None:
        self.calls = 0

    def is_set(self) -> bool:
        self.calls += 1
        return self.calls % 50 == 0


def test_killing_the_ingestor_mid_stream_and_restarting_loses_and_doubles_nothing(world) -> None:
    run = uuid.uuid4().hex[:10]
    prefix = f"hfwtest/{run}"
    client_id = f"hfwtest-ingest-{run}"
    meters = [make_meter(world.project_a, external_id=f"W{n}") for n in range(4)]
    base = int(time.time()) // 86400 * 86400 - 3 * 86400  # three days ago, well inside the raw retention
    messages = [
        (
            f"{prefix}/{world.project_a.pk}/meters/{meters[n % 4].external_id}/reading",
            {"ts": base + (n // 4) * 900, "value": 1 + n % 7},
        )
        for n in range(240)
    ]
    # A gateway message with 20 readings for two meters, and one unreadable message.
    gateway = {
        "readings": [{"meter": meters[k % 2].external_id, "ts": base + 86400 + k * 900, "value": 2} for k in range(20)]
    }
    messages.append((f"{prefix}/{world.project_a.pk}/meters/{meters[0].external_id}/reading", gateway))
    expected_readings = 260
    expected_total = sum(payload["value"] for _topic, payload in messages[:240]) + 40
    config = IngestorConfig(host=HOST, port=PORT, prefix=prefix, client_id=client_id, batch_readings=40)
    first = MqttIngestor(config)
    first.connect()
    try:
        _publish(messages)
        # Two batches written and acknowledged, then one written but not acknowledged, then the process dies.
        _consume_until(first, lambda: first.stats.batches >= 2)
        batch = first._collect(_Never())
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(first.client, "ack", lambda mid, qos: None)
            first.flush(batch)
        first.client.loop_stop()
        first.client.socket().close()  # no DISCONNECT: the broker keeps the session and the unacknowledged messages
        stored_before_crash = Reading.objects.count()
        assert 0 < stored_before_crash < expected_readings

        second = MqttIngestor(config)
        second.connect()
        try:
            _consume_until(second, lambda: Reading.objects.count() >= expected_readings and not second._inbox)
        finally:
            second.client.disconnect()
            second.client.loop_stop()
    finally:
        _forget_session(client_id)
    assert Reading.objects.count() == expected_readings
    assert HourlyUsage.objects.aggregate(s=Sum("consumption"))["s"] == expected_total
    assert HourlyUsage.objects.aggregate(n=Sum("samples"))["n"] == expected_readings
    # The batch written before the crash but never acknowledged came again and was found already stored.
    assert second.stats.already_present > 0


def test_bad_messages_are_counted_and_acknowledged(world) -> None:
    run = uuid.uuid4().hex[:10]
    prefix = f"hfwtest/{run}"
    client_id = f"hfwtest-ingest-{run}"
    meter = make_meter(world.project_a)
    config = IngestorConfig(host=HOST, port=PORT, prefix=prefix, client_id=client_id, batch_readings=10)
    ingestor = MqttIngestor(config)
    ingestor.connect()
    try:
        _publish(
            [
                (
                    f"{prefix}/{world.project_a.pk}/meters/{meter.external_id}/reading",
                    {"ts": int(time.time()) - 600, "value": "x"},
                ),
                (f"{prefix}/{world.project_a.pk}/meters/NOPE/reading", {"ts": int(time.time()) - 600, "value": 1}),
                (
                    f"{prefix}/{world.project_a.pk}/meters/{meter.external_id}/reading",
                    {"ts": int(time.time()) - 600, "value": 3},
                ),
            ]
        )
        _consume_until(ingestor, lambda: ingestor.stats.messages >= 3)
    finally:
        ingestor.client.disconnect()
        ingestor.client.loop_stop()
        _forget_session(client_id)
    assert (ingestor.stats.stored, ingestor.stats.rejected) == (1, 2)
    assert dict(ingestor.stats.reasons) == {"not_a_number": 1, "unknown_meter": 1}
