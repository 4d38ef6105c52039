"""Read side of the energy app: scoped meters, keys, anomalies and measures, and the analytics read from rollups.

Meters and their data are for staff, companies and regulators; residents do not see them (a 404). Every series is
read from the hourly, daily or monthly rollup, never from the raw table, so a year of one meter's hours is one index
range scan of 8,760 rows however many raw readings lie behind them.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from haofuwu.core.errors import NOT_FOUND, NotFound
from haofuwu.core.scoping import Scope
from haofuwu.energy.choices import MANAGED_SCOPES, AnomalyStatus, MeterKind, Resolution
from haofuwu.energy.models import (
    Anomaly,
    DailyUsage,
    HourlyUsage,
    IngestKey,
    Meter,
    MonthlyUsage,
    SavingMeasure,
)
from haofuwu.estates import selectors as estates

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def staff_visibility(scope: Scope, path: str = "project") -> Q | None:
    """Which rows of a project-scoped energy model the scope may read: staff, companies and regulators by
    project; residents nothing. ``None`` means every row."""
    if scope.sees_everything:
        return None
    return scope.project_q(path, include_households=False)


def _visible(queryset: QuerySet, scope: Scope, path: str = "project") -> QuerySet:
    if not scope.is_authenticated:
        return queryset.none()
    q = staff_visibility(scope, path)
    return queryset if q is None else queryset.filter(q)


def project_get_for_staff(scope: Scope, project_id: int) -> Any:
    """A project whose energy data the scope may read (residents get ``NotFound``)."""
    project = estates.project_get_for_user(scope, project_id)
    sees = (
        scope.sees_everything
        or project.pk in scope.project_ids
        or project.company_id in scope.company_ids
        or project.district in scope.districts
    )
    if not sees:
        raise NotFound(NOT_FOUND)
    return project


def energy_projects_for_user(scope: Scope) -> QuerySet:
    """Projects whose energy the scope may read, by name."""
    projects = estates.project_list_for_user(scope)
    q = staff_visibility(scope, "")
    return (projects if q is None else projects.filter(q)).order_by("name")


def meter_list_for_user(
    scope: Scope, *, project_id: int | None = None, kind: str = "", meter_scope: str = "", search: str = ""
) -> QuerySet[Meter]:
    """Meters the scope can see, by project, kind and name."""
    queryset = _visible(Meter.objects.select_related("project", "building"), scope)
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if meter_scope:
        queryset = queryset.filter(scope=meter_scope)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(external_id__icontains=search))
    return queryset.order_by("project_id", "kind", "name", "pk")


def meter_get_for_user(scope: Scope, meter_id: int) -> Meter:
    meter = meter_list_for_user(scope).filter(pk=meter_id).first()
    if meter is None:
        raise NotFound(NOT_FOUND)
    return meter


def ingest_key_list_for_user(scope: Scope, *, project_id: int | None = None) -> QuerySet[IngestKey]:
    """Ingestion keys (prefix and dates only) of the projects the scope manages or sees."""
    queryset = _visible(IngestKey.objects.all(), scope)
    return queryset.filter(project_id=project_id) if project_id else queryset


def anomaly_list_for_user(
    scope: Scope, *, project_id: int | None = None, status: str = "", kind: str = ""
) -> QuerySet[Anomaly]:
    queryset = _visible(Anomaly.objects.select_related("meter", "project"), scope)
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-detected_at", "-pk")


def anomaly_get_for_user(scope: Scope, anomaly_id: int) -> Anomaly:
    anomaly = anomaly_list_for_user(scope).filter(pk=anomaly_id).first()
    if anomaly is None:
        raise NotFound(NOT_FOUND)
    return anomaly


def saving_measure_list_for_user(scope: Scope, *, project_id: int | None = None) -> QuerySet[SavingMeasure]:
    queryset = _visible(SavingMeasure.objects.select_related("project").prefetch_related("meters"), scope)
    return (queryset.filter(project_id=project_id) if project_id else queryset).order_by("-started_on", "-pk")


# --- series from rollups -------------------------------------------------------------------------------------


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _day_range(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    """The local days ``[first, last)`` that ``[start, end)`` touches (a day partly inside counts)."""
    return _local_date(start), _local_date(end - dt.timedelta(microseconds=1)) + dt.timedelta(days=1)


def usage_series(
    meter_ids: list[int] | QuerySet, resolution: str, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime | dt.date, float, int]]:
    """Consumption summed over the meters per hour, day or month in ``[start, end)``: ``(bucket, amount,
    readings)``. Hours are aware datetimes; days and months are local dates (a month by its first day)."""
    if resolution == Resolution.HOUR:
        hours = HourlyUsage.objects.filter(hour__gte=int(start.timestamp()), hour__lt=int(end.timestamp()))
        if isinstance(meter_ids, list) and len(meter_ids) == 1:
            # One meter: its rows as they are, an index range scan without grouping (the chart of a meter).
            rows = hours.filter(meter_id=meter_ids[0]).order_by("hour").values_list("hour", "consumption", "samples")
        else:
            rows = (
                hours.filter(meter_id__in=meter_ids)
                .values("hour")
                .annotate(amount=Sum("consumption"), n=Sum("samples"))
                .order_by("hour")
                .values_list("hour", "amount", "n")
            )
        # UTC datetimes by adding seconds to the epoch: a time-zone conversion per hour would cost more than the
        # query (8,760 of them for a year); callers that show local hours convert the few they show.
        return [(EPOCH + dt.timedelta(seconds=hour), amount, n) for hour, amount, n in rows]
    model: type[DailyUsage] | type[MonthlyUsage]
    first, last = _day_range(start, end)
    if resolution == Resolution.DAY:
        model, key = DailyUsage, "day"
    else:
        model, key = MonthlyUsage, "month"
        first = first.replace(day=1)
    return list(
        model.objects.filter(**{"meter_id__in": meter_ids, f"{key}__gte": first, f"{key}__lt": last})
        .values(key)
        .annotate(amount=Sum("consumption"), n=Sum("samples"))
        .order_by(key)
        .values_list(key, "amount", "n")
    )


def meter_usage(
    scope: Scope, meter_id: int, resolution: str, start: dt.datetime, end: dt.datetime
) -> tuple[Meter, list[tuple[Any, float, int]]]:
    """One meter (in scope) and its series."""
    meter = meter_get_for_user(scope, meter_id)
    return meter, usage_series([meter.pk], resolution, start, end)


def group_usage(
    scope: Scope,
    *,
    project_id: int,
    resolution: str,
    start: dt.datetime,
    end: dt.datetime,
    kind: str,
    building_id: int | None = None,
    meter_scope: str = "",
) -> tuple[list[int], list[tuple[Any, float, int]]]:
    """Consumption of a project's meters of one kind — or of one building's, or one scope's — per hour, day or
    month: the meters counted and the series (readings of other kinds are never added up)."""
    project = project_get_for_staff(scope, project_id)
    meters = Meter.objects.filter(project=project, kind=kind)
    if building_id:
        meters = meters.filter(building_id=building_id)
    if meter_scope:
        meters = meters.filter(scope=meter_scope)
    ids = list(meters.values_list("pk", flat=True))
    return ids, usage_series(ids, resolution, start, end) if ids else []


def _daily_totals(meters: QuerySet, first: dt.date, last: dt.date, *group: str) -> list[tuple[Any, ...]]:
    return list(
        DailyUsage.objects.filter(meter__in=meters, day__gte=first, day__lt=last)
        .values(*group)
        .annotate(amount=Sum("consumption"))
        .order_by(*group)
        .values_list(*group, "amount")
    )


def _change(current: float | None, previous: float | None) -> float | None:
    if current is None or not previous:
        return None
    return round((current - previous) / previous, 4)


@dataclass(frozen=True)
class ProjectSummary:
    """A project's energy over a period: totals and their change, intensity, breakdown, trend, heat map."""

    project_id: int
    start: dt.date
    end: dt.date
    by_kind: dict[str, float]
    by_scope: list[dict[str, Any]]
    managed_electricity_kwh: float
    intensity_kwh_per_m2: float | None
    kwh_per_household: float | None
    change_previous_period: float | None
    change_previous_year: float | None
    daily: list[dict[str, Any]]
    heatmap: list[list[float]]  # [weekday 0=Monday][hour] mean electricity use
    open_anomalies: int
    meters: int


def project_summary(project: Any, start: dt.datetime, end: dt.datetime) -> ProjectSummary:
    """Everything the project dashboard shows, from the daily and hourly rollups, in a few grouped queries (the
    project as found by ``project_get_for_staff``)."""
    meters = Meter.objects.filter(project=project)
    first, last = _day_range(start, end)
    length = last - first
    managed = meters.filter(scope__in=MANAGED_SCOPES, kind=MeterKind.ELECTRICITY)
    by_scope_rows = _daily_totals(meters, first, last, "meter__kind", "meter__scope")
    by_kind: dict[str, float] = defaultdict(float)
    for kind, meter_scope, amount in by_scope_rows:
        if meter_scope in MANAGED_SCOPES:
            by_kind[kind] += amount or 0
    managed_now = _sum(_daily_totals(managed, first, last, "meter__project_id"))
    managed_before = _sum(_daily_totals(managed, first - length, first, "meter__project_id"))
    year_ago = year_before(first), year_before(last)
    managed_year_ago = _sum(_daily_totals(managed, year_ago[0], year_ago[1], "meter__project_id"))
    area = float(project.floor_area or 0)
    households = estates.household_counts([project.pk]).get(project.pk, 0)
    daily = [
        {"day": day, "kind": kind, "amount": round(amount or 0, 3)}
        for day, kind, amount in _daily_totals(
            meters.filter(scope__in=MANAGED_SCOPES), first, last, "day", "meter__kind"
        )
    ]
    return ProjectSummary(
        project_id=project.pk,
        start=first,
        end=last,
        by_kind={kind: round(value, 3) for kind, value in by_kind.items()},
        by_scope=[
            {"kind": kind, "scope": meter_scope, "amount": round(amount or 0, 3)}
            for kind, meter_scope, amount in by_scope_rows
        ],
        managed_electricity_kwh=round(managed_now or 0, 3),
        intensity_kwh_per_m2=round(managed_now / area, 4) if area and managed_now is not None else None,
        kwh_per_household=round(managed_now / households, 3) if households and managed_now is not None else None,
        change_previous_period=_change(managed_now, managed_before),
        change_previous_year=_change(managed_now, managed_year_ago),
        daily=daily,
        heatmap=_heatmap(managed, start, end),
        open_anomalies=Anomaly.objects.filter(project=project).exclude(status=AnomalyStatus.RESOLVED).count(),
        meters=meters.count(),
    )


def _sum(rows: list[tuple[Any, ...]]) -> float | None:
    return sum(row[-1] or 0 for row in rows) if rows else None


def year_before(day: dt.date) -> dt.date:
    """The same day a year before (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _heatmap(meters: QuerySet, start: dt.datetime, end: dt.datetime) -> list[list[float]]:
    """Mean use per weekday and local hour over the period (the hour × day heat map)."""
    tz = timezone.get_default_timezone()
    sums = [[0.0] * 24 for _day in range(7)]
    counts = [[0] * 24 for _day in range(7)]
    rows = (
        HourlyUsage.objects.filter(meter__in=meters, hour__gte=int(start.timestamp()), hour__lt=int(end.timestamp()))
        .values("hour")
        .annotate(amount=Sum("consumption"))
        .values_list("hour", "amount")
    )
    for hour, amount in rows:
        local = dt.datetime.fromtimestamp(hour, tz)
        sums[local.weekday()][local.hour] += amount or 0
        counts[local.weekday()][local.hour] += 1
    return [
        [round(s / c, 3) if c else 0.0 for s, c in zip(sd, cd, strict=True)]
        for sd, cd in zip(sums, counts, strict=True)
    ]


def baseline_profile(meter_id: int, before: dt.datetime, *, weeks: int = 8) -> dict[tuple[int, int], float]:
    """A meter's baseline: for each (weekday, local hour), the median consumption of that weekday and hour over
    the ``weeks`` weeks before ``before`` (hours without data are left out)."""
    tz = timezone.get_default_timezone()
    end = int(before.timestamp()) // 3600 * 3600
    rows = HourlyUsage.objects.filter(meter_id=meter_id, hour__gte=end - weeks * 7 * 86400, hour__lt=end).values_list(
        "hour", "consumption"
    )
    values: dict[tuple[int, int], list[float]] = defaultdict(list)
    for hour, consumption in rows:
        local = dt.datetime.fromtimestamp(hour, tz)
        values[(local.weekday(), local.hour)].append(consumption)
    return {key: statistics.median(found) for key, found in values.items()}


@dataclass(frozen=True)
class MeasuredSaving:
    """What a measure saved since it started: expected (baseline) against actual, over the hours with data."""

    expected: float
    actual: float
    hours: int

    @property
    def saved(self) -> float:
        return round(self.expected - self.actual, 3)

    @property
    def share(self) -> float | None:
        return round(self.saved / self.expected, 4) if self.expected else None


def measured_saving(measure: SavingMeasure, now: dt.datetime, *, days: int = 28) -> MeasuredSaving:
    """The saving of a measure on its meters over up to ``days`` days from its start: each hour's actual use
    against the meter's baseline for that weekday and hour, taken from the 8 weeks before the start."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(measure.started_on, dt.time(), tz)
    end = min(now, start + dt.timedelta(days=days))
    expected = actual = 0.0
    hours = 0
    for meter in measure.meters.all():
        profile = baseline_profile(meter.pk, start)
        rows = HourlyUsage.objects.filter(
            meter_id=meter.pk, hour__gte=int(start.timestamp()), hour__lt=int(end.timestamp())
        ).values_list("hour", "consumption")
        for hour, consumption in rows:
            local = dt.datetime.fromtimestamp(hour, tz)
            baseline = profile.get((local.weekday(), local.hour))
            if baseline is None:
                continue
            expected += baseline
            actual += consumption
            hours += 1
    return MeasuredSaving(round(expected, 3), round(actual, 3), hours)


@dataclass(frozen=True)
class BenchmarkRow:
    project_id: int
    name: str
    company: str
    district: str
    kwh: float | None
    kwh_per_m2: float | None
    kwh_per_household: float | None
    change_previous_year: float | None


def benchmarking(scope: Scope, start: dt.datetime, end: dt.datetime) -> list[BenchmarkRow]:
    """Managed electricity of every project in the scope over a period, per m² and per household, with the change
    against the same period a year before: three grouped queries whatever the number of projects."""
    projects = list(
        energy_projects_for_user(scope).values_list("pk", "name", "company__name", "district", "floor_area")
    )
    ids = [row[0] for row in projects]
    first, last = _day_range(start, end)
    managed = Meter.objects.filter(project_id__in=ids, scope__in=MANAGED_SCOPES, kind=MeterKind.ELECTRICITY)
    now_rows = dict(_daily_totals(managed, first, last, "meter__project_id"))
    before_rows = dict(_daily_totals(managed, year_before(first), year_before(last), "meter__project_id"))
    households = estates.household_counts(ids) if ids else {}
    rows = []
    for pk, name, company, district, area in projects:
        kwh = now_rows.get(pk)
        area_value = float(area or 0)
        rows.append(
            BenchmarkRow(
                project_id=pk,
                name=name,
                company=company,
                district=district,
                kwh=round(kwh, 1) if kwh is not None else None,
                kwh_per_m2=round(kwh / area_value, 3) if kwh is not None and area_value else None,
                kwh_per_household=round(kwh / households[pk], 2) if kwh is not None and households.get(pk) else None,
                change_previous_year=_change(kwh, before_rows.get(pk)),
            )
        )
    rows.sort(key=lambda row: (row.kwh_per_m2 is None, row.kwh_per_m2 or 0))
    return rows
