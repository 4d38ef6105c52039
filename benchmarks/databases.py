"""The benchmark databases, handled without Django: the seed marker, PostgreSQL create/clone/drop and settings,
and the SQLite template file."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.config import BENCH_DIR, REPO, Config

SEED_ACTION = "bench.seed"
# What we record of the server; the run never changes any of it.
PG_SETTINGS = (
    "server_version",
    "shared_buffers",
    "effective_cache_size",
    "work_mem",
    "maintenance_work_mem",
    "max_connections",
    "synchronous_commit",
    "fsync",
    "wal_level",
    "max_wal_size",
    "checkpoint_timeout",
    "random_page_cost",
    "jit",
    "max_parallel_workers_per_gather",
    "default_statistics_target",
)


def seed_params(config: Config) -> dict[str, Any]:
    params = {
        "orders": config.orders,
        "projects": config.projects,
        "companies": config.companies,
        "buildings": config.buildings,
        "staff": config.staff,
        "seed": config.seed,
    }
    params["marker"] = marker(params)
    return params


def marker(params: dict[str, Any]) -> str:
    """Changes when the sizes, the seeding code or any migration changes, so a stale data set is rebuilt."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode())
    digest.update((REPO / "benchmarks" / "seed.py").read_bytes())
    for path in sorted(REPO.glob("haofuwu/*/migrations/*.py")):
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def code_digest() -> str:
    """A hash of the application's Python files, to notice others changing the tree during a run."""
    digest = hashlib.sha256()
    for path in sorted(REPO.glob("haofuwu/**/*.py")):
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


# PostgreSQL ---------------------------------------------------------------------------------------------------


def pg_url(config: Config, database: str) -> str:
    return config.postgres_url.rstrip("/") + "/" + database


def _admin(config: Config) -> Any:
    import psycopg

    return psycopg.connect(pg_url(config, "postgres"), autocommit=True, connect_timeout=5)


def pg_available(config: Config) -> str:
    """Empty when PostgreSQL answers, else why not."""
    try:
        _admin(config).close()
    except Exception as error:  # any driver or network failure means "skip PostgreSQL"
        return f"{type(error).__name__}: {error}".strip()
    return ""


def pg_marker(config: Config, database: str) -> str | None:
    """The marker of the data set in ``database``, or None when it is missing or unmarked."""
    import psycopg

    try:
        with psycopg.connect(pg_url(config, database), connect_timeout=5) as connection:
            row = connection.execute(
                "SELECT data->>'marker' FROM core_auditentry WHERE action = %s ORDER BY id DESC LIMIT 1",
                [SEED_ACTION],
            ).fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


def pg_recreate(config: Config, database: str, *, template: str | None = None) -> None:
    from psycopg import sql

    with _admin(config) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
        if template:
            connection.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(database), sql.Identifier(template))
            )
        else:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def pg_drop(config: Config, database: str) -> None:
    from psycopg import sql

    with _admin(config) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


def pg_settings(config: Config, database: str) -> dict[str, Any]:
    """The server's current settings, and the median latency of a durable single-row commit."""
    import psycopg

    found: dict[str, Any] = {}
    with psycopg.connect(pg_url(config, database), autocommit=True) as connection:
        for name in PG_SETTINGS:
            row = connection.execute(f"SHOW {name}").fetchone()
            found[name] = row[0] if row else None
        connection.execute("DROP TABLE IF EXISTS bench_commit_probe")
        connection.execute("CREATE TABLE bench_commit_probe (id serial PRIMARY KEY, at timestamptz)")
        latencies = []
        for _ in range(200):
            started = time.perf_counter()
            connection.execute("INSERT INTO bench_commit_probe (at) VALUES (now())")
            latencies.append(time.perf_counter() - started)
        connection.execute("DROP TABLE bench_commit_probe")
        size = connection.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()
    found["commit_latency_median_ms"] = round(statistics.median(latencies) * 1000, 3)
    found["database_size"] = size[0] if size else None
    return found


def pg_backend_pids(config: Config, database: str) -> list[int]:
    """Server processes of the client connections to ``database`` (the benchmark server's), for CPU accounting."""
    connection = _watchers.get(config.postgres_url)
    if connection is None or connection.closed:
        connection = _watchers[config.postgres_url] = _admin(config)
    rows = connection.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'", [database]
    ).fetchall()
    return [int(row[0]) for row in rows]


_watchers: dict[str, Any] = {}  # one connection per server for the CPU sampler, polled twice a second


def pg_count(config: Config, database: str, table: str) -> int:
    import psycopg

    with psycopg.connect(pg_url(config, database)) as connection:
        row = connection.execute(f"SELECT count(*) FROM {table}").fetchone()  # table names are ours, not input
    return int(row[0]) if row else 0


# SQLite -------------------------------------------------------------------------------------------------------


def sqlite_template(params: dict[str, Any]) -> Path:
    return BENCH_DIR / f"seed-{params['marker']}.sqlite3"


def sqlite_marker(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        with sqlite3.connect(path) as connection:
            row = connection.execute(
                "SELECT json_extract(data, '$.marker') FROM core_auditentry WHERE action = ? ORDER BY id DESC",
                [SEED_ACTION],
            ).fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def sqlite_count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        row = connection.execute(f"SELECT count(*) FROM {table}").fetchone()  # table names are ours, not input
    return int(row[0]) if row else 0


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def sqlite_seed(path: Path, stale: str, seed: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """Seed a new SQLite file at ``path`` with ``seed(database_url)``, removing the files of older markers (the
    ``stale`` glob in the bench directory) first. The file is built under another name and renamed when complete,
    so that an interrupted seed never leaves a file that looks ready."""
    for old in BENCH_DIR.glob(stale):
        remove_sqlite(old)
    building = path.with_suffix(".building")
    remove_sqlite(building)
    built = seed(f"sqlite:///{building}")
    remove_sqlite(Path(f"{building}-wal"))
    building.rename(path)
    return built
