"""Load generation: wrk (Debian package) with a generated Lua script, or a small Python fallback if wrk cannot be
installed. Both return the same dictionary: requests, rps, latency percentiles in ms, errors and status counts."""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.config import HOST

WRK_TIMEOUT = "10s"  # a slow answer is latency, not an error
JSON_PREFIX = "BENCH_JSON "


@dataclass(frozen=True)
class Workload:
    """What each connection sends, over and over: one of ``paths`` (or ``bodies`` when POSTing) at random."""

    method: str
    paths: list[str]
    bodies: list[str] = field(default_factory=list)
    token: str = ""


def get_paths(prefix: str, queries: list[dict[str, str]], extra: dict[str, str] | None = None) -> list[str]:
    return [f"{prefix}?{urlencode({**query, **(extra or {})})}" for query in queries]


@dataclass
class Generator:
    """The load generator found for this run; ``fallback_reason`` is set when it is the Python one."""

    wrk: str | None
    version: str
    fallback_reason: str = ""

    def run(self, base_url: str, workload: Workload, *, connections: int, seconds: int) -> dict[str, Any]:
        if self.wrk:
            return _wrk(self.wrk, base_url, workload, connections=connections, seconds=seconds)
        return _python(base_url, workload, connections=connections, seconds=seconds)

    def describe(self) -> str:
        if self.wrk:
            return f"{self.version} (-t1, Lua script, --timeout {WRK_TIMEOUT})"
        return f"Python threads fallback, because {self.fallback_reason}"


def find_generator() -> Generator:
    """wrk, installed from Debian when missing (we run as root); else the Python fallback, saying why."""
    path = shutil.which("wrk")
    reason = ""
    if path is None:
        if os.geteuid() != 0:
            reason = "wrk is missing and apt-get needs root"
        else:
            for command in (["apt-get", "update"], ["apt-get", "install", "-y", "wrk"]):
                done = subprocess.run(
                    command, capture_output=True, text=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
                )
                if done.returncode != 0:
                    reason = f"`{' '.join(command)}` failed: {done.stderr.strip().splitlines()[-1:]}"
                    break
            path = shutil.which("wrk")
            if path is None and not reason:
                reason = "apt-get installed no wrk"
    if path is None:
        return Generator(None, "python", reason)
    version = subprocess.run([path, "-v"], capture_output=True, text=True).stdout.split("[")[0].strip()
    return Generator(path, version or "wrk")


def _lua_string(text: str) -> str:
    return f"[==[{text}]==]"


def _lua_script(workload: Workload) -> str:
    items = workload.bodies if workload.method == "POST" else workload.paths
    lines = ["local items = {"] + [f"  {_lua_string(item)}," for item in items] + ["}"]
    lines.append(f"local post_path = {_lua_string(workload.paths[0])}")
    if workload.token:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {workload.token}"')
    if workload.method == "POST":
        lines.append('wrk.headers["Content-Type"] = "application/json"')
    lines.append(f'local method = "{workload.method}"')
    lines.append(
        """
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  math.randomseed(7919 * id + 1)
end

function request()
  local item = items[math.random(#items)]
  if method == "POST" then
    return wrk.format("POST", post_path, nil, item)
  end
  return wrk.format("GET", item)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do
    table.insert(parts, string.format('"%d":%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"max":%.1f,"p50":%.1f,"p90":%.1f,"p95":%.1f,"p99":%.1f},"status":{%s}}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), table.concat(parts, ",")))
end
"""
    )
    return "\n".join(lines)


def _wrk(wrk: str, base_url: str, workload: Workload, *, connections: int, seconds: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua_script(workload))
    command = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        WRK_TIMEOUT,
        "-s",
        script.name,
        base_url,
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    finally:
        Path(script.name).unlink(missing_ok=True)
    line = next((row for row in done.stdout.splitlines() if row.startswith(JSON_PREFIX)), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line[len(JSON_PREFIX) :])
    command[command.index(script.name)] = "<script.lua>"
    return _summarise(
        requests=raw["requests"],
        duration_s=raw["duration_us"] / 1e6,
        latency_ms={key: value / 1000 for key, value in raw["latency_us"].items()},
        errors=raw["errors"],
        status={int(key): value for key, value in raw["status"].items()},
        command=" ".join(command),
    )


def _summarise(
    *,
    requests: int,
    duration_s: float,
    latency_ms: dict[str, float],
    errors: dict[str, int],
    status: dict[int, int],
    command: str,
) -> dict[str, Any]:
    return {
        "requests": requests,
        "duration_s": round(duration_s, 2),
        "rps": round(requests / duration_s, 1) if duration_s else 0.0,
        "latency_ms": {key: round(value, 2) for key, value in latency_ms.items()},
        "errors": errors,
        "status": dict(sorted(status.items())),
        "status_5xx": sum(n for code, n in status.items() if code >= 500),
        "status_non_2xx": sum(n for code, n in status.items() if not 200 <= code < 300),
        "command": command,
    }


def _python(base_url: str, workload: Workload, *, connections: int, seconds: int) -> dict[str, Any]:
    """Threads with ``http.client``: far weaker than wrk (it shares the GIL and the two cores), but honest."""
    port = int(base_url.rsplit(":", 1)[1])
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    status: dict[int, int] = {}
    errors = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {workload.token}"} if workload.token else {}
    if workload.method == "POST":
        headers["Content-Type"] = "application/json"

    def client(seed: int) -> None:
        rng = random.Random(seed)
        connection: http.client.HTTPConnection | None = None
        mine: list[float] = []
        codes: dict[int, int] = {}
        while time.monotonic() < stop_at:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, port, timeout=10)
            if workload.method == "POST":
                path, body = workload.paths[0], rng.choice(workload.bodies).encode()
            else:
                path, body = rng.choice(workload.paths), None
            started = time.perf_counter()
            try:
                connection.request(workload.method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    errors["read"] += 1
                connection.close()
                connection = None
                continue
            mine.append((time.perf_counter() - started) * 1000)
            codes[response.status] = codes.get(response.status, 0) + 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                status[code] = status.get(code, 0) + n

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(index,)) for index in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    latencies.sort()

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] if latencies else 0.0

    errors["status"] = sum(n for code, n in status.items() if code >= 400)
    return _summarise(
        requests=len(latencies),
        duration_s=duration,
        latency_ms={
            "mean": sum(latencies) / len(latencies) if latencies else 0.0,
            "max": latencies[-1] if latencies else 0.0,
            "p50": percentile(0.50),
            "p90": percentile(0.90),
            "p95": percentile(0.95),
            "p99": percentile(0.99),
        },
        errors=errors,
        status=status,
        command=f"python fallback, {connections} threads, {seconds} s",
    )
