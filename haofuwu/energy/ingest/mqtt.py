"""The MQTT door: subscribe at QoS 1 and acknowledge a message only after the batch holding it is committed.

A crash between receiving and committing loses nothing: the broker still holds the unacknowledged messages of
this persistent session (MQTT 5, clean start off, a session expiry) and delivers them again when the ingestor
comes back; a crash between committing and acknowledging delivers them twice, and the writer stores a reading
(same meter and time) once. The network loop runs in paho's thread and only queues messages; this thread batches
them (by count or time), validates and writes each batch in one transaction, then sends the acknowledgements.

The broker limits how many unacknowledged messages it sends one client (Mosquitto's ``max_inflight_messages``,
20 by default): a batch closes when the queue stays empty for ``idle_seconds`` too, so a small limit slows the
ingestor down but never stalls it. Raise that limit on the broker for throughput (see docs/energy.md).
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt
from django.db import transaction
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from pydantic_core import from_json

from haofuwu.energy.ingest.payloads import BAD_PAYLOAD, MeterInfo, message_readings
from haofuwu.energy.ingest.service import IngestResult, project_meters, readings_ingest

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "haofuwu"
METER_CACHE_SECONDS = 30.0
SWITCH_INTERVAL = 0.0005


@dataclass
class IngestorStats:
    messages: int = 0
    stored: int = 0
    already_present: int = 0
    rejected: int = 0
    batches: int = 0
    reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass(frozen=True)
class IngestorConfig:
    host: str = "127.0.0.1"
    port: int = 1883
    prefix: str = DEFAULT_PREFIX
    client_id: str = "haofuwu-ingest"
    batch_readings: int = 20_000
    batch_seconds: float = 0.5
    idle_seconds: float = 0.05
    session_expiry: int = 86400
    username: str = ""
    password: str = ""
    # Several ingestors can share the load with an MQTT 5 shared subscription ($share/<group>/…).
    share_group: str = ""

    @property
    def topic(self) -> str:
        topic = f"{self.prefix}/+/meters/+/reading"
        return f"$share/{self.share_group}/{topic}" if self.share_group else topic


class MqttIngestor:
    """One consumer process: ``run(stop)`` until ``stop`` is set, then flush, acknowledge and disconnect."""

    def __init__(self, config: IngestorConfig) -> None:
        self.config = config
        self.stats = IngestorStats()
        self._queue: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self._connected = threading.Event()
        self._meters: dict[int, tuple[float, dict[str, MeterInfo]]] = {}
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=config.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        if config.username:
            self.client.username_pw_set(config.username, config.password or None)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message
        self.client.on_disconnect = self._on_disconnect

    # --- paho's thread -------------------------------------------------------------------------------------------

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        if reason.is_failure:
            logger.error("MQTT connection refused: %s", reason)
            return
        client.subscribe(self.config.topic, qos=1)
        logger.info("Connected to %s:%s, subscribing to %s", self.config.host, self.config.port, self.config.topic)

    def _on_subscribe(self, client: mqtt.Client, userdata: Any, mid: int, reasons: Any, properties: Any) -> None:
        # Ready only once the broker has confirmed the subscription (SUBACK): a reading published before that would
        # not be routed to this client's session on a first start.
        if any(reason.is_failure for reason in reasons):
            logger.error("MQTT subscription to %s refused: %s", self.config.topic, reasons)
            return
        self._connected.set()

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        self._connected.clear()
        if reason.is_failure:
            logger.warning("MQTT connection lost (%s); paho reconnects", reason)

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        self._queue.put(message)

    # --- this thread ---------------------------------------------------------------------------------------------

    def connect(self, timeout: float = 10.0) -> None:
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self.config.session_expiry
        # Let the broker send as many unacknowledged messages as it allows: acknowledgements wait for the commit.
        properties.ReceiveMaximum = 65535
        self.client.connect(self.config.host, self.config.port, keepalive=30, clean_start=False, properties=properties)
        self.client.loop_start()
        if not self._connected.wait(timeout):
            self.client.loop_stop()
            raise ConnectionError(f"no MQTT broker answered at {self.config.host}:{self.config.port}")

    def run(self, stop: threading.Event) -> IngestorStats:
        """Consume until ``stop`` is set; the batch in hand is written and acknowledged before returning."""
        # Validating and writing a batch keeps this thread busy in Python; paho's network thread reads one packet
        # each time it gets the interpreter, which it is offered every switch interval (5 ms by default). A shorter
        # interval keeps the messages flowing from the broker while a batch is written.
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        try:
            return self._run(stop)
        finally:
            sys.setswitchinterval(switch_interval)

    def _run(self, stop: threading.Event) -> IngestorStats:
        self.connect()
        try:
            while not stop.is_set():
                batch = self._collect(stop)
                if batch:
                    self.flush(batch)
        finally:
            leftover = self._drain()
            if leftover:
                self.flush(leftover)
            self.client.disconnect()
            self.client.loop_stop()
        return self.stats

    def _collect(self, stop: threading.Event) -> list[tuple[mqtt.MQTTMessage, Any]]:
        """Messages with their parsed payloads, up to ``batch_readings`` readings or ``batch_seconds``."""
        config = self.config
        batch: list[tuple[mqtt.MQTTMessage, Any]] = []
        readings = 0
        started = None
        while not stop.is_set():
            wait = config.idle_seconds if batch else 0.2
            try:
                message = self._queue.get(timeout=wait)
            except queue.Empty:
                if batch:
                    return batch
                continue
            try:
                payload = from_json(message.payload)
            except ValueError:
                payload = None
            batch.append((message, payload))
            found = payload.get("readings") if isinstance(payload, dict) else None
            readings += len(found) if isinstance(found, list) else 1
            started = started or time.monotonic()
            if readings >= config.batch_readings or time.monotonic() - started >= config.batch_seconds:
                return batch
        return batch

    def _drain(self) -> list[tuple[mqtt.MQTTMessage, Any]]:
        found: list[tuple[mqtt.MQTTMessage, Any]] = []
        while True:
            try:
                message = self._queue.get_nowait()
            except queue.Empty:
                return found
            try:
                found.append((message, from_json(message.payload)))
            except ValueError:
                found.append((message, None))

    def _project_meters(self, project_id: int) -> dict[str, MeterInfo]:
        cached = self._meters.get(project_id)
        now = time.monotonic()
        if cached is None or now - cached[0] > METER_CACHE_SECONDS:
            cached = (now, project_meters(project_id))
            self._meters[project_id] = cached
        return cached[1]

    def flush(self, batch: list[tuple[mqtt.MQTTMessage, Any]]) -> IngestResult:
        """Validate and write the readings of a batch of messages in one transaction, then acknowledge them."""
        by_project: dict[int, list[Any]] = defaultdict(list)
        total = IngestResult()
        for message, payload in batch:
            found = (
                message_readings(message.topic, payload, prefix=self.config.prefix)
                if payload is not None
                else BAD_PAYLOAD
            )
            if isinstance(found, str):
                self.stats.rejected += 1
                self.stats.reasons[found] += 1
                continue
            by_project[found[0]].extend(found[1])
        with transaction.atomic():
            for project_id, readings in by_project.items():
                meters = self._project_meters(project_id)
                result = readings_ingest(project_id=project_id, readings=readings, meters=meters)
                if any(r.reason == "unknown_meter" for r in result.rejections):
                    self._meters.pop(project_id, None)  # a new meter may have been registered since
                total.add(result)
        # Only now is every reading of the batch safe in the database.
        for message, _payload in batch:
            self.client.ack(message.mid, message.qos)
        stats = self.stats
        stats.messages += len(batch)
        stats.batches += 1
        stats.stored += total.stored
        stats.already_present += total.already_present
        stats.rejected += total.rejected
        for rejection in total.rejections:
            stats.reasons[rejection.reason] += 1
        logger.debug(
            "Batch of %d messages: %d stored, %d present, %d rejected",
            len(batch),
            total.stored,
            total.already_present,
            total.rejected,
        )
        return total
