"""The anomaly sweep over rollups, investigating and resolving, measured savings, carbon, and raw retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import timezone

from haofuwu.core.models import Notification
from haofuwu.energy.ingest.writer import write_readings
from haofuwu.energy.models import Anomaly, HourlyUsage, Meter, Reading
from haofuwu.energy.selectors import baseline_profile, measured_saving
from haofuwu.energy.services import (
    anomaly_investigate,
    anomaly_resolve,
    anomaly_sweep,
    carbon_estimate_create,
    raw_retention_sweep,
    saving_measure_create,
)
from haofuwu.energy.tests.factories import make_anomaly, make_meter
from haofuwu.workorders.models import WorkOrder

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ)


def _old(meter: Meter) -> Meter:
    Meter.objects.filter(pk=meter.pk).update(created_at=NOW - dt.timedelta(days=90))
    meter.refresh_from_db()
    return meter


def _hours(meter: Meter, start: dt.datetime, end: dt.datetime, value) -> None:  # type: ignore[no-untyped-def]
    """Hourly interval readings; ``value`` may be a function of the local datetime."""
    rows = []
    moment = start
    while moment < end:
        rows.append((meter.pk, int(moment.timestamp()), value(moment) if callable(value) else value))
        moment += dt.timedelta(hours=1)
    write_readings(rows, tz=TZ)


def test_water_running_through_three_nights_is_a_leak_with_an_alert_and_a_work_order(world) -> None:
    leak = _old(make_meter(world.project_a, kind="water", scope="pumps", interval_minutes=60))
    quiet = _old(make_meter(world.project_a, kind="water", scope="common_areas", interval_minutes=60))
    start = NOW - dt.timedelta(days=4)
    _hours(leak, start, NOW, lambda m: 0.3 + (1.0 if 7 <= m.hour <= 22 else 0))
    _hours(quiet, start, NOW, lambda m: 1.0 if 7 <= m.hour <= 22 else 0)
    found = anomaly_sweep(NOW, open_work_orders=True)
    assert [(a.meter_id, a.kind) for a in found] == [(leak.pk, "night_flow")]
    anomaly = found[0]
    assert anomaly.magnitude == pytest.approx(0.3)
    assert (
        Notification.objects.filter(recipient=world.users["manager_a"], link=f"/energy/meters/{leak.pk}/").count() == 1
    )
    order = WorkOrder.objects.get(pk=Anomaly.objects.get(pk=anomaly.pk).work_order_id)
    assert (order.channel, order.category, order.project_id) == ("alarm", "water", world.project_a.pk)
    # Running again finds the same leak still open: nothing new.
    assert anomaly_sweep(NOW + dt.timedelta(hours=1), open_work_orders=True) == []
    assert Anomaly.objects.count() == 1


def test_a_monthly_rise_above_20_percent_is_found(world) -> None:
    steady = _old(make_meter(world.project_a, interval_minutes=60))
    rising = _old(make_meter(world.project_a, interval_minutes=60))
    january = dt.datetime(2026, 1, 1, tzinfo=TZ)
    february = dt.datetime(2026, 2, 1, tzinfo=TZ)
    march = dt.datetime(2026, 3, 1, tzinfo=TZ)
    _hours(steady, january, february, 1.0)  # 744
    _hours(steady, february, march, 1.2)  # 806.4: +8%
    _hours(rising, january, february, 1.0)
    _hours(rising, february, march, 1.5)  # 1008: +35%
    found = [a for a in anomaly_sweep(NOW) if a.kind == "monthly_rise"]
    assert [a.meter_id for a in found] == [rising.pk]
    assert found[0].magnitude == pytest.approx(1008 / 744 - 1, abs=1e-3)


def test_missing_and_flat_lined_data_are_found(world) -> None:
    silent = _old(make_meter(world.project_a, interval_minutes=60))
    flat = _old(make_meter(world.project_a, interval_minutes=60))
    fine = _old(make_meter(world.project_a, interval_minutes=60))
    _hours(silent, NOW - dt.timedelta(days=8), NOW - dt.timedelta(hours=20), 1.0)  # 4 of 24 in the last day
    _hours(flat, NOW - dt.timedelta(days=8), NOW - dt.timedelta(days=1), 1.0)
    _hours(flat, NOW - dt.timedelta(days=1), NOW, 0.0)
    _hours(fine, NOW - dt.timedelta(days=8), NOW, 1.0)
    kinds = {(a.meter_id, a.kind) for a in anomaly_sweep(NOW)}
    assert kinds == {(silent.pk, "missing_data"), (flat.pk, "flatline")}


def test_investigating_then_resolving_an_anomaly(world) -> None:
    meter = make_meter(world.project_a)
    anomaly = make_anomaly(meter, at=NOW)
    anomaly_investigate(actor=world.users["manager_a"], anomaly_id=anomaly.pk, note="电表通讯模块故障")
    anomaly.refresh_from_db()
    assert (anomaly.status, anomaly.investigation_note) == ("investigating", "电表通讯模块故障")
    anomaly_resolve(actor=world.users["manager_a"], anomaly_id=anomaly.pk)
    anomaly.refresh_from_db()
    assert anomaly.status == "resolved" and anomaly.resolved_at is not None


def test_the_baseline_is_the_median_of_the_same_weekday_and_hour(world) -> None:
    meter = make_meter(world.project_a, interval_minutes=60)
    start = NOW - dt.timedelta(weeks=8)

    def value(moment):  # type: ignore[no-untyped-def]
        return float((moment - start).days // 7 + 1)  # 1 in the first week … 8 in the last

    _hours(meter, start, NOW, value)
    profile = baseline_profile(meter.pk, NOW)
    assert len(profile) == 7 * 24
    assert profile[(NOW.weekday(), 3)] == pytest.approx(4.5)  # median of 1..8


def test_a_saving_measure_is_measured_against_the_baseline(world) -> None:
    lights = make_meter(world.project_a, interval_minutes=60)
    started = NOW.replace(hour=0) - dt.timedelta(days=14)
    _hours(lights, started - dt.timedelta(weeks=8), started, 10.0)
    _hours(lights, started, NOW, 7.0)
    measure = saving_measure_create(
        actor=world.users["manager_a"],
        project_id=world.project_a.pk,
        title="LED灯改造",
        started_on=timezone.localtime(started).date(),
        meter_ids=[lights.pk],
    )
    saving = measured_saving(measure, NOW)
    hours = 14 * 24 + 9  # from midnight 14 days ago until 09:00 today
    assert (saving.hours, saving.expected, saving.actual) == (hours, 10.0 * hours, 7.0 * hours)
    assert saving.share == pytest.approx(0.3)


def test_the_carbon_estimate_applies_the_emission_factors(world, settings) -> None:
    settings.ENERGY_EMISSION_FACTORS = {"electricity": 0.5, "water": 0.2}
    lights = make_meter(world.project_a, scope="public_lighting", interval_minutes=60)
    water = make_meter(world.project_a, kind="water", scope="pumps", interval_minutes=60)
    home = make_meter(world.project_a, scope="household", interval_minutes=60)
    start = dt.datetime(2026, 1, 5, tzinfo=TZ)
    for meter, value in ((lights, 10.0), (water, 1.0), (home, 50.0)):
        _hours(meter, start, start + dt.timedelta(hours=10), value)
    estimate = carbon_estimate_create(actor=world.users["manager_a"], project_id=world.project_a.pk, year=2026)
    assert estimate.by_kind == {"electricity": 50.0, "water": 2.0}
    assert estimate.kg_co2e == 52.0


def test_retention_deletes_old_raw_readings_and_keeps_the_rollups(world) -> None:
    meter = make_meter(world.project_a, interval_minutes=60)
    old_start = dt.datetime(2025, 1, 1, tzinfo=TZ)
    _hours(meter, old_start, old_start + dt.timedelta(days=40), 1.0)
    _hours(meter, NOW - dt.timedelta(days=2), NOW, 1.0)
    before = HourlyUsage.objects.filter(meter=meter).aggregate(s=Sum("consumption"))["s"]
    deleted = raw_retention_sweep(NOW, days=30)
    # On PostgreSQL the partitions of January and February 2025 are dropped whole, not deleted row by row.
    remaining = Reading.objects.filter(meter=meter).count()
    assert remaining == 48
    assert deleted == 40 * 24
    assert HourlyUsage.objects.filter(meter=meter).aggregate(s=Sum("consumption"))["s"] == before
