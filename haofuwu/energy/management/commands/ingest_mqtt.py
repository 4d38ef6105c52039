"""``haofuwu ingest-mqtt``: store meter readings that devices publish over MQTT (QoS 1, acknowledged after
commit). Stops cleanly on SIGTERM or Ctrl-C: the batch in hand is written and acknowledged first."""

from __future__ import annotations

import os
import signal
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haofuwu.energy.ingest.mqtt import DEFAULT_PREFIX, IngestorConfig, MqttIngestor
from haofuwu.energy.ingest.service import BULK_BATCH


class Command(BaseCommand):
    help = "Store meter readings published on haofuwu/<project>/meters/<device id>/reading (MQTT, QoS 1)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HAOFUWU_MQTT_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("HAOFUWU_MQTT_PORT", "1883")))
        parser.add_argument("--prefix", default=DEFAULT_PREFIX, help="topic prefix (default haofuwu)")
        parser.add_argument(
            "--client-id",
            default=os.environ.get("HAOFUWU_MQTT_CLIENT_ID", f"haofuwu-ingest-{socket.gethostname()}"),
            help="keep it the same across restarts: the broker keeps this client's unacknowledged messages",
        )
        parser.add_argument("--batch-readings", type=int, default=BULK_BATCH)
        parser.add_argument("--batch-seconds", type=float, default=0.5)
        parser.add_argument("--share-group", default="", help="MQTT 5 shared subscription group for several ingestors")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_readings"] < 1 or options["batch_seconds"] <= 0:
            raise CommandError("--batch-readings and --batch-seconds must be positive", returncode=2)
        config = IngestorConfig(
            host=options["host"],
            port=options["port"],
            prefix=options["prefix"].strip("/"),
            client_id=options["client_id"],
            batch_readings=options["batch_readings"],
            batch_seconds=options["batch_seconds"],
            share_group=options["share_group"],
            username=os.environ.get("HAOFUWU_MQTT_USERNAME", ""),
            password=os.environ.get("HAOFUWU_MQTT_PASSWORD", ""),
        )
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
        ingestor = MqttIngestor(config)
        try:
            stats = ingestor.run(stop)
        except (ConnectionError, OSError) as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(
            f"Stopped: {stats.messages} messages, {stats.stored} readings stored, "
            f"{stats.already_present} already present, {stats.rejected} rejected"
        )
