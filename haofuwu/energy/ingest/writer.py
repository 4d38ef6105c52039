"""The batched writer: store a batch of readings once each and keep the rollups in the same transaction.

Every door ends here. Within one transaction the writer

1. locks the batch's meters (PostgreSQL ``FOR UPDATE``; SQLite's ``IMMEDIATE`` transaction already holds the
   single write lock), so two writers never compute a register's consumption from the same previous reading;
2. splits the readings of each meter into those later than its newest stored reading (certainly new: the common,
   fast case) and older ones, which it looks up in one query (replays are found here) and, when really new, places
   among their stored neighbours (``payloads.merge_consumption``), correcting the consumption of the next one;
3. stages the new readings and the corrections — with their hour, day and month — in a temporary table (PostgreSQL
   ``COPY`` in binary, SQLite ``executemany``), inserts the new ones into the raw table with
   ``ON CONFLICT DO NOTHING`` and adds them to the hourly, daily and monthly rollups with one set-based upsert per
   rollup (``GROUP BY`` over the staged rows, never a query per reading and never a recomputation from raw).

On PostgreSQL step 3 is a single statement whose rollup upserts read the raw insert's ``RETURNING`` rows, so a
reading that turned out to be present already can never be counted twice.

The common case — readings later than their meter's newest stored one — takes a shorter way: no staging of every
reading and no ``ON CONFLICT``. The readings go straight into the raw table (PostgreSQL: binary ``COPY`` into the
month's partition, or the parent when the batch spans months; SQLite: ``executemany``) inside a savepoint, and
their consumption, summed per meter and hour in Python over the readings grouped per meter in time order, is
staged as a few rows per meter and added to the three rollups from there. The meter lock and ``Meter.last_ts`` make these readings
certainly new; should one be stored after all (written behind the writer's back), the key refuses the plain
insert, the savepoint undoes it and the batch goes the careful way above, so nothing is ever counted twice.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from haofuwu.core.sql import pg_array
from haofuwu.energy.ingest.payloads import (
    HOUR,
    Buckets,
    MeterInfo,
    append_consumption,
    merge_consumption,
    month_bounds,
)

STAGE_COLUMNS = "meter_id, ts, value, is_new, consumption, hour, day, month"
POSTGRES_STAGE = """
CREATE TEMP TABLE IF NOT EXISTS energy_stage (
    meter_id bigint, ts bigint, value double precision, is_new boolean, consumption double precision,
    hour bigint, day date, month date
) ON COMMIT DELETE ROWS
"""
SQLITE_STAGE = """
CREATE TEMP TABLE IF NOT EXISTS energy_stage (
    meter_id integer, ts integer, value real, is_new integer, consumption real, hour integer, day text, month text
)
"""
PROBE_TABLE = "CREATE TEMP TABLE IF NOT EXISTS energy_probe (meter_id bigint, ts bigint)"
# The fast path's consumption per meter and hour (``n`` readings in it).
HOUR_COLUMNS = "meter_id, hour, day, month, consumption, n, fresh"
POSTGRES_HOUR_STAGE = """
CREATE TEMP TABLE IF NOT EXISTS energy_stage_hour (
    meter_id bigint, hour bigint, day date, month date, consumption double precision, n bigint, fresh boolean
) ON COMMIT DELETE ROWS
"""

_ROLLUPS = (("energy_hourly", "hour"), ("energy_daily", "day"), ("energy_monthly", "month"))


def _upsert(table: str, key: str, source: str, samples: str) -> str:
    return (
        f"INSERT INTO {table} AS t (meter_id, {key}, consumption, samples) "
        f"SELECT meter_id, {key}, SUM(consumption), SUM({samples}) FROM {source} WHERE true GROUP BY meter_id, {key} "
        f"ON CONFLICT (meter_id, {key}) DO UPDATE SET consumption = t.consumption + excluded.consumption, "
        f"samples = t.samples + excluded.samples"
    )


POSTGRES_WRITE = f"""
WITH new AS (
    INSERT INTO energy_reading (meter_id, ts, value)
    SELECT meter_id, ts, value FROM energy_stage WHERE is_new
    ON CONFLICT DO NOTHING
    RETURNING meter_id, ts
), contribution AS (
    SELECT s.meter_id, s.hour, s.day, s.month, s.consumption, 1 AS n FROM energy_stage s JOIN new USING (meter_id, ts)
    UNION ALL
    SELECT meter_id, hour, day, month, consumption, 0 FROM energy_stage WHERE NOT is_new
), by_hour AS (
    -- An hour lies in one day and one month, so the day and month upserts read these few rows, not every reading.
    SELECT meter_id, hour, day, month, SUM(consumption) AS consumption, SUM(n) AS n
    FROM contribution GROUP BY meter_id, hour, day, month
), h AS ({_upsert("energy_hourly", "hour", "by_hour", "n")} RETURNING 1
), d AS ({_upsert("energy_daily", "day", "by_hour", "n")} RETURNING 1
), m AS ({_upsert("energy_monthly", "month", "by_hour", "n")} RETURNING 1
)
SELECT (SELECT COUNT(*) FROM new), (SELECT COUNT(*) FROM h), (SELECT COUNT(*) FROM d), (SELECT COUNT(*) FROM m)
"""
# An hour after the hour of the meter's newest stored reading has no row yet: a plain insert (no speculative
# insertion); the key still refuses a row that exists, and the savepoint around the fast path undoes everything.
_NEW_HOURS = "INSERT INTO energy_hourly (meter_id, hour, consumption, samples) SELECT meter_id, hour, consumption, n FROM {} WHERE fresh"
_OLD_HOURS = _upsert("energy_hourly", "hour", "{} WHERE NOT fresh", "n").replace(" WHERE true", "")
POSTGRES_ROLLUP = f"""
WITH n AS ({_NEW_HOURS.format("energy_stage_hour")} RETURNING 1
), h AS ({_OLD_HOURS.format("energy_stage_hour")} RETURNING 1
), d AS ({_upsert("energy_daily", "day", "energy_stage_hour", "n")} RETURNING 1
)
{_upsert("energy_monthly", "month", "energy_stage_hour", "n")}
"""
SQLITE_NEW_HOUR = "INSERT INTO energy_hourly (meter_id, hour, consumption, samples) VALUES (%s, %s, %s, %s)"
SQLITE_ADD = {
    table: f"INSERT INTO {table} AS t (meter_id, {key}, consumption, samples) VALUES (%s, %s, %s, %s) "
    f"ON CONFLICT (meter_id, {key}) DO UPDATE SET consumption = t.consumption + excluded.consumption, "
    f"samples = t.samples + excluded.samples"
    for table, key in _ROLLUPS
}
SQLITE_WRITE = [
    # A reading found stored already is dropped from the stage first, so the rollups never count it (SQLite has
    # one writer: nothing can be stored between this statement and the next).
    "DELETE FROM temp.energy_stage WHERE is_new = 1 AND EXISTS (SELECT 1 FROM energy_reading r "
    "WHERE r.meter_id = energy_stage.meter_id AND r.ts = energy_stage.ts)",
    "INSERT INTO energy_reading (meter_id, ts, value) SELECT meter_id, ts, value FROM temp.energy_stage "
    "WHERE is_new = 1 ORDER BY meter_id, ts ON CONFLICT DO NOTHING",
    *(_upsert(table, key, "temp.energy_stage", "is_new") for table, key in _ROLLUPS),
]


@dataclass(frozen=True)
class WriteResult:
    """How many readings of a batch were stored and how many were there already."""

    stored: int
    already_present: int


def write_readings(rows: Iterable[tuple[int, int, float]], *, tz: dt.tzinfo | None = None) -> WriteResult:
    """Store ``(meter_id, ts, value)`` rows (already validated) and upkeep the rollups, in one transaction.
    The same reading twice — in this batch or from an earlier one — is stored once."""
    by_meter, untidy = _by_meter(rows)
    if not by_meter:
        return WriteResult(0, 0)
    buckets = Buckets(tz or timezone.get_default_timezone(), as_text=connection.vendor != "postgresql")
    with transaction.atomic():
        meters, latest = _lock_meters(by_meter)
        append: list[tuple[int, int, float, float]] = []
        older: list[tuple[int, int, float]] = []
        repeats = 0
        new_last: list[tuple[int, float, int]] = []
        last_hours: dict[int, int] = {}  # the hour of each meter's newest stored reading
        for meter_id in sorted(by_meter):
            readings = by_meter[meter_id]
            meter = meters[meter_id]
            previous = latest.get(meter_id)
            last_ts = previous[0] if previous is not None else None
            if meter_id not in untidy and (last_ts is None or readings[0][0] > last_ts):
                fresh = readings  # the usual case: in order, once each, all later than the newest stored one
            else:
                fresh = []
                seen_ts = None
                for ts, value in readings:
                    if ts == seen_ts:
                        repeats += 1  # the same reading twice in one batch: the first one counts
                        continue
                    seen_ts = ts
                    if last_ts is not None and ts <= last_ts:
                        older.append((meter_id, ts, value))
                    else:
                        fresh.append((ts, value))
                if not fresh:
                    continue
            if meter.is_cumulative:
                append.extend([(meter_id, *row) for row in append_consumption(meter, previous, fresh)])
            else:  # append_consumption's interval case, written out: no generator and no unpacking per reading
                multiplier = meter.multiplier
                append.extend([(meter_id, ts, value, value * multiplier) for ts, value in fresh])
            new_last.append((fresh[-1][0], fresh[-1][1], meter_id))
            if last_ts is not None:
                last_hours[meter_id] = last_ts - last_ts % HOUR
        # Late readings are placed among the stored ones before the new ones are written.
        late, present = _place_older(older, meters, buckets)
        stored = _write(late, buckets) if late else 0
        if append:
            appended, found = _append(append, buckets, last_hours)
            stored += appended
            present += found
        if new_last:
            _remember_last(new_last)
    return WriteResult(stored=stored, already_present=repeats + present)


def _by_meter(rows: Iterable[tuple[int, int, float]]) -> tuple[dict[int, list[tuple[int, float]]], set[int]]:
    """``(ts, value)`` of each meter in time order (of one time, the first value sent first), and the meters whose
    readings came out of order or with a time twice. Readings usually arrive in order, so a meter's list is only
    checked, and sorted when it is not."""
    by_meter: dict[int, list[tuple[int, float]]] = {}
    for meter_id, ts, value in rows:
        found = by_meter.get(meter_id)
        if found is None:
            by_meter[meter_id] = [(ts, value)]
        else:
            found.append((ts, value))
    untidy: set[int] = set()
    for meter_id, readings in by_meter.items():
        previous = -1
        for ts, _value in readings:
            if ts <= previous:
                untidy.add(meter_id)
                readings.sort(key=itemgetter(0))  # stable: the first value sent for a time stays first
                break
            previous = ts
    return by_meter, untidy


def _append(rows: list[tuple[int, int, float, float]], buckets: Buckets, last_hours: dict[int, int]) -> tuple[int, int]:
    """Readings later than their meter's newest stored one, ``(meter_id, ts, value, consumption)`` sorted by meter
    and time: stored and added to the rollups; answers ``(stored, already present)``."""
    hours = _sum_by_hour(rows, buckets, last_hours)
    try:
        with transaction.atomic():  # a savepoint: a refused insert leaves the rest of the transaction intact
            if connection.vendor == "postgresql":
                _insert_postgres(rows, {hour[3] for hour in hours}, buckets.tz)
            else:
                _insert_sqlite(rows)
            _add_hours(hours)
    except Exception as error:
        if not _is_unique_violation(error):
            raise
        # Stored already although later than the meter's newest known reading (written behind the writer's back):
        # the careful way, which stores each reading once and counts only the stored ones.
        stored = _write([(m, ts, v, True, c, *buckets(ts)) for m, ts, v, c in rows], buckets)
        return stored, len(rows) - stored
    return len(rows), 0


def _is_unique_violation(error: Exception) -> bool:
    """A key that exists (23505), or a row outside the month partition it was sent to straight (23514: partitions
    made under another time zone setting); the careful way inserts through the parent table."""
    return isinstance(error, IntegrityError) or getattr(error, "sqlstate", None) in {"23505", "23514"}


def _sum_by_hour(
    rows: list[tuple[int, int, float, float]], buckets: Buckets, last_hours: dict[int, int]
) -> list[tuple[Any, ...]]:
    """``(meter_id, hour, day, month, consumption, n, fresh)`` per meter and hour; ``rows`` sorted by meter and time,
    so the readings of one hour are neighbours. ``fresh``: after the hour of the meter's newest stored reading."""
    hours: list[tuple[Any, ...]] = []
    current_meter = current_hour = -1
    total = 0.0
    count = 0
    for meter_id, ts, _value, consumption in rows:
        hour = ts - ts % HOUR
        if hour == current_hour and meter_id == current_meter:
            total += consumption
            count += 1
            continue
        if count:
            fresh = current_hour > last_hours.get(current_meter, -1)
            hours.append((current_meter, *buckets(current_hour), total, count, fresh))
        current_meter, current_hour, total, count = meter_id, hour, consumption, 1
    if count:
        fresh = current_hour > last_hours.get(current_meter, -1)
        hours.append((current_meter, *buckets(current_hour), total, count, fresh))
    return hours


def _insert_postgres(rows: list[tuple[int, int, float, float]], months: set[Any], tz: dt.tzinfo) -> None:
    ensure_partitions(months, tz)
    # One month (the usual batch) goes straight into its partition, which skips routing each row.
    table = partition_name(next(iter(months))) if len(months) == 1 else "energy_reading"
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} (meter_id, ts, value) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.write(copy_binary(rows))


# COPY's binary format: a signature, flags and header extension, then per row the number of fields and each field
# as its length and bytes (here int8, int8, float8), then -1. Packed with one struct per row: a third of the time
# psycopg's generic ``write_row`` takes for the same rows.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_ROW = struct.Struct(">hiqiqid")


def copy_binary(rows: Iterable[tuple[Any, ...]]) -> bytes:
    """``(meter_id, ts, value, …)`` rows as the body of a binary ``COPY energy_reading (meter_id, ts, value)``."""
    pack = _COPY_ROW.pack
    return b"".join([_COPY_HEADER, *[pack(3, 8, row[0], 8, row[1], 8, row[2]) for row in rows], b"\xff\xff"])


# ``(meter_id, hour, day, month, consumption, n, fresh)``: int8, int8, date, date, float8, int8, bool; a date is
# sent as its number of days since 2000-01-01.
_HOUR_ROW = struct.Struct(">hiqiqiiiiidiqi?")
_PG_EPOCH = dt.date(2000, 1, 1).toordinal()


def _copy_hours(hours: list[tuple[Any, ...]]) -> bytes:
    """The hour sums as the body of a binary ``COPY energy_stage_hour`` (one ``struct`` per row)."""
    pack = _HOUR_ROW.pack
    days: dict[dt.date, int] = {}
    body = [_COPY_HEADER]
    for meter_id, hour, day, month, consumption, count, fresh in hours:
        day_n = days.get(day)
        if day_n is None:
            day_n = days[day] = day.toordinal() - _PG_EPOCH
        month_n = days.get(month)
        if month_n is None:
            month_n = days[month] = month.toordinal() - _PG_EPOCH
        body.append(pack(7, 8, meter_id, 8, hour, 4, day_n, 4, month_n, 8, consumption, 8, count, 1, fresh))
    body.append(b"\xff\xff")
    return b"".join(body)


def _insert_sqlite(rows: list[tuple[int, int, float, float]]) -> None:
    with connection.cursor() as cursor:
        # A larger page cache for this connection keeps the raw table's key pages in memory across a batch
        # (performance.md §3.1: 4× on keyed inserts). Batches of many meters dirty the last key page of each
        # meter, and every checkpoint copies those pages from the WAL into the database file and syncs: checkpoint
        # every 10,000 WAL pages (40 MiB) instead of 1,000, so a page that several batches wrote is copied once.
        cursor.execute("PRAGMA cache_size = -65536")
        cursor.execute("PRAGMA wal_autocheckpoint = 10000")
        cursor.executemany(
            "INSERT INTO energy_reading (meter_id, ts, value) VALUES (%s, %s, %s)", [row[:3] for row in rows]
        )


def _add_hours(hours: list[tuple[Any, ...]]) -> None:
    """Add the staged consumption per meter and hour to the hourly, daily and monthly rollups."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_HOUR_STAGE)
            with cursor.cursor.copy(f"COPY energy_stage_hour ({HOUR_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(_copy_hours(hours))
            cursor.execute(POSTGRES_ROLLUP)
            cursor.execute("TRUNCATE energy_stage_hour")
        else:
            # SQLite runs in this process: prepared statements over the few rows per meter, no staging table.
            days: dict[tuple[int, str], list[float]] = {}
            months: dict[tuple[int, str], list[float]] = {}
            new_hours: list[tuple[Any, ...]] = []
            old_hours: list[tuple[Any, ...]] = []
            for meter_id, hour, day, month, consumption, count, fresh in hours:
                (new_hours if fresh else old_hours).append((meter_id, hour, consumption, count))
                for sums, key in ((days, (meter_id, day)), (months, (meter_id, month))):
                    found = sums.get(key)
                    if found is None:
                        sums[key] = [consumption, count]
                    else:
                        found[0] += consumption
                        found[1] += count
            cursor.executemany(SQLITE_NEW_HOUR, new_hours)
            cursor.executemany(SQLITE_ADD["energy_hourly"], old_hours)
            for table, sums in (("energy_daily", days), ("energy_monthly", months)):
                cursor.executemany(SQLITE_ADD[table], [(*key, total, count) for key, (total, count) in sums.items()])


def _lock_meters(meter_ids: Iterable[int]) -> tuple[dict[int, MeterInfo], dict[int, tuple[int, float]]]:
    wanted = set(meter_ids)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter, not a placeholder per meter: psycopg parses a query of a thousand placeholders
            # on every call.
            cursor.execute(
                "SELECT id, reading_type, multiplier, register_max, last_ts, last_value FROM energy_meter "
                "WHERE id = ANY(%s::bigint[]) ORDER BY id FOR UPDATE",
                [pg_array(sorted(wanted))],
            )
        else:
            # One JSON parameter: a bulk batch may hold more meters than SQLite takes parameters.
            cursor.execute(
                "SELECT id, reading_type, multiplier, register_max, last_ts, last_value FROM energy_meter "
                "WHERE id IN (SELECT value FROM json_each(%s))",
                [json.dumps(list(wanted))],
            )
        found = cursor.fetchall()
    meters: dict[int, MeterInfo] = {}
    latest: dict[int, tuple[int, float]] = {}
    for meter_id, reading_type, multiplier, register_max, last_ts, last_value in found:
        meters[meter_id] = MeterInfo(meter_id, reading_type == "cumulative", multiplier, register_max)
        if last_ts is not None:
            latest[meter_id] = (last_ts, last_value)
    missing = wanted - meters.keys()
    if missing:
        raise ValueError(f"unknown meter ids {sorted(missing)[:5]}")
    return meters, latest


def _remember_last(new_last: list[tuple[int, float, int]]) -> None:
    """Each meter's newest stored reading: one statement on PostgreSQL, ``executemany`` on SQLite (cheap there)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE energy_meter m SET last_ts = v.ts, last_value = v.value "
                "FROM unnest(%s::bigint[], %s::float8[], %s::bigint[]) AS v(ts, value, id) WHERE m.id = v.id",
                [pg_array(column) for column in zip(*new_last, strict=True)],
            )
        else:
            cursor.executemany("UPDATE energy_meter SET last_ts = %s, last_value = %s WHERE id = %s", new_last)


def _existing(cursor: Any, older: list[tuple[int, int, float]]) -> set[tuple[int, int]]:
    """Which of these ``(meter_id, ts)`` are stored already: one join against the raw table's key."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT r.meter_id, r.ts FROM unnest(%s::bigint[], %s::bigint[]) AS p(meter_id, ts) "
            "JOIN energy_reading r ON r.meter_id = p.meter_id AND r.ts = p.ts",
            [pg_array(row[0] for row in older), pg_array(row[1] for row in older)],
        )
    else:
        cursor.execute(PROBE_TABLE)
        cursor.execute("DELETE FROM energy_probe")
        cursor.executemany("INSERT INTO energy_probe (meter_id, ts) VALUES (%s, %s)", [row[:2] for row in older])
        cursor.execute(
            "SELECT p.meter_id, p.ts FROM energy_probe p "
            "JOIN energy_reading r ON r.meter_id = p.meter_id AND r.ts = p.ts"
        )
    return set(cursor.fetchall())


def _place_older(
    older: list[tuple[int, int, float]], meters: dict[int, MeterInfo], buckets: Buckets
) -> tuple[list[tuple[Any, ...]], int]:
    """Readings not later than their meter's newest: drop those already stored, place the others."""
    if not older:
        return [], 0
    with connection.cursor() as cursor:
        existing = _existing(cursor, older)
        staged: list[tuple[Any, ...]] = []
        late = [row for row in older if (row[0], row[1]) not in existing]
        for meter_id, group in groupby(late, key=itemgetter(0)):
            new = [(ts, value) for _meter, ts, value in group]
            meter = meters[meter_id]
            stored: list[tuple[int, float]] = []
            if meter.is_cumulative:
                stored = _neighbourhood(cursor, meter_id, new[0][0], new[-1][0])
            for ts, value, change, is_new in merge_consumption(meter, stored, new):
                staged.append((meter_id, ts, value, is_new, change, *buckets(ts)))
    return staged, len(existing)


def _neighbourhood(cursor: Any, meter_id: int, first: int, last: int) -> list[tuple[int, float]]:
    """Stored readings of a meter from the one before ``first`` to the one after ``last``."""
    cursor.execute(
        "SELECT ts, value FROM energy_reading WHERE meter_id = %s "
        "AND ts >= COALESCE((SELECT MAX(ts) FROM energy_reading WHERE meter_id = %s AND ts < %s), %s) "
        "AND ts <= COALESCE((SELECT MIN(ts) FROM energy_reading WHERE meter_id = %s AND ts > %s), %s) ORDER BY ts",
        [meter_id, meter_id, first, first, meter_id, last, last],
    )
    return [(ts, value) for ts, value in cursor.fetchall()]


def _write(staged: list[tuple[Any, ...]], buckets: Buckets) -> int:
    if connection.vendor == "postgresql":
        return _write_postgres(staged, buckets)
    return _write_sqlite(staged)


def _write_postgres(staged: list[tuple[Any, ...]], buckets: Buckets) -> int:
    ensure_partitions({row[7] for row in staged if row[3]}, buckets.tz)
    with connection.cursor() as cursor:
        cursor.execute(POSTGRES_STAGE)
        cursor.execute("TRUNCATE energy_stage")
        with cursor.cursor.copy(f"COPY energy_stage ({STAGE_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "int8", "float8", "bool", "float8", "int8", "date", "date"])
            write_row = copy.write_row
            for row in staged:
                write_row(row)
        cursor.execute(POSTGRES_WRITE)
        stored = cursor.fetchone()[0]
        cursor.execute("TRUNCATE energy_stage")
    return int(stored)


def _write_sqlite(staged: list[tuple[Any, ...]]) -> int:
    with connection.cursor() as cursor:
        # A larger page cache for this connection keeps the raw table's key pages in memory across a batch
        # (performance.md §3.1: 4× on keyed inserts).
        cursor.execute("PRAGMA cache_size = -65536")
        cursor.execute(SQLITE_STAGE)
        cursor.execute("DELETE FROM temp.energy_stage")
        cursor.executemany(
            f"INSERT INTO temp.energy_stage ({STAGE_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            staged,
        )
        cursor.execute(SQLITE_WRITE[0])
        cursor.execute(SQLITE_WRITE[1])
        stored = cursor.rowcount
        for statement in SQLITE_WRITE[2:]:
            cursor.execute(statement)
        cursor.execute("DELETE FROM temp.energy_stage")
    return int(stored)


def partition_name(month: dt.date) -> str:
    return f"energy_reading_p{month:%Y%m}"


def ensure_partitions(months: Iterable[dt.date], tz: dt.tzinfo) -> None:
    """Create the monthly partitions of the raw table that do not exist yet (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for month in sorted(set(months)):
            name = partition_name(month)
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is not None:
                continue
            # Two writers may need the same new month at once; the lock makes the second one wait and find it.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('energy_reading_partitions'))")
            start, end = month_bounds(month, tz)
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF energy_reading FOR VALUES FROM ({start}) TO ({end})"
            )
