"""The energy metrics against hand computations, and their query count does not grow with the projects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haofuwu.core import metrics
from haofuwu.energy.ingest.writer import write_readings
from haofuwu.energy.models import CarbonEstimate, Meter
from haofuwu.energy.tests.factories import make_anomaly, make_meter
from haofuwu.estates.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()
START = dt.datetime(2026, 3, 1, tzinfo=TZ)
END = dt.datetime(2026, 4, 1, tzinfo=TZ)
NOW = dt.datetime(2026, 5, 1, tzinfo=TZ)


def compute(name: str, project_ids, start=START, end=END, now=NOW):  # type: ignore[no-untyped-def]
    metric = metrics.get(name)
    assert metric is not None
    return metric.compute(project_ids=project_ids, start=start, end=end, now=now)


def _backdate(meter: Meter) -> None:
    Meter.objects.filter(pk=meter.pk).update(created_at=START - dt.timedelta(days=400))


def _hourly(meter: Meter, first: dt.datetime, hours: int, value: float) -> None:
    base = int(first.timestamp())
    write_readings([(meter.pk, base + h * 3600, value) for h in range(hours)], tz=TZ)


def test_submetering_coverage_counts_required_public_scopes(world) -> None:
    project = world.project_a
    project.has_elevators = True
    project.save()
    for scope in ("public_lighting", "pumps", "garage"):
        _backdate(make_meter(project, scope=scope))
    _backdate(make_meter(project, scope="common_areas", is_active=False))
    found = compute("energy.submetering_coverage", [project.pk, world.project_b.pk])
    # Lighting and pumps of the four required (lighting, elevators, pumps, common areas); the garage is not required.
    assert (found[project.pk].value, found[project.pk].numerator, found[project.pk].denominator) == (0.5, 2, 4)
    assert len(found[project.pk].record_ids) == 2
    b = found[world.project_b.pk]
    assert b.value == 0 and b.denominator == (4 if world.project_b.has_elevators else 3)


def test_reading_completeness_is_received_over_expected(world) -> None:
    full = make_meter(world.project_a, interval_minutes=60)
    half = make_meter(world.project_a, interval_minutes=60)
    for meter in (full, half):
        _backdate(meter)
    _hourly(full, START, 31 * 24, 1)
    _hourly(half, START, 31 * 12, 1)
    value = compute("energy.reading_completeness", [world.project_a.pk])[world.project_a.pk]
    assert (value.numerator, value.denominator) == (744 + 372, 1488)
    assert value.value == pytest.approx(0.75)
    assert value.record_ids[0] == half.pk  # the largest gap first


def test_intensity_and_its_change_on_the_year_before(world) -> None:
    project = world.project_a
    project.floor_area = 1000
    project.save()
    lights = make_meter(project, scope="public_lighting")
    household = make_meter(project, scope="household")
    _hourly(lights, START, 10, 30)  # 300 kWh in March 2026
    _hourly(household, START, 10, 99)  # not managed by the property company: left out
    _hourly(lights, START.replace(year=2025), 10, 40)  # 400 kWh in March 2025
    intensity = compute("energy.intensity_kwh_per_m2", [project.pk, world.project_b.pk])
    assert intensity[project.pk].value == pytest.approx(0.3)
    assert intensity[world.project_b.pk].value is None
    change = compute("energy.intensity_change", [project.pk])[project.pk]
    assert change.value == pytest.approx(-0.25)
    assert (change.numerator, change.denominator) == (300, 400)


def test_anomalies_investigated_rate(world) -> None:
    meter = make_meter(world.project_a)
    when = START + dt.timedelta(days=3)

    done = make_anomaly(meter, at=when, status="resolved", investigation_note="换了阀门")
    make_anomaly(meter, at=when, status="resolved")  # closed without an investigation
    open_one = make_anomaly(meter, at=when)
    make_anomaly(meter, at=when, detected_at=END, status="resolved", investigation_note="x")  # outside the period
    value = compute("energy.anomalies_investigated_rate", [world.project_a.pk])[world.project_a.pk]
    assert (value.numerator, value.denominator) == (1, 3)
    assert value.record_ids[-1] == done.pk and open_one.pk in value.record_ids[:2]


def test_carbon_estimate_produced(world) -> None:
    CarbonEstimate.objects.create(project=world.project_a, year=2026, kg_co2e=10)
    found = compute("energy.carbon_estimate_produced", [world.project_a.pk, world.project_b.pk])
    assert found[world.project_a.pk].value == 1.0
    assert found[world.project_b.pk].value == 0.0
    spanning = compute(
        "energy.carbon_estimate_produced", [world.project_a.pk], start=dt.datetime(2025, 12, 1, tzinfo=TZ)
    )
    assert spanning[world.project_a.pk].value == 0.0


NAMES = [
    "energy.submetering_coverage",
    "energy.reading_completeness",
    "energy.intensity_kwh_per_m2",
    "energy.intensity_change",
    "energy.anomalies_investigated_rate",
    "energy.carbon_estimate_produced",
]


@pytest.mark.parametrize("name", NAMES)
def test_query_count_does_not_grow_with_the_number_of_projects(world, name: str) -> None:
    def queries(project_ids):  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as captured:
            compute(name, project_ids)
        return len(captured)

    few = [world.project_a.pk]
    many = few + [ProjectFactory().pk for _n in range(6)]
    for project_id in many:
        make_meter(Meter.objects.model._meta.get_field("project").related_model.objects.get(pk=project_id))
    assert queries(many) == queries(few)


def test_the_agreed_energy_metric_names_are_registered() -> None:
    assert {name for name in metrics.names() if name.startswith("energy.")} == set(NAMES)


def test_intensity_and_its_change_computed_together_equal_each_alone(world) -> None:
    meter = make_meter(world.project_a, kind="electricity", scope="public_lighting")
    _backdate(meter)
    names = ["energy.intensity_kwh_per_m2", "energy.intensity_change"]
    ids = [world.project_a.pk, world.project_b.pk]
    together = metrics.compute_many(names, project_ids=ids, start=START, end=END, now=NOW)
    assert together == {name: compute(name, ids) for name in names}
