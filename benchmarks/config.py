"""Benchmark parameters, read from ``BENCH_*`` environment variables so a run can be shortened or resized."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "var" / "bench"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
HOST = "127.0.0.1"  # Traffic never leaves this machine.


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def _str(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


@dataclass(frozen=True)
class Config:
    """One run's knobs. Sizes default to the B7 data set; durations keep ``make bench`` near five minutes."""

    orders: int
    projects: int
    companies: int
    buildings: int
    staff: int
    warmup_seconds: int
    seconds: int
    list_connections: int
    create_connections: int
    workers: int
    create_threads: int
    postgres_url: str
    postgres_database: str
    seed: int
    only: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["postgres_url"] = self.postgres_url.split("@")[-1]  # host and port only, never a password
        return data

    def wants(self, part: str) -> bool:
        return not self.only or part in self.only.split(",")


def load() -> Config:
    orders = _int("BENCH_ORDERS", 100_000)
    # Smaller development runs shrink the registry with the orders so each project keeps about 20 orders.
    projects = _int("BENCH_PROJECTS", max(50, min(5_000, orders // 20)))
    return Config(
        orders=orders,
        projects=projects,
        companies=_int("BENCH_COMPANIES", max(5, projects // 100)),
        buildings=_int("BENCH_BUILDINGS", 200),
        staff=_int("BENCH_STAFF", 300),
        warmup_seconds=_int("BENCH_WARMUP", 5),
        seconds=_int("BENCH_SECONDS", 15),
        list_connections=_int("BENCH_LIST_CONNECTIONS", 16),
        create_connections=_int("BENCH_CREATE_CONNECTIONS", 64),
        workers=_int("BENCH_WORKERS", 2),
        create_threads=_int("BENCH_CREATE_THREADS", 8),
        postgres_url=_str("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/"),
        postgres_database=_str("BENCH_POSTGRES_DB", "haofuwu_bench"),
        seed=_int("BENCH_RANDOM_SEED", 20250701),
        # Comma-separated subset of "pg-list,pg-create,sqlite-create"; empty runs everything.
        only=_str("BENCH_ONLY", ""),
    )
