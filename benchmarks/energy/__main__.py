"""``python -m benchmarks.energy``: run the energy benchmarks on PostgreSQL and SQLite and print a markdown table.

Every figure stands beside a baseline measured in the same run on the same data: the raw COPY/executemany into the
same keyed table (ingestion), the in-process service rate (HTTP), a bare paho subscriber (MQTT), GROUP BY over the
raw table (queries). The JSON of the run goes to benchmarks/results/energy-<UTC timestamp>.json (git-ignored).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from benchmarks.config import HOST, REPO
from benchmarks.config import load as load_b7_config
from benchmarks.databases import pg_available, pg_recreate, pg_url, remove_sqlite
from benchmarks.energy.config import DATA_DIR, EnergyConfig, load
from benchmarks.report import fingerprint, write_json
from benchmarks.servers import free_port, gunicorn

# Readings sent over HTTP and MQTT start twenty days ago, inside the raw retention.
START = (int(time.time()) // 86400 - 20) * 86400


def _log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, HAOFUWU_DATA_DIR=str(DATA_DIR), PYTHONDONTWRITEBYTECODE="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def child(database_url: str, action: str, **params: Any) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.energy.child", action, json.dumps(params)],
        cwd=REPO,
        env=_env(database_url),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {action} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _databases(config: EnergyConfig) -> dict[str, str]:
    found = {}
    reason = pg_available(load_b7_config())
    if reason:
        _log(f"PostgreSQL not available ({reason}); SQLite only")
    else:
        found["postgresql"] = pg_url(load_b7_config(), config.postgres_database)
    found["sqlite"] = f"sqlite:///{DATA_DIR / 'energy.sqlite3'}"
    return found


def _fresh(kind: str, url: str, config: EnergyConfig) -> None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if kind == "postgresql":
        pg_recreate(load_b7_config(), config.postgres_database)
    else:
        remove_sqlite(DATA_DIR / "energy.sqlite3")


# --- HTTP --------------------------------------------------------------------------------------------------------


def http(url: str, config: EnergyConfig, project: int, meters: int) -> dict[str, Any]:
    """POST 10,000-reading bodies to the batch endpoint of a gunicorn server (2 sync workers)."""
    key = child(url, "key", project=project)["key"]
    steps_per_request = max(1, 10_000 // meters)
    bodies = []
    for request in range(config.http_requests):
        readings = [
            {
                "meter": f"M{meter:06d}",
                "ts": dt.datetime.fromtimestamp(START + (request * steps_per_request + step) * 900, dt.UTC).isoformat(),
                "value": 1.5,
            }
            for step in range(steps_per_request)
            for meter in range(meters)
        ]
        bodies.append(json.dumps({"readings": readings}).encode())
    readings_total = sum(steps_per_request * meters for _b in bodies)
    log = DATA_DIR / "logs" / "gunicorn-energy.log"
    with gunicorn("energy-http", database_url=url, data_dir=DATA_DIR, log_path=log, workers=2) as server:
        endpoint = server.base_url + "/api/v1/ingest/readings"
        stored = []
        errors = []
        queue = list(range(len(bodies)))
        lock = threading.Lock()

        def worker() -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    index = queue.pop(0)
                request = urllib.request.Request(
                    endpoint,
                    data=bodies[index],
                    headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
                )
                try:
                    with urllib.request.urlopen(request, timeout=120) as response:
                        stored.append(json.loads(response.read())["stored"])
                except Exception as error:  # recorded in the result, never silently dropped
                    errors.append(str(error))

        # One warm-up request (first connections, imports) not counted.
        threads = [threading.Thread(target=worker) for _n in range(config.http_clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    return {
        "requests": len(bodies),
        "readings": readings_total,
        "stored": sum(stored),
        "errors": errors[:3],
        "seconds": round(elapsed, 2),
        "readings_per_second": round(sum(stored) / elapsed),
        "clients": config.http_clients,
        "server": "gunicorn 2 sync workers",
    }


# --- MQTT --------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def broker() -> Iterator[int]:
    """A dedicated Mosquitto on a free port: no persistence, no in-flight or queue limit (the defaults, 20 and
    1,000, are for many small clients, not for one ingestor that acknowledges after each commit)."""
    port = free_port()
    conf = DATA_DIR / "mosquitto.conf"
    conf.write_text(
        f"listener {port} {HOST}\nallow_anonymous true\npersistence false\n"
        "max_inflight_messages 0\nmax_queued_messages 0\nlog_dest none\n"
    )
    process = subprocess.Popen([shutil.which("mosquitto") or "mosquitto", "-c", str(conf)], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                socket.create_connection((HOST, port), timeout=1).close()
                break
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def _publish(
    port: int, prefix: str, project: int, meters: int, count: int, per_message: int, first_step: int
) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.energy.publish",
            str(port),
            prefix,
            str(project),
            str(meters),
            str(count),
            str(per_message),
            str(first_step),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pg_count(url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(url) as connection:
        readings = connection.execute("SELECT COUNT(*) FROM energy_reading").fetchone()[0]  # type: ignore[index]
        samples = connection.execute("SELECT COALESCE(SUM(samples), 0) FROM energy_hourly").fetchone()[0]  # type: ignore[index]
    return int(readings), int(samples)


def _ingestor(url: str, port: int, prefix: str, client_id: str) -> subprocess.Popen[bytes]:
    log = (DATA_DIR / "logs" / f"ingest-{client_id}.log").open("ab")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "haofuwu.cli",
            "ingest-mqtt",
            "--port",
            str(port),
            "--prefix",
            prefix,
            "--client-id",
            client_id,
        ],
        cwd=REPO,
        env=_env(url),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_count(url: str, expected: int, timeout: float = 300) -> tuple[float, int, int]:
    """Wait until ``expected`` readings are stored; answer when, and the counts of raw readings and hourly samples.
    The wait polls the monthly rollup (a row per meter and month, kept in the same transaction as the raw rows),
    not COUNT(*) over the raw table: at a million rows that count would take a core away from the run it
    measures. The exact counts are taken once, at the end."""
    import psycopg

    deadline = time.monotonic() + timeout
    stored = 0
    with psycopg.connect(url, autocommit=True) as connection:
        while stored < expected:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{stored:,} of {expected:,} readings stored after {timeout} s; see var/bench/energy/logs"
                )
            time.sleep(0.05)
            row = connection.execute("SELECT COALESCE(SUM(samples), 0) FROM energy_monthly").fetchone()
            stored = int(row[0]) if row is not None else 0
    finished = time.time()
    readings, samples = _pg_count(url)
    return finished, readings, samples


def _ours(url: str, port: int, project: int, meters: int, count: int, per: int, tag: str) -> dict[str, Any]:
    child(url, "reset")
    prefix = f"bench/{tag}"
    process = _ingestor(url, port, prefix, f"bench-{tag}")
    try:
        time.sleep(3)  # Django start-up and subscription
        published = _publish(port, prefix, project, meters, count, per, 0)
        finished, readings, samples = _wait_count(url, published["readings"])
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    seconds = finished - published["started"]
    return {
        "messages": count,
        "readings": readings,
        "hourly_samples": samples,
        "seconds": round(seconds, 2),
        "messages_per_second": round(count / seconds),
        "readings_per_second": round(readings / seconds),
    }


def _bare(port: int, project: int, meters: int, count: int, per: int, tag: str) -> dict[str, Any]:
    prefix = f"bench/{tag}"
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.energy.subscribe", str(port), f"{prefix}/+/meters/+/reading", str(count)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.readline()  # "ready"
    published = _publish(port, prefix, project, meters, count, per, 0)
    result = json.loads(process.stdout.read().strip().splitlines()[-1])
    process.wait(30)
    seconds = result["last"] - published["started"]
    return {"messages": result["received"], "seconds": round(seconds, 2), "messages_per_second": round(count / seconds)}


def _restart(url: str, port: int, project: int, meters: int, count: int, per: int) -> dict[str, Any]:
    """Kill the ingestor (SIGKILL: no flush, no acknowledgement) a third of the way in, start it again with the same
    client id, and count: every reading once, and the rollups' samples equal to the readings."""
    child(url, "reset")
    prefix, client_id = "bench/restart", "bench-restart"
    first = _ingestor(url, port, prefix, client_id)
    time.sleep(3)
    publisher = threading.Thread(target=lambda: results.append(_publish(port, prefix, project, meters, count, per, 0)))
    results: list[dict[str, Any]] = []
    publisher.start()
    expected = count * per
    _wait_count(url, expected // 3, timeout=120)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    killed_at = _pg_count(url)[0]
    second = _ingestor(url, port, prefix, client_id)
    publisher.join()
    try:
        _finished, readings, samples = _wait_count(url, expected)
        time.sleep(2)  # anything doubled would show up now
        readings, samples = _pg_count(url)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    return {
        "expected": expected,
        "stored_when_killed": killed_at,
        "readings": readings,
        "hourly_samples": samples,
        "lost": expected - readings,
        "doubled_in_rollups": samples - readings,
    }


def mqtt(url: str, config: EnergyConfig, project: int, meters: int) -> dict[str, Any]:
    (DATA_DIR / "logs").mkdir(parents=True, exist_ok=True)
    # A single run of either side swings by a fifth on this shared 2-core machine: the two sides take turns
    # ``mqtt_rounds`` times and each keeps its best run.
    singles_bare, singles_ours, gateways_bare, gateways_ours = [], [], [], []
    with broker() as port:
        for _round in range(config.mqtt_rounds):
            singles_bare.append(_bare(port, project, meters, config.mqtt_messages, 1, "bare1"))
            singles_ours.append(_ours(url, port, project, meters, config.mqtt_messages, 1, "ours1"))
        for _round in range(config.mqtt_rounds):
            gateways_bare.append(_bare(port, project, meters, config.mqtt_gateway_messages, 100, "bare100"))
            gateways_ours.append(_ours(url, port, project, meters, config.mqtt_gateway_messages, 100, "ours100"))
        restart = _restart(url, port, project, meters, max(100, config.mqtt_gateway_messages // 5), 100)

    def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
        return {**max(runs, key=itemgetter("messages_per_second")), "runs": [r["messages_per_second"] for r in runs]}

    single_bare, single_ours = best(singles_bare), best(singles_ours)
    gateway_bare, gateway_ours = best(gateways_bare), best(gateways_ours)
    return {
        "single_bare": single_bare,
        "single_ours": single_ours,
        "single_ratio": round(single_ours["messages_per_second"] / single_bare["messages_per_second"], 3),
        "gateway_bare": gateway_bare,
        "gateway_ours": gateway_ours,
        "restart": restart,
    }


# --- report ------------------------------------------------------------------------------------------------------


def _rollups(vendor: str, storage: dict[str, Any]) -> str:
    """PostgreSQL measures each table; SQLite (no dbstat) counts the pages in use, which include the rollups."""
    if vendor == "postgresql":
        return f"(+{storage['rollup_bytes_per_reading']} B rollups)"
    return "(rollups included)"


def markdown(result: dict[str, Any]) -> str:
    lines = ["| Figure | Database | Ours | Baseline (same run) | Ratio | Target |", "|---|---|---|---|---|---|"]
    for vendor, parts in result["databases"].items():
        ingest = parts.get("ingest")
        if ingest:
            raw_name = "COPY" if vendor == "postgresql" else "executemany"
            for size, rate in ingest["by_batch"].items():
                bulk = int(size) == ingest["batch"]
                lines.append(
                    f"| {'bulk ingestion' if bulk else 'ingestion'}, service layer, {ingest['rows']:,} readings in "
                    f"calls of {int(size):,} | {vendor} | {rate:,}/s | raw {raw_name} {ingest['raw_per_second']:,}/s | "
                    f"{round(rate / ingest['raw_per_second'], 3)} | {'≥ 150,000/s' if bulk else '—'} |"
                )
            lines.append(
                f"| replay of a 10,000-reading batch (all present) | {vendor} | {ingest['replay_per_second']:,}/s | "
                f"— | — | — |"
            )
            storage, raw = ingest["storage"], ingest["raw_storage"]
            lines.append(
                f"| bytes per stored reading (raw table + indexes) | {vendor} | {storage['bytes_per_reading']} B "
                f"{_rollups(vendor, storage)} | raw load {raw['bytes_per_reading']} B | — | "
                f"≤ 60 B PG / ≤ 30 B SQLite |"
            )
        web = parts.get("http")
        if web:
            # The in-process service layer in calls of one request's size, when that run was made.
            base = (ingest["by_batch"].get("10000") or ingest["by_batch"].get(10000)) if ingest else None
            ratio = round(web["readings_per_second"] / base, 2) if base else "—"
            lines.append(
                f"| HTTP batch endpoint, 10,000/request, {web['clients']} clients | {vendor} | "
                f"{web['readings_per_second']:,}/s | in-process service, calls of 10,000: "
                f"{f'{base:,}/s' if base else '—'} | {ratio} | ≥ 100,000/s |"
            )
        broker_run = parts.get("mqtt")
        if broker_run:
            s_bare, s_ours = broker_run["single_bare"], broker_run["single_ours"]
            g_bare, g_ours = broker_run["gateway_bare"], broker_run["gateway_ours"]
            lines.append(
                f"| MQTT QoS 1, 1 reading/message | {vendor} | {s_ours['messages_per_second']:,} msg/s | bare paho "
                f"{s_bare['messages_per_second']:,} msg/s | {broker_run['single_ratio']} | ≥ 0.8 |"
            )
            lines.append(
                f"| MQTT QoS 1, 100 readings/message | {vendor} | {g_ours['readings_per_second']:,}/s | bare paho "
                f"{g_bare['messages_per_second'] * 100:,}/s | "
                f"{round(g_ours['readings_per_second'] / (g_bare['messages_per_second'] * 100), 3)} | ≥ 300,000/s |"
            )
            restart = broker_run["restart"]
            lines.append(
                f"| MQTT restart (SIGKILL at {restart['stored_when_killed']:,}) | {vendor} | "
                f"lost {restart['lost']}, doubled {restart['doubled_in_rollups']} of {restart['expected']:,} | — | — | 0 and 0 |"
            )
        queries = parts.get("queries")
        if queries:
            size = f"{queries['meters']:,} meters × {queries['days']} days = {queries['raw_rows']:,} rows"
            lines.append(
                f"| one meter's hourly year ({size}) | {vendor} | {queries['meter_hourly_year_rollup']['p50_ms']} ms "
                f"| raw GROUP BY {queries['meter_hourly_year_raw']['p50_ms']} ms | {queries['meter_hourly_speedup']}× "
                f"| ≤ 20 ms, ≥ 20× |"
            )
            lines.append(
                f"| the same, SQL only (rows fetched, no ORM, no datetimes) | {vendor} | "
                f"{queries['meter_hourly_year_rollup_sql']['p50_ms']} ms | raw GROUP BY "
                f"{queries['meter_hourly_year_raw']['p50_ms']} ms | {queries['meter_hourly_sql_speedup']}× | ≥ 20× |"
            )
            lines.append(
                f"| one project's daily totals ({queries['project_meters']} meters, a year) | {vendor} | "
                f"{queries['project_daily_rollup']['p50_ms']} ms | raw GROUP BY {queries['project_daily_raw']['p50_ms']} ms "
                f"| {queries['project_daily_speedup']}× | ≤ 100 ms, ≥ 20× |"
            )
            storage = queries["storage"]
            lines.append(
                f"| bytes per stored reading at {queries['raw_rows']:,} rows | {vendor} | {storage['bytes_per_reading']} B "
                f"{_rollups(vendor, storage)} | — | — | ≤ 60 B PG / ≤ 30 B SQLite |"
            )
    return "\n".join(lines)


def main() -> int:
    config = load()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    result: dict[str, Any] = {"config": config.as_dict(), "machine": fingerprint(), "databases": {}}
    with contextlib.suppress(OSError):
        result["loadavg_before"] = os.getloadavg()[0]
    for vendor, url in _databases(config).items():
        parts: dict[str, Any] = {}
        result["databases"][vendor] = parts
        if not config.reuse:
            _log(f"{vendor}: fresh database")
            _fresh(vendor, url, config)
        setup = child(
            url,
            "setup",
            projects=config.query_projects,
            meters=max(config.ingest_meters, config.query_meters),
            ingest_meters=config.ingest_meters,
        )
        project = setup["projects"][0]
        if config.wants("ingest"):
            _log(f"{vendor}: bulk ingestion, {config.ingest_meters} meters × {config.ingest_steps} steps")
            parts["ingest"] = child(url, "ingest", meters=config.ingest_meters, steps=config.ingest_steps)
        if vendor == "postgresql" and config.wants("http"):
            _log(f"{vendor}: HTTP batch endpoint")
            child(url, "reset")
            parts["http"] = http(url, config, project, config.ingest_meters)
        if vendor == "postgresql" and config.wants("mqtt") and shutil.which("mosquitto"):
            _log(f"{vendor}: MQTT")
            parts["mqtt"] = mqtt(url, config, project, config.ingest_meters)
        if config.wants("queries"):
            _log(f"{vendor}: queries over {config.query_meters} meters × {config.query_days} days")
            parts["queries"] = child(
                url,
                "queries",
                meters=config.query_meters,
                days=config.query_days,
                repeats=config.repeats,
                projects=setup["projects"],
            )
        _log(f"{vendor}: done")
    with contextlib.suppress(OSError):
        result["loadavg_after"] = os.getloadavg()[0]
    table = markdown(result)
    result["table"] = table
    path = write_json(result, f"energy-{stamp}")
    print(table)
    print(f"\nJSON: {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
