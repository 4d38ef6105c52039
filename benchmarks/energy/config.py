"""Knobs of the energy benchmarks, from ``BENCH_ENERGY_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

from benchmarks.config import BENCH_DIR

DATA_DIR = BENCH_DIR / "energy"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


@dataclass(frozen=True)
class EnergyConfig:
    ingest_meters: int  # meters of the ingestion runs
    ingest_steps: int  # 15-minute steps per meter (time-major, like live data)
    http_requests: int  # 10,000-reading requests to the HTTP endpoint
    http_clients: int
    mqtt_messages: int  # one-reading messages
    mqtt_gateway_messages: int  # 100-reading messages
    mqtt_rounds: int  # turns of the bare subscriber and the ingestor; each side keeps its best
    query_meters: int  # meters of the query data set (a year of 15-minute data each)
    query_days: int
    query_projects: int
    repeats: int
    postgres_url: str
    postgres_database: str
    only: str
    reuse: bool  # keep the databases of the last run (and a seeded query data set of the same size)

    def wants(self, part: str) -> bool:
        return not self.only or part in self.only.split(",")

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["postgres_url"] = self.postgres_url.split("@")[-1]
        return data


def load() -> EnergyConfig:
    return EnergyConfig(
        ingest_meters=_int("BENCH_ENERGY_INGEST_METERS", 1000),
        ingest_steps=_int("BENCH_ENERGY_INGEST_STEPS", 480),
        http_requests=_int("BENCH_ENERGY_HTTP_REQUESTS", 40),
        http_clients=_int("BENCH_ENERGY_HTTP_CLIENTS", 2),
        mqtt_messages=_int("BENCH_ENERGY_MQTT_MESSAGES", 50_000),
        mqtt_gateway_messages=_int("BENCH_ENERGY_MQTT_GATEWAY_MESSAGES", 10_000),
        mqtt_rounds=_int("BENCH_ENERGY_MQTT_ROUNDS", 3),
        query_meters=_int("BENCH_ENERGY_QUERY_METERS", 1000),
        query_days=_int("BENCH_ENERGY_QUERY_DAYS", 365),
        query_projects=_int("BENCH_ENERGY_QUERY_PROJECTS", 10),
        repeats=_int("BENCH_ENERGY_REPEATS", 20),
        postgres_url=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/"),
        postgres_database=os.environ.get("BENCH_ENERGY_POSTGRES_DB", "haofuwu_bench_energy"),
        # Comma-separated subset of ingest, http, mqtt, queries; empty runs all.
        only=os.environ.get("BENCH_ENERGY_ONLY", ""),
        reuse=os.environ.get("BENCH_ENERGY_REUSE", "") == "1",
    )
