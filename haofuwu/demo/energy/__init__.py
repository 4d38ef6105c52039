"""Demo data of the energy app: about 200 meters across the demo projects with 90 days of 15-minute readings.

Electricity, water and heat meters of the public areas (lighting, elevators, pumps and secondary water supply,
common areas, the garage) and one electricity and one water meter per building. The readings have a daily shape
(lighting at night, elevators and water at the morning and evening peaks), a weekly one (weekends differ) and a
seasonal drift (heat in the cold months), with noise from a generator seeded by the data set. Two stories are
planted: a leak — a secondary-water-supply meter of the first project that keeps running at night over the last
ten days, which the anomaly sweep run at the end finds — and an LED lighting retrofit in the first project 30 days
ago, recorded as an energy-saving measure, whose saving the dashboard measures against the baseline.

Readings go through the same writer as every other door (``energy.ingest.writer``), in chunks of a few meters, so
the rollups are kept exactly as in production.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from django.utils import timezone

from haofuwu.accounts.selectors import command_actor
from haofuwu.demo.records import Dataset
from haofuwu.energy.choices import DEFAULT_UNITS
from haofuwu.energy.ingest.writer import write_readings
from haofuwu.energy.models import Meter, SavingMeasure
from haofuwu.energy.services import anomaly_sweep, carbon_estimate_create
from haofuwu.estates.models import Building, Project

DAYS = 90
STEP = 900  # seconds: 15-minute readings
CHUNK_METERS = 8
LEAK_DAYS = 10
LEAK_FLOW = 0.08  # m³ per 15 minutes ≈ 0.32 m³ an hour through the night
MEASURE_DAYS_AGO = 30
MEASURE_SAVING = 0.35


@dataclass(frozen=True)
class Plan:
    external_id: str
    name: str
    kind: str
    scope: str
    profile: str
    size: float  # mean use per 15 minutes
    building_id: int | None = None


def _profile(name: str, local: dt.datetime) -> float:
    """Relative use at a local time (mean about 1) for a kind of load."""
    hour = local.hour + local.minute / 60
    weekend = local.weekday() >= 5
    # Colder months use more light (longer nights) and heat; warm months more pumping.
    season = math.cos((local.timetuple().tm_yday - 15) / 365 * 2 * math.pi)  # 1 in mid-January, -1 in July
    if name == "lighting":
        return (1.9 if hour >= 18 or hour < 6 else 0.1) * (1 + 0.15 * season)
    if name == "elevator":
        peak = math.exp(-((hour - 8) ** 2) / 2) + math.exp(-((hour - 19) ** 2) / 3)
        return (0.25 + 2.2 * peak) * (0.85 if weekend else 1.0)
    if name == "pump":
        peak = math.exp(-((hour - 7.5) ** 2) / 2) + math.exp(-((hour - 20) ** 2) / 3)
        return (0.15 + 2.0 * peak) * (1.1 if weekend else 1.0) * (1 - 0.1 * season)
    if name == "water":
        peak = math.exp(-((hour - 7.5) ** 2) / 2) + math.exp(-((hour - 20) ** 2) / 3)
        return (0.0 if 1 <= hour < 5 else 0.1 + 2.0 * peak) * (1.15 if weekend else 1.0)
    if name == "heat":
        return max(0.0, 0.2 + 0.9 * season) * (1.2 if hour < 7 else 1.0)
    # whole building and common areas: a household-like curve
    peak = math.exp(-((hour - 12) ** 2) / 8) * 0.6 + math.exp(-((hour - 20) ** 2) / 4)
    return (0.35 + 1.5 * peak) * (1.1 if weekend else 1.0) * (1 + 0.1 * season)


def _plans(buildings: list[Building], index: int) -> list[Plan]:
    prefix = f"P{index + 1:02d}"
    plans = [
        *(
            Plan(f"{prefix}-LT-{n}", f"公共照明{n}号回路", "electricity", "public_lighting", "lighting", 3.0)
            for n in (1, 2, 3)
        ),
        Plan(f"{prefix}-PU-E1", "二次供水泵房电表", "electricity", "pumps", "pump", 4.0),
        Plan(f"{prefix}-PU-E2", "消防泵房电表", "electricity", "pumps", "pump", 1.0),
        Plan(f"{prefix}-PU-W1", "二次供水总水表", "water", "pumps", "water", 1.2),
        Plan(f"{prefix}-CA-E1", "物业服务中心电表", "electricity", "common_areas", "building", 2.0),
        Plan(f"{prefix}-CA-E2", "会所及公共活动区电表", "electricity", "common_areas", "building", 1.5),
        Plan(f"{prefix}-CA-W1", "绿化灌溉水表", "water", "common_areas", "water", 0.4),
        Plan(f"{prefix}-GA-E1", "地下车库电表", "electricity", "garage", "lighting", 2.5),
        Plan(f"{prefix}-HT-1", "换热站热表", "heat", "common_areas", "heat", 0.05),
    ]
    for building in buildings[:12]:
        tag = f"{prefix}-B{building.pk}"
        if building.elevator_count:
            plans.append(
                Plan(f"{tag}-EL", f"{building.name}电梯电表", "electricity", "elevators", "elevator", 1.2, building.pk)
            )
        plans.append(
            Plan(f"{tag}-E", f"{building.name}总电表", "electricity", "whole_building", "building", 6.0, building.pk)
        )
        plans.append(Plan(f"{tag}-W", f"{building.name}总水表", "water", "whole_building", "water", 0.6, building.pk))
    return plans


def load(dataset: Dataset, *, now: dt.datetime) -> None:
    """Write this app's demo records for the freshly loaded registry and work orders."""
    rng = random.Random(dataset.seed * 11 + 6)
    tz = timezone.get_default_timezone()
    names = [data.plan.name for data in dataset.projects]
    projects = sorted(Project.objects.filter(name__in=names), key=lambda p: names.index(p.name))
    end = int(now.timestamp()) // STEP * STEP
    start = end - DAYS * 86400
    slots = list(range(start, end + 1, STEP))
    locals_ = [dt.datetime.fromtimestamp(ts, tz) for ts in slots]
    shapes: dict[str, list[float]] = {}
    meters: list[tuple[Meter, Plan]] = []
    for index, project in enumerate(projects):
        buildings = list(Building.objects.filter(project=project).order_by("pk"))
        for plan in _plans(buildings, index):
            meter = Meter(
                project=project,
                building_id=plan.building_id,
                external_id=plan.external_id,
                name=plan.name,
                kind=plan.kind,
                scope=plan.scope,
                unit=DEFAULT_UNITS[plan.kind],  # type: ignore[index]
                reading_type="cumulative",
                multiplier=1.0,
            )
            meters.append((meter, plan))
    Meter.objects.bulk_create([meter for meter, _plan in meters])
    Meter.objects.filter(pk__in=[meter.pk for meter, _plan in meters]).update(
        created_at=now - dt.timedelta(days=DAYS + 1)
    )
    first = projects[0]
    leak = next(meter for meter, plan in meters if meter.project_id == first.pk and plan.external_id.endswith("PU-W1"))
    retrofit_at = end - MEASURE_DAYS_AGO * 86400
    retrofit_at -= (retrofit_at - start) % 86400  # at local midnight of the day
    lights = [meter for meter, plan in meters if meter.project_id == first.pk and plan.scope == "public_lighting"]
    light_ids = {meter.pk for meter in lights}
    rows: list[tuple[int, int, float]] = []
    for count, (meter, plan) in enumerate(meters, 1):
        shape = shapes.get(plan.profile)
        if shape is None:
            shape = shapes[plan.profile] = [_profile(plan.profile, local) for local in locals_]
        register = round(rng.uniform(1000, 50000), 2)
        size = plan.size * rng.uniform(0.7, 1.3)
        meter_id = meter.pk
        is_leak = meter_id == leak.pk
        is_retrofit = meter_id in light_ids
        for ts, factor in zip(slots, shape, strict=True):
            use = size * factor * (0.85 + 0.3 * rng.random())
            if is_retrofit and ts >= retrofit_at:
                use *= 1 - MEASURE_SAVING
            if is_leak and ts >= end - LEAK_DAYS * 86400:
                use += LEAK_FLOW
            register += use
            rows.append((meter_id, ts, round(register, 3)))
        if count % CHUNK_METERS == 0:
            write_readings(rows, tz=tz)
            rows = []
    if rows:
        write_readings(rows, tz=tz)
    _stories(first, lights, retrofit_at, now, tz)


def _stories(project: Project, lights: list[Meter], retrofit_at: int, now: dt.datetime, tz: dt.tzinfo) -> None:
    measure = SavingMeasure.objects.create(
        project=project,
        title="公共照明LED改造",
        description="楼道及景观照明更换为LED灯具并加装声光控开关。",
        started_on=dt.datetime.fromtimestamp(retrofit_at, tz).date(),
    )
    measure.meters.set(lights)
    anomaly_sweep(now, open_work_orders=False)
    actor = command_actor(None)
    for found in Project.objects.filter(pk__in=Meter.objects.values("project_id").distinct()):
        carbon_estimate_create(actor=actor, project_id=found.pk, year=now.year)
