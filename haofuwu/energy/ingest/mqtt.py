"""The MQTT door: subscribe at QoS 1 and acknowledge a message only after the batch holding it is committed.

A crash between receiving and committing loses nothing: the broker still holds the unacknowledged messages of
this persistent session (MQTT 5, clean start off, a session expiry) and delivers them again when the ingestor
comes back; a crash between committing and acknowledging delivers them twice, and the writer stores a reading
(same meter and time) once. The network loop runs in paho's thread and only appends messages to an inbox; this
thread takes what is in the inbox every ``POLL_SECONDS``, batches it (by readings or time), validates and writes
each batch in one transaction, then sends the acknowledgements.

The broker limits how many unacknowledged messages it sends one client (Mosquitto's ``max_inflight_messages``,
20 by default): a batch closes when no message came for ``idle_seconds`` too, so a small limit slows the
ingestor down but never stalls it. Raise that limit on the broker for throughput (see docs/energy.md).
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt
from django.db import transaction
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from pydantic_core import from_json

from haofuwu.energy.ingest.payloads import BAD_PAYLOAD, MeterInfo, message_readings
from haofuwu.energy.ingest.service import BULK_BATCH, IngestResult, project_meters, readings_ingest

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "haofuwu"
METER_CACHE_SECONDS = 30.0
POLL_SECONDS = 0.01
GC_THRESHOLD = 50_000


def _parse(payload: bytes | bytearray) -> Any:
    """The JSON of a message, or None when it is not JSON."""
    try:
        return from_json(payload)
    except ValueError:
        return None


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
    batch_readings: int = BULK_BATCH
    batch_seconds: float = 0.5
    idle_seconds: float = 0.05
    session_expiry: int = 86400
    username: str = ""
    password: str = ""
    # Several ingestors can share the load with an MQTT 5 shared subscription ($share/<group>/…).
    share_group: str = ""

    def __post_init__(self) -> None:
        if self.batch_readings < 1 or self.batch_seconds <= 0 or self.idle_seconds <= 0:
            raise ValueError("batch_readings, batch_seconds and idle_seconds must be positive")

    @property
    def topic(self) -> str:
        topic = f"{self.prefix}/+/meters/+/reading"
        return f"$share/{self.share_group}/{topic}" if self.share_group else topic


class MqttIngestor:
    """One consumer process: ``run(stop)`` until ``stop`` is set, then flush, acknowledge and disconnect."""

    def __init__(self, config: IngestorConfig) -> None:
        self.config = config
        self.stats = IngestorStats()
        # Messages handed from paho's thread to this one. A deque's append and popleft are atomic and take no lock:
        # paho's thread spends its time reading the socket, not waking this one up (queue.Queue notifies a condition
        # on every put, a fifth of the receiving thread's time at one reading per message).
        self._inbox: deque[mqtt.MQTTMessage] = deque()
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
        self._inbox.append(message)

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
        # Every message leaves a dozen objects behind in paho (its properties, the message and its delivery
        # state) and waits in the inbox until its batch is written. At the collector's default of a young-generation
        # pass every 700 new objects, those passes walk the waiting messages again and again: half of this
        # process's processor time at one reading per message. One pass per 50,000 new objects costs little.
        thresholds = gc.get_threshold()
        gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
        try:
            return self._run(stop)
        finally:
            gc.set_threshold(*thresholds)

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
        """Messages with their parsed payloads, up to ``batch_readings`` readings or ``batch_seconds``; a batch also
        closes when no message came for ``idle_seconds``.

        The inbox is read every ``POLL_SECONDS``, everything in it at once: chasing each message as it arrives
        would hand the interpreter lock back and forth with paho's thread at every message, and that costs both
        threads more than the work itself (measured: twice the processor time per message)."""
        config = self.config
        inbox = self._inbox
        batch: list[tuple[mqtt.MQTTMessage, Any]] = []
        readings = 0
        started = last = 0.0
        while not stop.is_set():
            if not inbox:
                if batch and time.monotonic() - last >= config.idle_seconds:
                    return batch
                time.sleep(POLL_SECONDS)
                continue
            while inbox and readings < config.batch_readings:
                message = inbox.popleft()
                payload = _parse(message.payload)
                batch.append((message, payload))
                found = payload.get("readings") if isinstance(payload, dict) else None
                readings += len(found) if isinstance(found, list) else 1
            last = time.monotonic()
            started = started or last
            if readings >= config.batch_readings or last - started >= config.batch_seconds:
                return batch
            time.sleep(POLL_SECONDS)
        return batch

    def _drain(self) -> list[tuple[mqtt.MQTTMessage, Any]]:
        """Whatever the inbox holds, parsed: the last batch before stopping."""
        found: list[tuple[mqtt.MQTTMessage, Any]] = []
        while self._inbox:
            message = self._inbox.popleft()
            found.append((message, _parse(message.payload)))
        return found

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
