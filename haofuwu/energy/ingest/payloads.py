"""Pure validation of readings and the consumption they add: no ORM, no I/O, table-driven tests.

A reading arrives as ``{"meter": "<external id>", "ts": "<ISO-8601>" | <epoch seconds>, "value": <number>}``.
Timestamps without an offset are taken in the configured time zone. The consumption of a reading counts in the
hour its timestamp falls in: for an interval meter it is the value times the multiplier, for a cumulative register
the rise since the previous reading times the multiplier (a register that wraps at its maximum continues from zero;
one that falls without a known maximum was reset or replaced, and its new value is the consumption since).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

# Reasons a reading is refused: a stable code for machines and a message for people.
UNKNOWN_METER = "unknown_meter"
INACTIVE_METER = "inactive_meter"
MISSING_FIELD = "missing_field"
BAD_TIMESTAMP = "bad_timestamp"
FUTURE_TIMESTAMP = "future_timestamp"
TOO_OLD = "too_old"
NOT_A_NUMBER = "not_a_number"
NEGATIVE_INTERVAL = "negative_interval"
NOT_AN_OBJECT = "not_an_object"

MESSAGES = {
    UNKNOWN_METER: _("No meter with this device id in the project."),
    INACTIVE_METER: _("The meter is not active."),
    MISSING_FIELD: _("A reading needs a meter, a time (ts) and a value."),
    BAD_TIMESTAMP: _("The time is not an ISO-8601 date and time or a number of seconds since 1970."),
    FUTURE_TIMESTAMP: _("The time lies in the future."),
    TOO_OLD: _("The time is older than the raw data is kept; it cannot be placed among its neighbours."),
    NOT_A_NUMBER: _("The value is not a finite number."),
    NEGATIVE_INTERVAL: _("An interval meter cannot consume a negative amount."),
    NOT_AN_OBJECT: _("A reading must be an object with meter, ts and value."),
}

# A device clock a little ahead of ours is tolerated; anything later is a wrong clock, not a reading.
FUTURE_TOLERANCE_SECONDS = 300
HOUR = 3600
# Epoch seconds are taken from 1970 to before the year 3000.
EPOCH_LIMIT = 32_503_680_000


class MeterInfo(NamedTuple):
    """What validation and the writer need of a meter (a named tuple: made a thousand times a batch, and a frozen
    dataclass takes five times as long to make)."""

    id: int
    is_cumulative: bool
    multiplier: float
    register_max: float | None = None
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class Rejection:
    """One refused reading: its position in the batch, what it said and why it was refused."""

    index: int
    meter: str
    ts: str
    reason: str

    @property
    def message(self) -> str:
        return str(MESSAGES[self.reason])


@dataclass(slots=True)
class Checked:
    """The readings of a batch that passed, as ``(meter_id, ts, value)``, and those refused."""

    rows: list[tuple[int, int, float]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


class TimestampParser:
    """ISO-8601 text or epoch seconds to whole epoch seconds. Batches repeat the same timestamps across meters
    (every meter reads at :00, :15…), so parsed text is remembered."""

    def __init__(self, tz: dt.tzinfo) -> None:
        self.tz = tz
        self.seen: dict[str, int] = {}  # text already parsed, to its epoch seconds

    def __call__(self, raw: Any) -> int | None:
        if isinstance(raw, str):
            found = self.seen.get(raw)
            if found is not None:
                return found
            try:
                moment = dt.datetime.fromisoformat(raw.strip())
            except ValueError:
                return None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=self.tz)
            try:
                seconds = int(moment.timestamp())
            except (OverflowError, ValueError, OSError):
                return None
            if len(self.seen) < 100_000:
                self.seen[raw] = seconds
            return seconds
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return None
        # An integer is compared as it is (JSON allows 400 digits, which no float holds).
        if (isinstance(raw, float) and not math.isfinite(raw)) or not 0 <= raw < EPOCH_LIMIT:
            return None
        return int(raw)


def parse_value(raw: Any) -> float | None:
    """A finite number (JSON numbers only; text and booleans are not numbers here)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    try:
        value = float(raw)
    except OverflowError:  # an integer of more than 308 digits
        return None
    return value if math.isfinite(value) else None


def check_readings(
    readings: Iterable[Any],
    meters: Mapping[str, MeterInfo],
    *,
    now_ts: int,
    oldest_ts: int,
    tz: dt.tzinfo,
    start_index: int = 0,
) -> Checked:
    """Validate a batch: every reading is either a row or a :class:`Rejection` with its reason."""
    checked = Checked()
    rows = checked.rows
    reject = checked.rejections.append
    parse_ts = TimestampParser(tz)
    seen = parse_ts.seen
    latest = now_ts + FUTURE_TOLERANCE_SECONDS
    # The quick check's range for a time: what the full checks accept, and epoch seconds the parser takes.
    quick_from, quick_to = max(oldest_ts, 0), min(latest, EPOCH_LIMIT - 1)
    for index, item in enumerate(readings, start_index):
        if type(item) is not dict:
            reject(Rejection(index, "", "", NOT_AN_OBJECT))
            continue
        external_id = item.get("meter")
        raw_ts = item.get("ts")
        raw_value = item.get("value")
        # The common case in a few look-ups: a known active meter, a time already parsed (or epoch seconds) within
        # the accepted range, a finite float value the meter accepts (x - x is 0 only for a finite x). Anything
        # else — the first sight of a time included — goes through the checks below, which name the reason.
        if type(raw_value) is float and isinstance(external_id, str):
            meter = meters.get(external_id)
            ts = seen.get(raw_ts) if isinstance(raw_ts, str) else raw_ts if type(raw_ts) is int else None
            if (
                meter is not None
                and ts is not None
                and quick_from <= ts <= quick_to
                and meter.is_active
                and raw_value - raw_value == 0.0
                and (raw_value >= 0.0 or meter.is_cumulative)
            ):
                rows.append((meter.id, ts, raw_value))
                continue
        if external_id is None or raw_ts is None or raw_value is None:
            reject(Rejection(index, _text(external_id), _text(raw_ts), MISSING_FIELD))
            continue
        meter = meters.get(external_id) if isinstance(external_id, str) else None
        if meter is None:
            reject(Rejection(index, _text(external_id), _text(raw_ts), UNKNOWN_METER))
            continue
        ts = parse_ts(raw_ts)
        reason = None
        if ts is None:
            reason = BAD_TIMESTAMP
        elif ts > latest:
            reason = FUTURE_TIMESTAMP
        elif ts < oldest_ts:
            reason = TOO_OLD
        elif not meter.is_active:
            reason = INACTIVE_METER
        else:
            value = parse_value(raw_value)
            if value is None:
                reason = NOT_A_NUMBER
            elif value < 0 and not meter.is_cumulative:
                reason = NEGATIVE_INTERVAL
            else:
                rows.append((meter.id, ts, value))  # type: ignore[arg-type]
                continue
        reject(Rejection(index, external_id, _text(raw_ts), reason))
    return checked


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw)[:64]


def register_delta(previous: float, value: float, register_max: float | None) -> float:
    """The rise of a cumulative register from ``previous`` to ``value``: a wrap past ``register_max`` continues
    from zero, a fall without a known maximum is a reset (the new value is all consumed since)."""
    if value >= previous:
        return value - previous
    if register_max is not None and previous <= register_max:
        return register_max - previous + value
    return value


def append_consumption(
    meter: MeterInfo, previous: tuple[int, float] | None, rows: Iterable[tuple[int, float]]
) -> Iterator[tuple[int, float, float]]:
    """``(ts, value, consumption)`` of new readings later than every stored one (``previous`` is the newest
    stored ``(ts, value)``); ``rows`` sorted by time without repeats."""
    multiplier = meter.multiplier
    if not meter.is_cumulative:
        for ts, value in rows:
            yield ts, value, value * multiplier
        return
    last = previous[1] if previous is not None else None
    register_max = meter.register_max
    for ts, value in rows:
        # The first reading a register ever sends only sets the starting point.
        consumption = 0.0 if last is None else register_delta(last, value, register_max) * multiplier
        last = value
        yield ts, value, consumption


def merge_consumption(
    meter: MeterInfo, stored: list[tuple[int, float]], new: list[tuple[int, float]]
) -> list[tuple[int, float, float, bool]]:
    """Late or out-of-order readings among stored ones: ``(ts, value, change of consumption, is_new)`` for each new
    reading and each stored reading whose consumption changes. ``stored`` holds the stored readings from the one just
    before the earliest new reading to the one just after the latest (both sorted, no shared timestamps)."""
    if not meter.is_cumulative:
        return [(ts, value, value * meter.multiplier, True) for ts, value in new]
    new_times = {ts for ts, _value in new}
    merged = sorted([*stored, *new])
    before = _deltas(meter, stored)
    after = _deltas(meter, merged)
    changes: list[tuple[int, float, float, bool]] = []
    for ts, value in merged:
        is_new = ts in new_times
        change = after[ts] - (0.0 if is_new else before[ts])
        if is_new or change != 0:
            changes.append((ts, value, change, is_new))
    return changes


def _deltas(meter: MeterInfo, rows: list[tuple[int, float]]) -> dict[int, float]:
    """Consumption of each reading against the one before it within ``rows``; the first is the anchor (0 here,
    its own consumption is unchanged and not part of the correction)."""
    found: dict[int, float] = {}
    last: float | None = None
    for ts, value in rows:
        found[ts] = 0.0 if last is None else register_delta(last, value, meter.register_max) * meter.multiplier
        last = value
    return found


class Buckets:
    """The hour (epoch seconds of its start), local day and local month a timestamp counts in, remembered per hour.
    Hours are whole UTC hours, which are whole local hours in every zone with a whole-hour offset (China's is +8)."""

    def __init__(self, tz: dt.tzinfo | str, *, as_text: bool = False) -> None:
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        # SQLite stores dates as ISO text: giving the text here saves formatting each row's day and month.
        self.as_text = as_text
        self._by_hour: dict[int, tuple[int, Any, Any]] = {}

    def __call__(self, ts: int) -> tuple[int, Any, Any]:
        hour = ts - ts % HOUR
        found = self._by_hour.get(hour)
        if found is None:
            day = dt.datetime.fromtimestamp(hour, self.tz).date()
            month = day.replace(day=1)
            found = (hour, day.isoformat(), month.isoformat()) if self.as_text else (hour, day, month)
            self._by_hour[hour] = found
        return found


def month_bounds(month: dt.date, tz: dt.tzinfo) -> tuple[int, int]:
    """Epoch seconds of the start of a local month and of the next one (the bounds of a raw-table partition)."""
    start = dt.datetime.combine(month.replace(day=1), dt.time(), tz)
    following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return int(start.timestamp()), int(following.timestamp())


BAD_TOPIC = "bad_topic"
BAD_PAYLOAD = "bad_payload"
MESSAGES[BAD_TOPIC] = _("The topic is not haofuwu/<project>/meters/<device id>/reading.")
MESSAGES[BAD_PAYLOAD] = _("The message is not a JSON reading or a JSON object with a list of readings.")


def message_readings(topic: str, payload: Any, *, prefix: str) -> tuple[int, list[Any]] | str:
    """The project and readings of an MQTT message on ``<prefix>/<project>/meters/<device id>/reading``, or the
    reason it cannot be read. The payload is one reading ``{"ts": …, "value": …}`` or a gateway's
    ``{"readings": [{"ts": …, "value": …, "meter": <optional other device id>}, …]}``; a reading without a
    ``meter`` belongs to the topic's device."""
    parts = topic.split("/")
    prefix_parts = prefix.split("/")
    size = len(prefix_parts)
    if (
        len(parts) != size + 4
        or parts[:size] != prefix_parts
        or parts[size + 1] != "meters"
        or parts[size + 3] != "reading"
        or not parts[size].isdigit()
    ):
        return BAD_TOPIC
    project_id, device = int(parts[size]), parts[size + 2]
    if isinstance(payload, dict) and "readings" in payload:
        readings = payload["readings"]
        if not isinstance(readings, list):
            return BAD_PAYLOAD
    elif isinstance(payload, dict):
        readings = [payload]
    elif isinstance(payload, list):
        readings = payload
    else:
        return BAD_PAYLOAD
    for reading in readings:
        if type(reading) is dict and "meter" not in reading:
            reading["meter"] = device
    return project_id, readings
