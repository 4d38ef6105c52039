"""B8 orchestration: seed (or reuse) a copy of the B7 data set on each database, measure in a subprocess, print a
markdown table and write ``benchmarks/results/standard-<UTC timestamp>.json``.

The data set is B7's (``benchmarks/seed.py``, same sizes and knobs), seeded into databases of its own —
``haofuwu_bench_standard`` on PostgreSQL and ``var/bench/standard-<marker>.sqlite3`` — so a B8 run never drops or
changes B7's. Like B7, a data set is reused while its seed marker matches. Never imports Django.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from benchmarks import databases, report
from benchmarks.config import BENCH_DIR, Config, load
from benchmarks.servers import run_json

DATABASE = "haofuwu_bench_standard"
TARGET_ALL_S = 15.0  # all 5,000 projects of a city for one quarter, scorecards stored (issue 4, "Speed")
TARGET_ONE_MS = 50.0


def _log(message: str) -> None:
    print(f"[bench-standard {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _seed(params: dict[str, Any], database_url: str) -> dict[str, Any]:
    return run_json("benchmarks.seed", ["build", "--params", json.dumps(params)], database_url)


def _measure(database_url: str, sample: int) -> dict[str, Any]:
    return run_json("benchmarks.standard.measure", ["--sample", str(sample)], database_url)


def postgres(config: Config, params: dict[str, Any], sample: int) -> dict[str, Any] | None:
    why = databases.pg_available(config)
    if why:
        _log(f"PostgreSQL skipped: {why}")
        return None
    url = databases.pg_url(config, DATABASE)
    if databases.pg_marker(config, DATABASE) != params["marker"]:
        _log(f"PostgreSQL {DATABASE}: seeding the B7 data set")
        databases.pg_recreate(config, DATABASE)
        _seed(params, url)
    else:
        _log(f"PostgreSQL {DATABASE}: seed marker matches, reusing the data set")
    _log("PostgreSQL: measuring")
    return _measure(url, sample)


def sqlite(params: dict[str, Any], sample: int) -> dict[str, Any]:
    path = BENCH_DIR / f"standard-{params['marker']}.sqlite3"
    if databases.sqlite_marker(path) != params["marker"]:
        _log(f"SQLite: seeding {path.name}")
        databases.sqlite_seed(path, "standard-*.sqlite3", lambda url: _seed(params, url))
    else:
        _log(f"SQLite {path.name}: seed marker matches, reusing the data set")
    _log("SQLite: measuring")
    return _measure(f"sqlite:///{path}", sample)


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| database | projects | indicators | all projects, s | s per 1,000 | queries | naive s per 1,000 | speedup | one project, ms (median) | queries (one) | again + rectifications, s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['projects']} | {r['indicators']} | {r['batch']['seconds']:.2f} (target < {TARGET_ALL_S:g} on PostgreSQL) | "
            f"{r['batch']['seconds_per_1000']:.2f} | {r['batch']['queries']} | {r['naive']['seconds_per_1000']:.2f} "
            f"({r['naive']['queries_per_project']:g} queries/project) | {r['scorecard_speedup']}× | "
            f"{r['one_project']['median_ms']} (target < {TARGET_ONE_MS:g}) | {r['one_project']['queries']} | "
            f"{r['batch_with_rectifications']['seconds']:.2f} ({r['batch_with_rectifications']['rectifications_opened']} tasks) |"
        )
    return "\n".join(lines)


def main() -> int:
    config = load()
    params = databases.seed_params(config)
    sample = int(os.environ.get("BENCH_STANDARD_SAMPLE", "200"))
    only = os.environ.get("BENCH_ONLY", "")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    results: dict[str, dict[str, Any]] = {}
    if not only or "sqlite" in only:
        results["SQLite"] = sqlite(params, sample)
    if not only or "pg" in only:
        found = postgres(config, params, sample)
        if found is not None:
            results["PostgreSQL"] = found
    record = {
        "stamp": stamp,
        "config": config.as_dict(),
        "sample": sample,
        "results": results,
        "loadavg": os.getloadavg(),
    }
    report.write_json(record, f"standard-{stamp}")
    print(table(results))
    return 0
