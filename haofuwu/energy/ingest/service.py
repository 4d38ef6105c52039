"""The pipeline for one project: validate a batch against the project's meters, then write it."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic_core import from_json

from haofuwu.core.errors import ValidationFailed
from haofuwu.energy.ingest.payloads import MeterInfo, Rejection, check_readings
from haofuwu.energy.ingest.writer import write_readings
from haofuwu.energy.models import Meter

# Raw readings are kept this many days by default (the retention sweep deletes older ones; rollups stay).
DEFAULT_RAW_RETENTION_DAYS = 400
# Readings in one request to the HTTP door.
MAX_BATCH = 10_000
# Readings per call when a whole file (or any bulk load) goes through the pipeline, and the MQTT ingestor's largest
# batch. A write touches the newest key
# page of every meter in it and the rollup rows of every meter, hour and day, and a larger call shares those among
# more readings: calls of 50,000 stored 1.7 to 1.9 times as many readings a second as calls of 10,000
# (docs/energy.md, "Benchmarks").
BULK_BATCH = 50_000


def raw_retention_days() -> int:
    """``ENERGY_RAW_RETENTION_DAYS`` in settings, else 400 days (a year and a month: enough for year-on-year
    comparisons and late corrections from the raw data)."""
    return int(getattr(settings, "ENERGY_RAW_RETENTION_DAYS", DEFAULT_RAW_RETENTION_DAYS))


@dataclass
class IngestResult:
    """Counts of a batch: stored, already present, rejected (with the reason for each)."""

    stored: int = 0
    already_present: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def add(self, other: IngestResult) -> None:
        self.stored += other.stored
        self.already_present += other.already_present
        self.rejections.extend(other.rejections)

    def as_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "already_present": self.already_present,
            "rejected": self.rejected,
            "errors": [
                {"index": r.index, "meter": r.meter, "ts": r.ts, "reason": r.reason, "message": r.message}
                for r in self.rejections
            ],
        }


def project_meters(project_id: int) -> dict[str, MeterInfo]:
    """The project's meters by device id, as validation needs them (one query, without the ORM: every HTTP batch
    asks)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT external_id, id, reading_type, multiplier, register_max, is_active FROM {Meter._meta.db_table} "
            "WHERE project_id = %s",
            [project_id],
        )
        rows = cursor.fetchall()
    return {
        external_id: MeterInfo(meter_id, reading_type == "cumulative", multiplier, register_max, bool(is_active))
        for external_id, meter_id, reading_type, multiplier, register_max, is_active in rows
    }


def readings_ingest(
    *,
    project_id: int,
    readings: Iterable[Any],
    now: dt.datetime | None = None,
    meters: dict[str, MeterInfo] | None = None,
    start_index: int = 0,
) -> IngestResult:
    """Validate and store a batch of readings of one project: each reading is stored, found already present, or
    rejected with a reason; the good ones are stored even when others are rejected."""
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    now_ts = int(now.timestamp())
    with cyclic_gc_paused():
        checked = check_readings(
            readings,
            project_meters(project_id) if meters is None else meters,
            now_ts=now_ts,
            oldest_ts=now_ts - raw_retention_days() * 86400,
            tz=tz,
            start_index=start_index,
        )
        written = write_readings(checked.rows, tz=tz)
    return IngestResult(written.stored, written.already_present, checked.rejections)


TOO_MANY = gettext_lazy("At most %(limit)s readings per request.")


def readings_ingest_json(*, project_id: int, body: bytes) -> IngestResult:
    """The HTTP door's body, ``{"readings": [...]}`` of at most ``MAX_BATCH`` readings, checked and stored as
    :func:`readings_ingest` does; a body that is not such an object is refused whole (``ValidationFailed``)."""
    with cyclic_gc_paused():  # ten thousand parsed readings hold no reference cycle
        try:
            parsed = from_json(body) if body else None
        except ValueError:
            raise ValidationFailed({"readings": [_("The body is not JSON.")]}) from None
    readings = parsed.get("readings") if isinstance(parsed, dict) else None
    if not isinstance(readings, list):
        raise ValidationFailed({"readings": [_("Send an object with a list of readings.")]})
    if len(readings) > MAX_BATCH:
        raise ValidationFailed({"readings": [str(TOO_MANY) % {"limit": f"{MAX_BATCH:,}"}]})
    return readings_ingest(project_id=project_id, readings=readings)


class _CollectorPauses:
    """Batches running with the cycle collector paused, across threads: the collector is one per process, so it is
    paused by the first and resumed by the last."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0

    def enter(self) -> bool:
        """Pause (or join a pause); False when the collector was off already by someone else's choice."""
        with self.lock:
            if self.count == 0:
                if not gc.isenabled():
                    return False
                gc.disable()
            self.count += 1
            return True

    def leave(self) -> None:
        with self.lock:
            self.count -= 1
            if self.count == 0:
                gc.enable()


_PAUSES = _CollectorPauses()


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a batch is checked and written. A batch makes tens of thousands of
    tuples, lists and dicts, none of them in a reference cycle; with the collector on, a pass starts every 700 new
    objects and the survivors pile up in the older generations, whose passes walk them again: a fifth of the time
    of a 10,000-reading call (docs/energy.md, "Benchmarks"). Memory is still freed by reference counting as usual,
    and the collector runs again when the last paused batch of the process ends. A collector switched off by
    someone else stays off."""
    if not _PAUSES.enter():
        yield
        return
    try:
        yield
    finally:
        _PAUSES.leave()
