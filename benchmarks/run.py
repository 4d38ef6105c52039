"""B7 orchestration: seed (or reuse) the databases, start gunicorn, drive wrk, record and print the figures.

Phases, each skipped with a note when its database is unavailable (``BENCH_ONLY`` picks a subset):

* ``pg-list``: one gunicorn (sync workers) on PostgreSQL; ``/bench/hello``, ``/bench/plain-list`` and
  ``GET /api/v1/work-orders`` as the platform administrator, then plain and API list as a project manager.
* ``pg-create``: a copy of the PostgreSQL data set (``CREATE DATABASE … TEMPLATE``), gthread workers, ``POST``.
* ``sqlite-create``: a fresh copy of the seeded SQLite file, gthread workers, ``POST``; 5xx and "database is
  locked" counted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import cpu, databases, report
from benchmarks.config import BENCH_DIR, REPO, Config, load
from benchmarks.load import Generator, Workload, find_generator, get_paths
from benchmarks.servers import count_in_log, gunicorn, run_json

LIST_PATH = "/api/v1/work-orders"
PLAIN_PATH = "/bench/plain-list"
LOCKED = "database is locked"
ORDERS_TABLE = "workorders_workorder"


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _seed_subprocess(action: str, database_url: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run ``benchmarks.seed`` against one database in its own process (Django settings are per process)."""
    return run_json("benchmarks.seed", [action, "--params", json.dumps(params)], database_url)


class Bench:
    def __init__(self, config: Config, generator: Generator, stamp: str) -> None:
        self.config = config
        self.generator = generator
        self.logs = BENCH_DIR / "logs" / stamp
        self.params = databases.seed_params(config)
        self.db_pids: Any = None  # PostgreSQL backends serving the server under test, for CPU per request
        self.result: dict[str, Any] = {
            "benchmark": "B7 work-order API",
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "command": _command(),
            "config": config.as_dict(),
            "seed_marker": self.params["marker"],
            "code_digest": databases.code_digest(),
            "machine": report.fingerprint(),
            "load_generator": generator.describe(),
            "runs": [],
            "notes": [],
        }

    # One measured endpoint ----------------------------------------------------------------------------------

    def measure(
        self,
        server: Any,
        name: str,
        label: str,
        db: str,
        workload: Workload,
        *,
        connections: int,
        baseline: str | None = None,
        target: str = "",
        check: Any = None,
        db_pids: Any = None,
    ) -> dict[str, Any]:
        _log(
            f"{label} on {db}: warm-up {self.config.warmup_seconds} s, then {self.config.seconds} s at c={connections}"
        )
        load_before = _loadavg()
        warmup = None
        if self.config.warmup_seconds:
            warmup = self.generator.run(
                server.base_url, workload, connections=connections, seconds=self.config.warmup_seconds
            )
        db_pids = db_pids or self.db_pids or list
        with cpu.Sampler(lambda: cpu.family(server.pid)) as app_cpu, cpu.Sampler(db_pids) as db_cpu:
            measure = self.generator.run(
                server.base_url, workload, connections=connections, seconds=self.config.seconds
            )
        app_spent, db_spent = app_cpu.seconds, db_cpu.seconds
        requests = max(1, measure["requests"])
        measure["cpu_ms_per_request"] = {
            "app": round(app_spent * 1000 / requests, 3),
            "db": round(db_spent * 1000 / requests, 3),
            "total": round((app_spent + db_spent) * 1000 / requests, 3),
        }
        # What the server could answer if it had every CPU to itself and the load generator cost nothing.
        total = measure["cpu_ms_per_request"]["total"]
        measure["cpu_ceiling_rps"] = round(len(os.sched_getaffinity(0)) * 1000 / total) if total else None
        run: dict[str, Any] = {
            "name": name,
            "label": label,
            "db": db,
            "server": f"{server.workers}×{server.worker_class}" + (f"×{server.threads}" if server.threads > 1 else ""),
            "server_detail": server.describe(),
            "connections": connections,
            "method": workload.method,
            "distinct_requests": len(workload.bodies or workload.paths),
            "example": (workload.bodies or workload.paths)[0],
            "loadavg_before": load_before,
            "warmup": warmup,
            "measure": measure,
            "baseline": baseline,
            "target": target or "—",
        }
        base = next((item for item in self.result["runs"] if item["name"] == baseline), None)
        if base and base["measure"]["rps"]:
            run["ratio"] = round(measure["rps"] / base["measure"]["rps"], 3)
            # The same ratio from server CPU per request (gunicorn + PostgreSQL backends), which other load on the
            # machine disturbs far less than throughput.
            if measure["cpu_ms_per_request"]["total"]:
                run["ratio_cpu"] = round(
                    base["measure"]["cpu_ms_per_request"]["total"] / measure["cpu_ms_per_request"]["total"], 3
                )
        run["met"] = check(run) if check else None
        self.result["runs"].append(run)
        m = measure
        _log(
            f"  {m['rps']:.0f} rps, p50 {m['latency_ms']['p50']:.1f} / p95 {m['latency_ms']['p95']:.1f} / "
            f"p99 {m['latency_ms']['p99']:.1f} ms, status {m['status']}, errors {m['errors']}, "
            f"CPU/request {m['cpu_ms_per_request']}"
        )
        return run

    # PostgreSQL ---------------------------------------------------------------------------------------------

    def postgres(self) -> None:
        config = self.config
        why = databases.pg_available(config)
        if why:
            self.result["notes"].append(f"PostgreSQL skipped: not reachable at {config.postgres_url} ({why})")
            return
        name = config.postgres_database
        url = databases.pg_url(config, name)
        if databases.pg_marker(config, name) == self.params["marker"]:
            _log(f"PostgreSQL {name}: seed marker matches, reusing the data set")
            self.result["pg_seed"] = {"database": name, "reused": True}
        else:
            _log(f"PostgreSQL {name}: no matching seed marker; dropping, recreating and seeding")
            databases.pg_recreate(config, name)
            built = _seed_subprocess("build", url, self.params)
            self.result["pg_seed"] = {"database": name, "reused": False, **built}
            _log(f"  seeded {built['counts']} in {built['timings']}")
        fixtures = _seed_subprocess("prepare", url, self.params)
        self.result["postgres"] = databases.pg_settings(config, name)
        self.result["data_set"] = fixtures["counts"]
        self.result["rows_per_page"] = {"admin": fixtures["rows_admin"], "manager": fixtures["rows_manager"]}

        if config.wants("pg-list"):
            self.db_pids = lambda: databases.pg_backend_pids(config, name)
            self._lists(url, fixtures)
        if config.wants("pg-create"):
            clone = f"{name}_write"
            databases.pg_recreate(config, clone, template=name)
            self.db_pids = lambda: databases.pg_backend_pids(config, clone)
            try:
                rows_before = databases.pg_count(config, clone, ORDERS_TABLE)
                log = self._create("pg", "PostgreSQL", databases.pg_url(config, clone), fixtures)
                created = databases.pg_count(config, clone, ORDERS_TABLE) - rows_before
                self.result["pg_create"] = self._create_facts("pg", created, log)
            finally:
                self.db_pids = None
                databases.pg_drop(config, clone)

    def _lists(self, url: str, fixtures: dict[str, Any]) -> None:
        c = self.config.list_connections
        admin, manager = fixtures["admin_token"], fixtures["manager_token"]
        scope = fixtures["manager_scope"]

        def list_target(run: dict[str, Any]) -> bool:
            m = run["measure"]
            return (
                m["rps"] >= 700
                and m["latency_ms"]["p95"] <= 40
                and m["status_non_2xx"] == 0
                and run.get("ratio", 0) >= 0.6
            )

        with gunicorn(
            "pg-list",
            database_url=url,
            data_dir=BENCH_DIR,
            log_path=self.logs / "pg-list.log",
            workers=self.config.workers,
        ) as server:
            self.measure(
                server,
                "pg_hello",
                "hello (framework floor)",
                "PostgreSQL",
                Workload("GET", ["/bench/hello"]),
                connections=c,
            )
            self.measure(
                server,
                "pg_plain_admin",
                "plain list, all projects scope (ORM floor)",
                "PostgreSQL",
                Workload("GET", get_paths(PLAIN_PATH, fixtures["list_admin"])),
                connections=c,
                baseline="pg_hello",
            )
            self.measure(
                server,
                "pg_list_admin",
                "API list, platform admin",
                "PostgreSQL",
                Workload("GET", get_paths(LIST_PATH, fixtures["list_admin"]), token=admin),
                connections=c,
                baseline="pg_plain_admin",
                target="≥700 rps, p95 ≤40 ms, overhead ≥0.6",
                check=list_target,
            )
            self.measure(
                server,
                "pg_plain_manager",
                "plain list, manager scope (ORM floor)",
                "PostgreSQL",
                Workload("GET", get_paths(PLAIN_PATH, fixtures["list_manager"], scope)),
                connections=c,
                baseline="pg_hello",
            )
            self.measure(
                server,
                "pg_list_manager",
                "API list, project manager",
                "PostgreSQL",
                Workload("GET", get_paths(LIST_PATH, fixtures["list_manager"]), token=manager),
                connections=c,
                baseline="pg_plain_manager",
                target="≥700 rps, p95 ≤40 ms, overhead ≥0.6",
                check=list_target,
            )

    # Create (both databases) --------------------------------------------------------------------------------

    def _create(self, key: str, db: str, url: str, fixtures: dict[str, Any]) -> Path:
        c = self.config.create_connections
        log = self.logs / f"{key}-create.log"
        minimum = 1000 if key == "pg" else 700

        def create_target(run: dict[str, Any]) -> bool:
            m = run["measure"]
            return (
                m["rps"] >= minimum
                and m["status_5xx"] == 0
                and count_in_log(log, LOCKED) == 0
                and count_in_log(log, "Internal Server Error") == 0
            )

        bodies = [json.dumps(body) for body in fixtures["create_bodies"]]
        with gunicorn(
            f"{key}-create",
            database_url=url,
            data_dir=BENCH_DIR,
            log_path=log,
            workers=self.config.workers,
            threads=self.config.create_threads,
        ) as server:
            self.measure(
                server,
                f"{key}_hello_gthread",
                "hello, gthread server",
                db,
                Workload("GET", ["/bench/hello"]),
                connections=c,
            )
            self.measure(
                server,
                f"{key}_create",
                "API create (POST), platform admin",
                db,
                Workload("POST", [LIST_PATH], bodies=bodies, token=fixtures["admin_token"]),
                connections=c,
                baseline=f"{key}_hello_gthread",
                target=f"≥{minimum} rps, 0 5xx, 0 locked",
                check=create_target,
            )
        return log

    def _create_facts(self, key: str, created: int, log: Path) -> dict[str, Any]:
        run = next(item for item in self.result["runs"] if item["name"] == f"{key}_create")
        answered = sum(part["status"].get(201, 0) for part in (run["warmup"], run["measure"]) if part)
        return {
            "responses_201_incl_warmup": answered,
            "rows_created": created,
            "status_5xx": run["measure"]["status_5xx"] + (run["warmup"] or {}).get("status_5xx", 0),
            "database_is_locked_in_log": count_in_log(log, LOCKED),
            # Django logs every 500 here, including answers wrk no longer waited for at the end of a phase.
            "internal_server_errors_in_log": count_in_log(log, "Internal Server Error"),
            "tracebacks_in_log": count_in_log(log, "Traceback"),
        }

    def sqlite(self) -> None:
        template = databases.sqlite_template(self.params)
        if databases.sqlite_marker(template) == self.params["marker"]:
            _log(f"SQLite {template.name}: seed marker matches, reusing the data set")
            self.result["sqlite_seed"] = {"file": str(template.relative_to(REPO)), "reused": True}
        else:
            _log(f"SQLite: seeding {template.name}")
            built = databases.sqlite_seed(
                template, "seed-*.sqlite3", lambda url: _seed_subprocess("build", url, self.params)
            )
            self.result["sqlite_seed"] = {"file": str(template.relative_to(REPO)), "reused": False, **built}
            _log(f"  seeded {built['counts']} in {built['timings']}")
        fresh = BENCH_DIR / f"create-{self.logs.name}.sqlite3"
        shutil.copyfile(template, fresh)
        try:
            url = f"sqlite:///{fresh}"
            fixtures = _seed_subprocess("prepare", url, self.params)
            rows_before = databases.sqlite_count(fresh, ORDERS_TABLE)
            log = self._create("sqlite", "SQLite", url, fixtures)
            created = databases.sqlite_count(fresh, ORDERS_TABLE) - rows_before
            self.result["sqlite_create"] = self._create_facts("sqlite", created, log)
        finally:
            if not os.environ.get("BENCH_KEEP"):
                databases.remove_sqlite(fresh)


def _loadavg() -> float:
    """1-minute load average before a measurement: anything well above 0 means others share the CPUs."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return -1.0


def _command() -> str:
    settings = " ".join(
        f"{key}={shlex.quote(value)}" for key, value in sorted(os.environ.items()) if key.startswith("BENCH_")
    )
    argv = " ".join(shlex.quote(arg) for arg in sys.argv[1:])
    return f"{settings} {Path(sys.executable).relative_to(REPO) if sys.executable.startswith(str(REPO)) else sys.executable} -m benchmarks {argv}".strip()


def main() -> int:
    config = load()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    generator = find_generator()
    if not generator.wrk:
        _log(f"wrk unavailable, using the Python fallback: {generator.fallback_reason}")
    bench = Bench(config, generator, stamp)
    started = time.monotonic()
    failure = None
    try:
        if config.wants("pg-list") or config.wants("pg-create"):
            bench.postgres()
        if config.wants("sqlite-create"):
            bench.sqlite()
    except Exception as error:  # record what was measured before the failure, then re-raise
        failure = error
        bench.result["notes"].append(f"run failed: {type(error).__name__}: {error}")
    bench.result["wall_seconds"] = round(time.monotonic() - started, 1)
    if databases.code_digest() != bench.result["code_digest"]:
        bench.result["notes"].append(
            "haofuwu/ changed while the benchmark ran (others edit the same tree): the figures may mix two versions"
        )
    busy = [run["loadavg_before"] for run in bench.result["runs"] if run["loadavg_before"] > 1.0]
    if busy:
        bench.result["notes"].append(
            f"the 1-minute load average was above 1 before {len(busy)} of {len(bench.result['runs'])} measurements "
            f"(max {max(busy)}): other processes shared the CPUs, so absolute figures are low; ratios suffer less"
        )
    path = report.write_json(bench.result, stamp)
    print(f"## B7 work-order API — {bench.result['started_at']}\n")
    print(f"Command: `{bench.result['command']}`  (wall time {bench.result['wall_seconds']} s)\n")
    print(report.markdown(bench.result))
    print()
    print("\n".join(report.summary_lines(bench.result)))
    print(f"\nJSON: {path.relative_to(REPO)}")
    if failure:
        raise failure
    return 0
