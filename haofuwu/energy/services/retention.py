"""The raw-data retention sweep: raw readings older than the retention go, rollups stay."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
from django.utils import timezone

from haofuwu.energy.ingest.payloads import month_bounds
from haofuwu.energy.ingest.service import raw_retention_days

logger = logging.getLogger(__name__)


def raw_retention_sweep(now: dt.datetime, *, days: int | None = None) -> int:
    """Delete raw readings older than the retention (``ENERGY_RAW_RETENTION_DAYS``). On PostgreSQL whole monthly
    partitions past the cut-off are dropped (instant, no table bloat) and only the month the cut-off falls in is
    deleted from row by row. Returns how many readings went."""
    cutoff = int(now.timestamp()) - (raw_retention_days() if days is None else days) * 86400
    with transaction.atomic(), connection.cursor() as cursor:
        dropped = _drop_old_partitions(cursor, cutoff) if connection.vendor == "postgresql" else 0
        cursor.execute("DELETE FROM energy_reading WHERE ts < %s", [cutoff])
        return dropped + int(cursor.rowcount)


def _drop_old_partitions(cursor, cutoff: int) -> int:  # type: ignore[no-untyped-def]
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'energy_reading'"
    )
    tz = timezone.get_default_timezone()
    dropped = 0
    for (name,) in cursor.fetchall():
        suffix = name.rsplit("_p", 1)[-1]
        if not (len(suffix) == 6 and suffix.isdigit()):
            continue
        month = dt.date(int(suffix[:4]), int(suffix[4:]), 1)
        _start, end = month_bounds(month, tz)
        if end <= cutoff:
            cursor.execute(f"SELECT COUNT(*) FROM {name}")
            dropped += cursor.fetchone()[0]
            cursor.execute(f"DROP TABLE {name}")
            logger.info("Dropped raw readings partition %s", name)
    return dropped
