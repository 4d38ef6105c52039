"""The Django side of the energy benchmarks, run in a subprocess per database:
``python -m benchmarks.energy.child <action> '<json params>'`` prints one JSON object on its last line.

Actions: ``setup`` (migrate, one company, projects and meters), ``ingest`` (service layer against raw
COPY/executemany on the same keyed table, replay cost, bytes per reading), ``key`` (an ingestion key),
``count`` (readings and rollup samples), ``queries`` (seed a year of data server-side and time the rollup queries
against GROUP BY over raw).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from typing import Any

import django

TZ_OFFSET = 8 * 3600
START = 1_735_660_800  # 2025-01-01T00:00:00+08:00


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haofuwu.settings")
    django.setup()


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def setup(params: dict[str, Any]) -> dict[str, Any]:
    """Migrate and create a company, ``projects`` projects and ``meters`` interval meters spread over them."""
    from django.core.management import call_command

    from haofuwu.energy.models import Meter
    from haofuwu.estates.models import Company, Project

    call_command("migrate", verbosity=0)
    company, _created = Company.objects.get_or_create(
        name="能耗基准物业", defaults={"credit_code": "91370100MA3BENCH01"}
    )
    projects = []
    for index in range(params["projects"]):
        project, _created = Project.objects.get_or_create(
            company=company,
            name=f"基准小区{index + 1}",
            defaults={"district": "370102", "address": "济南", "floor_area": 100_000, "household_count": 800},
        )
        projects.append(project)
    existing = Meter.objects.count()
    wanted = params["meters"]
    Meter.objects.bulk_create(
        [
            Meter(
                project=projects[number % len(projects)],
                external_id=f"M{number:06d}",
                name=f"表{number}",
                kind="electricity",
                scope="public_lighting",
                unit="kWh",
                reading_type="interval",
            )
            for number in range(existing, wanted)
        ],
        batch_size=2000,
    )
    # The ingestion runs (service layer, HTTP, MQTT) send the readings of the first meters to the first project.
    first = Meter.objects.order_by("pk").values_list("pk", flat=True)[: params.get("ingest_meters", 0)]
    Meter.objects.filter(pk__in=list(first)).update(project_id=projects[0].pk)
    return {"meters": Meter.objects.count(), "projects": [p.pk for p in projects]}


def _rows(meter_ids: list[int], steps: int, first_step: int = 0) -> list[tuple[int, int, float]]:
    """Time-major rows (every meter at t0, then t1…), values with a fixed pattern (no randomness to pay for)."""
    return [
        (meter_id, START + step * 900, float((meter_id * 7 + step) % 13) / 4)
        for step in range(first_step, first_step + steps)
        for meter_id in meter_ids
    ]


def _truncate() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE energy_reading, energy_hourly, energy_daily, energy_monthly")
        else:
            for table in ("energy_reading", "energy_hourly", "energy_daily", "energy_monthly"):
                cursor.execute(f"DELETE FROM {table}")
        cursor.execute("UPDATE energy_meter SET last_ts = NULL, last_value = NULL")


def _storage() -> dict[str, Any]:
    """Bytes of the raw table (data and indexes) per stored reading."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM energy_reading")
        rows = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(SUM(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('energy_reading')"
            )
            size = cursor.fetchone()[0]
            cursor.execute(
                "SELECT COALESCE(SUM(pg_total_relation_size(t)), 0) FROM unnest(ARRAY['energy_hourly', "
                "'energy_daily', 'energy_monthly']) t"
            )
            rollups = cursor.fetchone()[0]
        else:
            # Without the dbstat table (a compile-time option), count pages: the table and its key are one b-tree
            # (WITHOUT ROWID), so its pages are the pages in use minus those of everything else, measured empty.
            size = _sqlite_used_bytes(cursor) - _SQLITE_EMPTY.get("bytes", 0)
            rollups = 0
    return {
        "raw_rows": rows,
        "raw_bytes": size,
        "bytes_per_reading": round(size / rows, 1) if rows else None,
        "rollup_bytes": rollups,
        "rollup_bytes_per_reading": round(rollups / rows, 1) if rows else None,
    }


_SQLITE_EMPTY: dict[str, int] = {}


def _sqlite_used_bytes(cursor: Any) -> int:
    cursor.execute("PRAGMA page_count")
    pages = cursor.fetchone()[0]
    cursor.execute("PRAGMA freelist_count")
    free = cursor.fetchone()[0]
    cursor.execute("PRAGMA page_size")
    return int((pages - free) * cursor.fetchone()[0])


def _sqlite_mark_empty() -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            _SQLITE_EMPTY["bytes"] = _sqlite_used_bytes(cursor)


def _raw_copy(rows: list[tuple[int, int, float]]) -> float:
    """The baseline: the same rows into the same keyed table, as fast as the driver allows, in one transaction."""
    from django.db import connection, transaction

    from haofuwu.energy.ingest.payloads import Buckets
    from haofuwu.energy.ingest.writer import ensure_partitions

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from django.utils import timezone

            buckets = Buckets(timezone.get_default_timezone())
            ensure_partitions({buckets(ts)[2] for ts in {row[1] for row in rows}}, buckets.tz)
            with cursor.cursor.copy("COPY energy_reading (meter_id, ts, value) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "int8", "float8"])
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.execute("PRAGMA cache_size = -65536")
            cursor.executemany("INSERT INTO energy_reading (meter_id, ts, value) VALUES (%s, %s, %s)", rows)
    return time.perf_counter() - started


def ingest(params: dict[str, Any]) -> dict[str, Any]:
    """Our service layer (validation, idempotent write, rollup upkeep) against the raw baseline, same rows."""
    from django.utils import timezone

    from haofuwu.energy.ingest.service import BULK_BATCH, MAX_BATCH, readings_ingest
    from haofuwu.energy.models import Meter

    meters = list(Meter.objects.order_by("pk").values_list("pk", "external_id", "project_id")[: params["meters"]])
    project_id = meters[0][2]
    Meter.objects.filter(pk__in=[m[0] for m in meters]).update(project_id=project_id)
    ids = [m[0] for m in meters]
    external = {m[0]: m[1] for m in meters}
    rows = _rows(ids, params["steps"])
    tz = timezone.get_default_timezone()
    import datetime as dt

    # What a client sends: device ids and ISO-8601 times.
    iso = {ts: dt.datetime.fromtimestamp(ts, tz).isoformat() for ts in {row[1] for row in rows}}
    bodies = [{"meter": external[m], "ts": iso[ts], "value": v} for m, ts, v in rows]
    now = dt.datetime.fromtimestamp(START + params["steps"] * 900 + 3600, dt.UTC)
    results: dict[str, Any] = {"rows": len(rows), "vendor": _vendor()}
    # The first size is the bulk call the file import makes (BULK_BATCH); the others are reported beside it (10,000
    # is what one HTTP request carries).
    sizes = params.get("batches", [BULK_BATCH, MAX_BATCH])
    runs_ours: dict[int, list[float]] = {size: [] for size in sizes}
    runs_raw = []
    for _round in range(params.get("rounds", 2)):
        for size in sizes:
            _truncate()
            _sqlite_mark_empty()
            started = time.perf_counter()
            stored = 0
            for start in range(0, len(bodies), size):
                stored += readings_ingest(project_id=project_id, readings=bodies[start : start + size], now=now).stored
            runs_ours[size].append(time.perf_counter() - started)
            assert stored == len(rows), stored
        results["storage"] = _storage()
        replay_started = time.perf_counter()
        again = readings_ingest(project_id=project_id, readings=bodies[-10_000:], now=now)
        results["replay_10k_seconds"] = round(time.perf_counter() - replay_started, 4)
        assert again.stored == 0 and again.already_present == min(10_000, len(rows))
        _truncate()
        _sqlite_mark_empty()
        runs_raw.append(_raw_copy(rows))
        results["raw_storage"] = _storage()
    raw = min(runs_raw)
    ours = min(runs_ours[sizes[0]])
    results.update(
        batch=sizes[0],
        ours_seconds=round(ours, 3),
        raw_seconds=round(raw, 3),
        ours_per_second=round(len(rows) / ours),
        raw_per_second=round(len(rows) / raw),
        efficiency=round(raw / ours, 3),
        by_batch={size: round(len(rows) / min(runs)) for size, runs in runs_ours.items()},
        replay_per_second=round(min(10_000, len(rows)) / results["replay_10k_seconds"]),
    )
    _truncate()
    return results


def key(params: dict[str, Any]) -> dict[str, Any]:
    from haofuwu.energy.models import IngestKey
    from haofuwu.energy.services.keys import KEY_PREFIX, _digest

    raw = f"{KEY_PREFIX}bench-{params['project']}"
    IngestKey.objects.get_or_create(digest=_digest(raw), defaults={"project_id": params["project"], "prefix": raw[:12]})
    return {"key": raw}


def count(params: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM energy_reading")
        readings = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(SUM(samples), 0) FROM energy_hourly")
        samples = cursor.fetchone()[0]
    return {"readings": readings, "hourly_samples": int(samples)}


def reset(params: dict[str, Any]) -> dict[str, Any]:
    _truncate()
    return {}


def _timed(function, repeats: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    function()  # warm-up
    times = []
    for _n in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2)}


def queries(params: dict[str, Any]) -> dict[str, Any]:
    """Seed a year of 15-minute data (server-side on PostgreSQL, executemany on SQLite), build the rollups, then
    time one meter's hourly year and one project's daily totals from rollups and as GROUP BY over raw."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from haofuwu.energy.models import Meter
    from haofuwu.energy.selectors import usage_series

    tz = timezone.get_default_timezone()
    steps = params["days"] * 96
    end_ts = START + steps * 900
    seeded = count({})["readings"] == params["meters"] * steps
    seed_seconds = 0.0 if seeded else _seed_year(params["meters"], steps)
    ids = list(Meter.objects.order_by("pk").values_list("pk", flat=True)[: params["meters"]])
    projects = sorted(set(Meter.objects.values_list("project_id", flat=True)) | set(params.get("projects", [])))
    for index in range(len(projects)):
        Meter.objects.filter(pk__in=ids[index :: len(projects)]).update(project_id=projects[index])
    meter_id = ids[0]
    project_id = Meter.objects.filter(pk=meter_id).values_list("project_id", flat=True).get()
    project_meters = list(Meter.objects.filter(project_id=project_id).values_list("pk", flat=True))
    start = dt.datetime.fromtimestamp(START, tz)
    end = dt.datetime.fromtimestamp(end_ts, tz)
    placeholders = ", ".join(["%s"] * len(project_meters))

    def hourly_rollup() -> int:
        return len(usage_series([meter_id], "hour", start, end))

    def hourly_raw() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ts - ts %% 3600 AS hour, SUM(value) FROM energy_reading WHERE meter_id = %s AND ts >= %s "
                "AND ts < %s GROUP BY 1 ORDER BY 1",
                [meter_id, START, end_ts],
            )
            return len(cursor.fetchall())

    def hourly_rollup_sql() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT hour, consumption, samples FROM energy_hourly WHERE meter_id = %s AND hour >= %s "
                "AND hour < %s ORDER BY hour",
                [meter_id, START, end_ts],
            )
            return len(cursor.fetchall())

    def daily_rollup() -> int:
        return len(usage_series(project_meters, "day", start, end))

    def daily_raw() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (ts + {TZ_OFFSET}) / 86400 AS day, SUM(value) FROM energy_reading "
                f"WHERE meter_id IN ({placeholders}) AND ts >= %s AND ts < %s GROUP BY 1 ORDER BY 1",
                [*project_meters, START, end_ts],
            )
            return len(cursor.fetchall())

    assert hourly_rollup() == hourly_raw(), "the rollup and raw disagree on the number of hours"
    repeats = params["repeats"]
    result = {
        "vendor": _vendor(),
        "meters": params["meters"],
        "days": params["days"],
        "raw_rows": count({})["readings"],
        "seed_seconds": round(seed_seconds, 1),
        "project_meters": len(project_meters),
        "meter_hourly_year_rollup": _timed(hourly_rollup, repeats),
        "meter_hourly_year_rollup_sql": _timed(hourly_rollup_sql, repeats),
        "meter_hourly_year_raw": _timed(hourly_raw, max(3, repeats // 4)),
        "project_daily_rollup": _timed(daily_rollup, repeats),
        "project_daily_raw": _timed(daily_raw, max(3, repeats // 4)),
    }
    result["meter_hourly_speedup"] = round(
        result["meter_hourly_year_raw"]["p50_ms"] / result["meter_hourly_year_rollup"]["p50_ms"], 1
    )
    result["meter_hourly_sql_speedup"] = round(
        result["meter_hourly_year_raw"]["p50_ms"] / result["meter_hourly_year_rollup_sql"]["p50_ms"], 1
    )
    result["project_daily_speedup"] = round(
        result["project_daily_raw"]["p50_ms"] / result["project_daily_rollup"]["p50_ms"], 1
    )
    result["storage"] = _storage()
    return result


def _seed_year(meters: int, steps: int) -> float:
    """Raw readings for every meter and step, then the rollups built from them once (a full rebuild, which is what
    the incremental writer avoids in normal operation; here it only prepares the data to query)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from haofuwu.energy.ingest.payloads import Buckets
    from haofuwu.energy.ingest.writer import ensure_partitions
    from haofuwu.energy.models import Meter

    ids = list(Meter.objects.order_by("pk").values_list("pk", flat=True)[:meters])
    started = time.perf_counter()
    _truncate()
    _sqlite_mark_empty()
    end_ts = START + steps * 900
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buckets = Buckets(timezone.get_default_timezone())
            ensure_partitions({buckets(ts)[2] for ts in range(START, end_ts, 86400)}, buckets.tz)
            cursor.execute(
                "INSERT INTO energy_reading (meter_id, ts, value) SELECT m, ts, ((m * 7 + ts / 900) %% 13) / 4.0 "
                "FROM unnest(%s::bigint[]) m CROSS JOIN generate_series(%s::bigint, %s::bigint, 900) ts",
                [ids, START, end_ts - 900],
            )
            day = "((to_timestamp(hour) AT TIME ZONE 'Asia/Shanghai')::date)"
        else:
            cursor.execute("PRAGMA cache_size = -262144")
            for meter_id in ids:
                cursor.executemany(
                    "INSERT INTO energy_reading (meter_id, ts, value) VALUES (%s, %s, %s)",
                    [(meter_id, ts, ((meter_id * 7 + ts // 900) % 13) / 4.0) for ts in range(START, end_ts, 900)],
                )
            day = f"date(hour + {TZ_OFFSET}, 'unixepoch')"
        cursor.execute(
            "INSERT INTO energy_hourly (meter_id, hour, consumption, samples) "
            "SELECT meter_id, ts - ts % 3600, SUM(value), COUNT(*) FROM energy_reading GROUP BY meter_id, ts - ts % 3600"
        )
        cursor.execute(
            f"INSERT INTO energy_daily (meter_id, day, consumption, samples) "
            f"SELECT meter_id, {day}, SUM(consumption), SUM(samples) FROM energy_hourly GROUP BY meter_id, {day}"
        )
        month = "date_trunc('month', day)::date" if connection.vendor == "postgresql" else "date(day, 'start of month')"
        cursor.execute(
            f"INSERT INTO energy_monthly (meter_id, month, consumption, samples) "
            f"SELECT meter_id, {month}, SUM(consumption), SUM(samples) FROM energy_daily GROUP BY meter_id, {month}"
        )
    with connection.cursor() as cursor:
        # PostgreSQL: a vacuum sets the visibility map, as autovacuum does for a table that keeps receiving rows, so
        # that a meter's chart reads the hourly key alone (index-only scan) instead of 8,760 scattered heap pages.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


ACTIONS = {"setup": setup, "ingest": ingest, "key": key, "count": count, "reset": reset, "queries": queries}


def main() -> int:
    _setup_django()
    action, params = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    result = ACTIONS[action](params)
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
