"""The pure part of the pipeline: validation reasons, register deltas, merging late readings, MQTT topics."""

from __future__ import annotations

import datetime as dt

import pytest

from haofuwu.energy.ingest.payloads import (
    Buckets,
    MeterInfo,
    TimestampParser,
    check_readings,
    merge_consumption,
    message_readings,
    month_bounds,
    register_delta,
)

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = int(dt.datetime(2026, 3, 10, 12, tzinfo=TZ).timestamp())
INTERVAL = MeterInfo(1, False, 1.0)
REGISTER = MeterInfo(2, True, 10.0)
METERS = {"I": INTERVAL, "R": REGISTER, "OFF": MeterInfo(3, False, 1.0, is_active=False)}


CASES = [
    ({"meter": "I", "ts": "2026-03-10T08:00:00+08:00", "value": 1}, None),
    ({"meter": "I", "ts": "2026-03-10T08:00:00+08:00", "value": 1.5}, None),
    ({"meter": "I", "ts": "2026-03-10T08:00:00+08:00", "value": -0.5}, "negative_interval"),
    ({"meter": "I", "ts": "2026-03-10T08:00:00+08:00", "value": float("inf")}, "not_a_number"),
    ({"meter": "R", "ts": "2026-03-10T08:00:00+08:00", "value": -2.5}, None),
    ({"meter": "OFF", "ts": "2026-03-10T08:00:00+08:00", "value": 1.5}, "inactive_meter"),
    ({"meter": "X", "ts": "2026-03-10T08:00:00+08:00", "value": 1.5}, "unknown_meter"),
    ({"meter": "I", "ts": "2027-03-10T08:00:00+08:00", "value": 1.5}, "future_timestamp"),
    ({"meter": "I", "ts": "2024-03-10T08:00:00+08:00", "value": 1.5}, "too_old"),
    ({"meter": "I", "ts": "2026-03-10T08:00:00", "value": 1}, None),  # no offset: the configured zone
    ({"meter": "I", "ts": NOW - 60, "value": 1.5}, None),  # epoch seconds
    ({"meter": "R", "ts": NOW, "value": -3}, None),  # a register may read below zero after a reset
    ({"meter": "X", "ts": NOW, "value": 1}, "unknown_meter"),
    ({"meter": 7, "ts": NOW, "value": 1}, "unknown_meter"),
    ({"meter": "OFF", "ts": NOW, "value": 1}, "inactive_meter"),
    ({"meter": "I", "value": 1}, "missing_field"),
    ({"meter": "I", "ts": "soon", "value": 1}, "bad_timestamp"),
    ({"meter": "I", "ts": True, "value": 1}, "bad_timestamp"),
    ({"meter": "I", "ts": NOW + 3600, "value": 1}, "future_timestamp"),
    ({"meter": "I", "ts": NOW + 200, "value": 1}, None),  # a clock a little ahead is tolerated
    ({"meter": "I", "ts": NOW - 500 * 86400, "value": 1}, "too_old"),
    ({"meter": "I", "ts": NOW, "value": "1"}, "not_a_number"),
    ({"meter": "I", "ts": NOW, "value": float("nan")}, "not_a_number"),
    ({"meter": "I", "ts": NOW, "value": True}, "not_a_number"),
    ({"meter": "I", "ts": NOW, "value": -0.5}, "negative_interval"),
    ("I,1,2", "not_an_object"),
]


@pytest.mark.parametrize(("reading", "reason"), CASES)
def test_a_reading_is_accepted_or_rejected_with_its_reason(reading, reason) -> None:  # type: ignore[no-untyped-def]
    checked = check_readings([reading], METERS, now_ts=NOW, oldest_ts=NOW - 400 * 86400, tz=TZ)
    if reason is None:
        assert len(checked.rows) == 1 and not checked.rejections
    else:
        assert [r.reason for r in checked.rejections] == [reason] and not checked.rows
        assert checked.rejections[0].message


class _Float(float):
    """A float the quick check does not take (it looks for ``float`` itself): the full checks decide."""


class _Int(int):
    """The same for an integer time."""


QUICK_METERS = ["I", "R", "OFF", "X", 7, None]
QUICK_TIMES = [
    NOW,
    NOW + 300,  # the tolerance's last second
    NOW + 301,
    NOW - 400 * 86400,  # the oldest accepted
    NOW - 400 * 86400 - 1,
    -1,
    10**400,
    "2026-03-10T08:00:00+08:00",
    "1900-01-01T00:00:00+08:00",
    "3100-01-01T00:00:00+08:00",
]
QUICK_VALUES = [1.5, 0.0, -0.0, -0.5, float("nan"), float("inf"), float("-inf"), 1, 10**400, True, "1"]


def _verdict(checked, index: int) -> object:  # type: ignore[no-untyped-def]
    """The reason the reading at ``index`` was refused, or the row it became (the last one)."""
    reasons = [r.reason for r in checked.rejections if r.index == index]
    return reasons[0] if reasons else checked.rows[-1]


@pytest.mark.parametrize("oldest_ts", [NOW - 400 * 86400, -86400], ids=["retention", "before-1970"])
@pytest.mark.parametrize("meter", QUICK_METERS)
@pytest.mark.parametrize("ts", QUICK_TIMES)
def test_the_quick_check_gives_the_full_checks_verdict(meter, ts, oldest_ts) -> None:  # type: ignore[no-untyped-def]
    """Every reading the quick check could take — the second of a batch, its time already seen — gets the verdict
    the full checks give the same reading alone."""
    for value in QUICK_VALUES:
        reading = {"meter": meter, "ts": ts, "value": value}
        full = {
            "meter": meter,
            "ts": _Int(ts) if type(ts) is int else ts,
            "value": _Float(value) if type(value) is float else value,
        }
        window = {"now_ts": NOW, "oldest_ts": oldest_ts, "tz": TZ}
        expected = _verdict(check_readings([full], METERS, **window), 0)
        checked = check_readings([{"meter": "I", "ts": ts, "value": 1.0}, reading], METERS, **window)
        assert len(checked.rows) + len(checked.rejections) == 2
        assert _verdict(checked, 1) == expected, (meter, ts, value)


@pytest.mark.parametrize(
    ("previous", "value", "register_max", "delta"),
    [
        (100.0, 103.5, None, 3.5),
        (100.0, 100.0, None, 0.0),
        (100.0, 4.0, None, 4.0),  # reset: counted from zero
        (99990.0, 5.0, 99999.0, 14.0),  # rollover: 9 to the top, then 5
        (100.0, 4.0, 50.0, 4.0),  # "rollover" from above the maximum is a reset
    ],
)
def test_register_delta(previous, value, register_max, delta) -> None:  # type: ignore[no-untyped-def]
    assert register_delta(previous, value, register_max) == pytest.approx(delta)


def test_a_late_register_reading_moves_consumption_from_the_next_reading() -> None:
    stored = [(0, 100.0), (3600, 130.0)]
    changes = merge_consumption(REGISTER, stored, [(1800, 110.0)])
    # The new reading consumes (110-100)×10; the next one now only (130-110)×10 instead of 300.
    assert changes == [(1800, 110.0, 100.0, True), (3600, 130.0, -100.0, False)]


def test_a_reading_before_the_first_one_anchors_it() -> None:
    changes = merge_consumption(REGISTER, [(3600, 130.0)], [(0, 100.0)])
    assert changes == [(0, 100.0, 0.0, True), (3600, 130.0, 300.0, False)]


def test_timestamps_and_buckets_in_local_time() -> None:
    parse = TimestampParser(TZ)
    ts = parse("2026-03-31T23:30:00+08:00")
    assert ts == parse("2026-03-31T15:30:00Z")
    hour, day, month = Buckets(TZ)(ts)  # type: ignore[arg-type]
    assert (hour, day, month) == (ts - 1800, dt.date(2026, 3, 31), dt.date(2026, 3, 1))
    start, end = month_bounds(dt.date(2026, 3, 1), TZ)
    assert end - start == 31 * 86400


@pytest.mark.parametrize(
    ("topic", "payload", "expected"),
    [
        ("haofuwu/7/meters/E-1/reading", {"ts": 1, "value": 2}, (7, [{"ts": 1, "value": 2, "meter": "E-1"}])),
        (
            "haofuwu/7/meters/GW/reading",
            {"readings": [{"ts": 1, "value": 2, "meter": "E-2"}, {"ts": 2, "value": 3}]},
            (7, [{"ts": 1, "value": 2, "meter": "E-2"}, {"ts": 2, "value": 3, "meter": "GW"}]),
        ),
        ("haofuwu/x/meters/E-1/reading", {"ts": 1, "value": 2}, "bad_topic"),
        ("other/7/meters/E-1/reading", {"ts": 1, "value": 2}, "bad_topic"),
        ("haofuwu/7/meters/E-1", {"ts": 1, "value": 2}, "bad_topic"),
        ("haofuwu/7/meters/E-1/reading", "12.5", "bad_payload"),
        ("haofuwu/7/meters/E-1/reading", {"readings": 5}, "bad_payload"),
    ],
)
def test_mqtt_messages(topic, payload, expected) -> None:  # type: ignore[no-untyped-def]
    assert message_readings(topic, payload, prefix="haofuwu") == expected
