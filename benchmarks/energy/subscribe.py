"""The bare paho subscriber of the MQTT benchmark: QoS 1, automatic acknowledgements, no database. Counts COUNT
messages and prints when the first and the last arrived: ``python -m benchmarks.energy.subscribe PORT TOPIC COUNT``.
Prints ``ready`` once subscribed."""

from __future__ import annotations

import json
import sys
import threading
import time

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion


def main() -> int:
    port, topic, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    done = threading.Event()
    state = {"n": 0, "first": 0.0, "last": 0.0}

    def on_message(client, userdata, message):  # type: ignore[no-untyped-def]
        state["n"] += 1
        if state["n"] == 1:
            state["first"] = time.time()
        if state["n"] >= count:
            state["last"] = time.time()
            done.set()

    subscribed = threading.Event()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-bare-{time.time_ns()}", protocol=mqtt.MQTTv5)
    client.on_message = on_message
    client.on_subscribe = lambda *args: subscribed.set()
    client.connect("127.0.0.1", port)
    client.subscribe(topic, qos=1)
    client.loop_start()
    subscribed.wait(10)
    print("ready", flush=True)
    done.wait(600)
    client.disconnect()
    client.loop_stop()
    print(json.dumps({"received": state["n"], "first": state["first"], "last": state["last"]}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
