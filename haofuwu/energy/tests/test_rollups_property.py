"""Property: whatever the order and batching of the readings, rollup sums equal the sums of the raw readings over
any range (hypothesis, kept small: each example writes to the database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haofuwu.energy.ingest.payloads import MeterInfo, register_delta
from haofuwu.energy.ingest.writer import write_readings
from haofuwu.energy.models import DailyUsage, HourlyUsage, MonthlyUsage, Reading
from haofuwu.energy.tests.factories import make_meter
from haofuwu.estates.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
START = int(dt.datetime(2026, 1, 30, tzinfo=TZ).timestamp())  # two days before a month boundary
SPAN_QUARTERS = 4 * 24 * 4  # four days of 15-minute slots

readings = st.lists(
    st.tuples(st.integers(0, SPAN_QUARTERS - 1), st.integers(0, 2), st.floats(0, 50, allow_nan=False)),
    min_size=1,
    max_size=60,
)


@pytest.fixture
def project(db):  # type: ignore[no-untyped-def]
    return ProjectFactory()


def _raw_consumption(meter_id: int, info: MeterInfo) -> dict[int, float]:
    rows = list(Reading.objects.filter(meter_id=meter_id).order_by("ts").values_list("ts", "value"))
    if not info.is_cumulative:
        return {ts: value * info.multiplier for ts, value in rows}
    found: dict[int, float] = {}
    previous = None
    for ts, value in rows:
        found[ts] = 0.0 if previous is None else register_delta(previous, value, info.register_max) * info.multiplier
        previous = value
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=readings,
    batches=st.integers(1, 4),
    ranges=st.lists(st.tuples(st.integers(0, 96), st.integers(1, 96)), min_size=1, max_size=5),
)
def test_rollup_sums_equal_raw_sums_over_random_ranges(project, data, batches, ranges) -> None:  # type: ignore[no-untyped-def]
    meters = [
        make_meter(project, reading_type="interval", multiplier=2.0),
        make_meter(project, reading_type="cumulative"),
        make_meter(project, reading_type="cumulative", register_max=100.0),
    ]
    infos = [MeterInfo(m.pk, m.reading_type == "cumulative", m.multiplier, m.register_max) for m in meters]
    rows = [(meters[which].pk, START + slot * 900, round(value, 3)) for slot, which, value in data]
    # Late and out-of-order: the batches split the readings in the order drawn, not in time order.
    size = max(1, len(rows) // batches)
    for start in range(0, len(rows), size):
        write_readings(rows[start : start + size], tz=TZ)
    for meter, info in zip(meters, infos, strict=True):
        raw = _raw_consumption(meter.pk, info)
        hourly = dict(HourlyUsage.objects.filter(meter=meter).values_list("hour", "consumption"))
        for first_hour, hours in ranges:
            low = START + first_hour * 3600
            high = low + hours * 3600
            from_raw = sum(c for ts, c in raw.items() if low <= ts < high)
            from_rollup = sum(c for hour, c in hourly.items() if low <= hour < high)
            assert from_rollup == pytest.approx(from_raw, abs=1e-6)
        total = sum(raw.values())
        for model in (HourlyUsage, DailyUsage, MonthlyUsage):
            rolled = model.objects.filter(meter=meter).aggregate(s=Sum("consumption"), n=Sum("samples"))
            assert (rolled["s"] or 0) == pytest.approx(total, abs=1e-6)
            assert (rolled["n"] or 0) == len(raw)
