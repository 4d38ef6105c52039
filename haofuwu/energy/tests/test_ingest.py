"""The ingestion pipeline against the database: idempotency, rejections, late data, resets, rollups."""

from __future__ import annotations

import datetime as dt
import gc

import pytest
from django.db.models import Sum

from haofuwu.energy.ingest.service import cyclic_gc_paused, readings_ingest
from haofuwu.energy.models import DailyUsage, HourlyUsage, Meter, MonthlyUsage, Reading
from haofuwu.energy.tests.factories import make_meter

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=TZ)


def at(hour: int, minute: int = 0, day: int = 9) -> str:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=TZ).isoformat()


def hourly(meter: Meter) -> dict[int, tuple[float, int]]:
    return {
        row.hour: (round(row.consumption, 6), row.samples)
        for row in HourlyUsage.objects.filter(meter=meter).order_by("hour")
    }


def totals(meter: Meter) -> tuple[float, float, float]:
    def total(model):  # type: ignore[no-untyped-def]
        return round(model.objects.filter(meter=meter).aggregate(s=Sum("consumption"))["s"] or 0, 6)

    return total(HourlyUsage), total(DailyUsage), total(MonthlyUsage)


def test_interval_readings_are_stored_and_rolled_up(world) -> None:
    meter = make_meter(world.project_a, multiplier=2.0)
    result = readings_ingest(
        project_id=world.project_a.pk,
        readings=[{"meter": meter.external_id, "ts": at(1, m), "value": 1.5} for m in (0, 15, 30, 45)]
        + [{"meter": meter.external_id, "ts": at(2), "value": 4}],
        now=NOW,
    )
    assert (result.stored, result.already_present, result.rejected) == (5, 0, 0)
    assert Reading.objects.filter(meter=meter).count() == 5
    assert sorted(hourly(meter).values()) == [(8.0, 1), (12.0, 4)]
    assert totals(meter) == (20.0, 20.0, 20.0)
    day = DailyUsage.objects.get(meter=meter)
    assert (day.day, day.samples) == (dt.date(2026, 3, 9), 5)


def test_replaying_the_same_batch_twice_changes_nothing(world) -> None:
    meter = make_meter(world.project_a, reading_type="cumulative")
    batch = [{"meter": meter.external_id, "ts": at(h), "value": 100 + h * 3} for h in range(8)]
    first = readings_ingest(project_id=world.project_a.pk, readings=batch, now=NOW)
    before = (hourly(meter), totals(meter), list(Reading.objects.filter(meter=meter).values_list("ts", "value")))
    second = readings_ingest(project_id=world.project_a.pk, readings=batch, now=NOW)
    after = (hourly(meter), totals(meter), list(Reading.objects.filter(meter=meter).values_list("ts", "value")))
    assert (first.stored, first.already_present) == (8, 0)
    assert (second.stored, second.already_present) == (0, 8)
    assert before == after
    assert totals(meter) == (21.0, 21.0, 21.0)


def test_a_bad_reading_is_reported_with_its_reason_and_the_good_ones_are_stored(world) -> None:
    meter = make_meter(world.project_a)
    result = readings_ingest(
        project_id=world.project_a.pk,
        readings=[
            {"meter": meter.external_id, "ts": at(1), "value": 2},
            {"meter": "NO-SUCH", "ts": at(1), "value": 2},
            {"meter": meter.external_id, "ts": at(2), "value": "lots"},
            {"meter": meter.external_id, "ts": "yesterday", "value": 2},
            {"meter": meter.external_id, "ts": "2030-01-01T00:00:00+08:00", "value": 2},
            {"meter": meter.external_id, "ts": at(3), "value": -1},
            {"meter": meter.external_id, "ts": at(4)},
            ["not", "an", "object"],
            {"meter": meter.external_id, "ts": at(5), "value": 3},
        ],
        now=NOW,
    )
    assert (result.stored, result.already_present) == (2, 0)
    assert [(r.index, r.reason) for r in result.rejections] == [
        (1, "unknown_meter"),
        (2, "not_a_number"),
        (3, "bad_timestamp"),
        (4, "future_timestamp"),
        (5, "negative_interval"),
        (6, "missing_field"),
        (7, "not_an_object"),
    ]
    assert totals(meter)[0] == 5.0


def test_same_meter_and_time_twice_in_one_batch_stores_the_first(world) -> None:
    meter = make_meter(world.project_a)
    result = readings_ingest(
        project_id=world.project_a.pk,
        readings=[
            {"meter": meter.external_id, "ts": at(1), "value": 2},
            {"meter": meter.external_id, "ts": at(1), "value": 9},
        ],
        now=NOW,
    )
    assert (result.stored, result.already_present) == (1, 1)
    assert totals(meter)[0] == 2.0
    assert Reading.objects.get(meter=meter).value == totals(meter)[0]


def test_late_register_reading_splits_the_consumption_between_hours(world) -> None:
    meter = make_meter(world.project_a, reading_type="cumulative")
    pid = world.project_a.pk
    readings_ingest(
        project_id=pid,
        readings=[{"meter": meter.external_id, "ts": at(h), "value": v} for h, v in ((1, 10), (3, 30))],
        now=NOW,
    )
    # 20 units between 01:00 and 03:00, all counted at 03:00 so far.
    assert hourly(meter)[_hour(3)] == (20.0, 1)
    late = readings_ingest(project_id=pid, readings=[{"meter": meter.external_id, "ts": at(2), "value": 25}], now=NOW)
    assert late.stored == 1
    assert hourly(meter)[_hour(2)] == (15.0, 1)
    assert hourly(meter)[_hour(3)] == (5.0, 1)
    assert totals(meter) == (20.0, 20.0, 20.0)


def test_register_reset_and_rollover_count_what_was_consumed(world) -> None:
    reset = make_meter(world.project_a, reading_type="cumulative")
    wraps = make_meter(world.project_a, reading_type="cumulative", register_max=9999.0)
    readings_ingest(
        project_id=world.project_a.pk,
        readings=[{"meter": reset.external_id, "ts": at(h), "value": v} for h, v in ((1, 500), (2, 510), (3, 4))]
        + [{"meter": wraps.external_id, "ts": at(h), "value": v} for h, v in ((1, 9990), (2, 9998), (3, 3))],
        now=NOW,
    )
    # Reset: 10, then the new register counted from zero: 4.
    assert totals(reset)[0] == 14.0
    # Rollover: 8, then 9998 -> 9999 -> 0 -> 3: 1 + 3.
    assert totals(wraps)[0] == 12.0


def _hour(hour: int) -> int:
    return int(dt.datetime(2026, 3, 9, hour, tzinfo=TZ).timestamp())


def test_a_reading_stored_behind_the_writers_back_is_found_present_not_counted_twice(world) -> None:
    """The fast way trusts each meter's newest stored reading; a raw row written without it (its ``last_ts`` left
    empty) makes the plain insert fail, and the batch goes the careful way: stored once, rolled up once."""
    from django.db import connection
    from django.utils import timezone

    from haofuwu.energy.ingest.writer import ensure_partitions

    meter = make_meter(world.project_a)
    ts = int(dt.datetime.fromisoformat(at(3)).timestamp())
    ensure_partitions([dt.date(2026, 3, 1)], timezone.get_default_timezone())
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO energy_reading (meter_id, ts, value) VALUES (%s, %s, %s)", [meter.pk, ts, 5.0])
    result = readings_ingest(
        project_id=world.project_a.pk,
        readings=[
            {"meter": meter.external_id, "ts": at(3), "value": 5.0},
            {"meter": meter.external_id, "ts": at(4), "value": 2.0},
        ],
        now=NOW,
    )
    assert (result.stored, result.already_present) == (1, 1)
    assert Reading.objects.filter(meter=meter).count() == 2
    assert sorted(hourly(meter).values()) == [(2.0, 1)]
    meter.refresh_from_db()
    assert meter.last_ts == ts + 3600


def test_an_hour_rolled_up_behind_the_writers_back_is_added_to_not_replaced(world) -> None:
    meter = make_meter(world.project_a)
    hour = int(dt.datetime.fromisoformat(at(5)).timestamp())
    HourlyUsage.objects.create(meter=meter, hour=hour, consumption=10.0, samples=2)
    result = readings_ingest(
        project_id=world.project_a.pk, readings=[{"meter": meter.external_id, "ts": at(5, 15), "value": 3.0}], now=NOW
    )
    assert (result.stored, result.already_present) == (1, 0)
    assert hourly(meter) == {hour: (13.0, 3)}
    assert DailyUsage.objects.get(meter=meter).consumption == 3.0


def test_new_readings_in_the_hour_of_the_newest_stored_one_add_to_that_hour(world) -> None:
    meter = make_meter(world.project_a, reading_type="cumulative")
    readings_ingest(
        project_id=world.project_a.pk,
        readings=[{"meter": meter.external_id, "ts": at(6, m), "value": 100 + m} for m in (0, 15)],
        now=NOW,
    )
    second = readings_ingest(
        project_id=world.project_a.pk,
        readings=[
            {"meter": meter.external_id, "ts": at(h, m), "value": 100 + (h - 6) * 60 + m}
            for h, m in ((6, 30), (6, 45), (7, 0))
        ],
        now=NOW,
    )
    assert (second.stored, second.already_present) == (3, 0)
    hour6 = int(dt.datetime.fromisoformat(at(6)).timestamp())
    assert hourly(meter) == {hour6: (45.0, 4), hour6 + 3600: (15.0, 1)}
    assert totals(meter) == (60.0, 60.0, 60.0)


def test_the_cycle_collector_is_paused_for_a_batch_and_left_as_the_caller_had_it() -> None:
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the caller's choice stands
    finally:
        gc.enable()
    with pytest.raises(ValueError), cyclic_gc_paused():
        raise ValueError
    assert gc.isenabled()


def test_the_collector_stays_paused_until_the_last_of_overlapping_batches_ends() -> None:
    first, second = cyclic_gc_paused(), cyclic_gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the other batch still runs
    second.__exit__(None, None, None)
    assert gc.isenabled()
