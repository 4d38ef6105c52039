"""A paho publisher for the MQTT benchmark (a separate process, so it does not share the consumer's CPU time):
``python -m benchmarks.energy.publish PORT PREFIX PROJECT METERS COUNT PER_MESSAGE FIRST_STEP``.

Publishes COUNT messages at QoS 1 on ``PREFIX/PROJECT/meters/<meter>/reading``, each with PER_MESSAGE readings
(a gateway message names the meter of each reading), cycling over METERS device ids M000000… in time-major order.
Back-pressure every 5,000 messages, because paho refuses to queue more QoS 1 messages than it has message ids."""

from __future__ import annotations

import json
import sys
import time

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

# Twenty days ago at midnight UTC: recent enough for the raw retention, past enough to be no future reading.
START = (int(time.time()) // 86400 - 20) * 86400


def main() -> int:
    port, prefix, project, meters, count, per_message, first_step = sys.argv[1:8]
    port_n, meters_n, count_n, per, step0 = int(port), int(meters), int(count), int(per_message), int(first_step)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{time.time_ns()}")
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port_n)
    client.loop_start()
    started = time.time()
    pending = []
    reading = 0
    for _n in range(count_n):
        if per == 1:
            meter = reading % meters_n
            payload = json.dumps({"ts": START + (step0 + reading // meters_n) * 900, "value": 1.25})
            topic = f"{prefix}/{project}/meters/M{meter:06d}/reading"
            reading += 1
        else:
            batch = []
            for _k in range(per):
                meter = reading % meters_n
                batch.append(
                    {"meter": f"M{meter:06d}", "ts": START + (step0 + reading // meters_n) * 900, "value": 1.25}
                )
                reading += 1
            payload = json.dumps({"readings": batch})
            topic = f"{prefix}/{project}/meters/gateway/reading"
        pending.append(client.publish(topic, payload, qos=1))
        if len(pending) >= 5000:
            for info in pending:
                info.wait_for_publish(30)
            pending.clear()
    for info in pending:
        info.wait_for_publish(30)
    print(json.dumps({"started": started, "published_at": time.time(), "readings": reading}))
    client.disconnect()
    client.loop_stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
