"""The rollups keep the physical layout migration 0005 gave them: a later migration that rebuilds one of them with
Django's own schema would silently slow the writer and the charts down."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

ROLLUPS = ("energy_hourly", "energy_daily", "energy_monthly")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's layout")
def test_sqlite_rollups_are_clustered_on_their_key() -> None:
    with connection.cursor() as cursor:
        for table in ROLLUPS:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
            assert "WITHOUT ROWID" in cursor.fetchone()[0], table
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table])
            assert cursor.fetchone()[0] == 0, f"{table} has a second b-tree"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's layout")
def test_postgres_hourly_key_covers_the_chart_and_no_rollup_checks_the_meter() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = 'energy_hourly'::regclass"
        )
        indexes = dict(cursor.fetchall())
        assert list(indexes) == ["energy_hourly_pkey"]
        assert "INCLUDE (consumption, samples)" in indexes["energy_hourly_pkey"]
        cursor.execute(
            "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])", [list(ROLLUPS)]
        )
        assert cursor.fetchone()[0] == 0


def test_a_meters_hourly_chart_reads_the_key_alone() -> None:
    """The query plan of a meter's hours uses the table's key and nothing else."""
    with connection.cursor() as cursor:
        explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN (COSTS OFF)"
        if connection.vendor == "postgresql":
            # Whatever the test table's statistics: the question is whether the key alone can answer.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(
            f"{explain} SELECT hour, consumption, samples FROM energy_hourly WHERE meter_id = 1 AND hour >= 0 "
            "AND hour < 100000 ORDER BY hour"
        )
        plan = " ".join(str(row) for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        assert "SEARCH energy_hourly USING PRIMARY KEY" in plan, plan
    else:
        assert "Index Only Scan using energy_hourly_pkey" in plan, plan
