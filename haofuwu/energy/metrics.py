"""Metrics of the energy app that the standard's indicators read (registered with haofuwu.core.metrics).

Green service (A-30, A-31, P-61 to P-63, R-12 in ../shared/research/standard.md): sub-metering of public areas,
complete readings, energy intensity and its change on the year before, anomalies looked into, a carbon estimate.
Each function answers for many projects in a constant number of grouped queries, with the ids of the records
counted (meters, anomalies or carbon estimates), for the half-open period ``[start, end)``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Case, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haofuwu.core import metrics
from haofuwu.core.metrics import MAX_RECORD_IDS, MetricValue
from haofuwu.energy.choices import MANAGED_SCOPES, REQUIRED_PUBLIC_SCOPES, AnomalyStatus, MeterKind, MeterScope
from haofuwu.energy.models import Anomaly, CarbonEstimate, DailyUsage, HourlyUsage, Meter
from haofuwu.energy.selectors import year_before
from haofuwu.estates.selectors import project_facts

INTENSITY, CHANGE = "energy.intensity_kwh_per_m2", "energy.intensity_change"


@metrics.register(
    "energy.submetering_coverage",
    title=_("Public-area sub-metering coverage"),
    unit=metrics.Unit.RATE,
    record_type="energy.meter",
    description="Required public-area scopes (public lighting, elevators where the project has them, pumps and "
    "secondary water supply, common areas) with at least one active meter, over the required scopes.",
)
def submetering_coverage(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[int, MetricValue]:
    facts = project_facts(list(project_ids))
    scopes: dict[int, set[str]] = defaultdict(set)
    ids: dict[int, list[int]] = defaultdict(list)
    rows = Meter.objects.filter(
        metrics.projects_in("project_id", project_ids),
        is_active=True,
        scope__in=REQUIRED_PUBLIC_SCOPES,
        created_at__lt=end,
    ).values_list("project_id", "scope", "pk")
    for project_id, scope, pk in rows.order_by("project_id", "pk"):
        scopes[project_id].add(scope)
        ids[project_id].append(pk)
    result = {}
    for project_id in project_ids:
        fact = facts.get(project_id)
        if fact is None:
            continue
        required = {str(s) for s in REQUIRED_PUBLIC_SCOPES if s != MeterScope.ELEVATORS or fact.has_elevators}
        covered = len(scopes[project_id] & required)
        result[project_id] = MetricValue(
            covered / len(required), covered, len(required), ids[project_id][:MAX_RECORD_IDS]
        )
    return result


@metrics.register(
    "energy.reading_completeness",
    title=_("Reading completeness"),
    unit=metrics.Unit.RATE,
    record_type="energy.meter",
    description="Readings received over readings expected from the active meters (one per reading interval) in the "
    "period up to now; the meters with the largest gaps first.",
)
def reading_completeness(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[int, MetricValue]:
    until = min(end, now)
    meters = list(
        Meter.objects.filter(
            metrics.projects_in("project_id", project_ids), is_active=True, created_at__lt=until
        ).values_list("pk", "project_id", "interval_minutes", "created_at")
    )
    received = dict(
        HourlyUsage.objects.filter(
            metrics.projects_in("meter_id", [m[0] for m in meters]),
            hour__gte=int(start.timestamp()),
            hour__lt=int(until.timestamp()),
        )
        .values("meter_id")
        .annotate(n=Sum("samples"))
        .values_list("meter_id", "n")
    )
    per_project: dict[int, list[tuple[float, int, float, float]]] = defaultdict(list)
    for pk, project_id, interval, created_at in meters:
        seconds = (until - max(start, created_at)).total_seconds()
        expected = max(0.0, seconds / (interval * 60))
        got = min(float(received.get(pk, 0)), expected)
        share = got / expected if expected else 1.0
        per_project[project_id].append((share, pk, got, expected))
    result = {}
    for project_id, found in per_project.items():
        numerator = sum(item[2] for item in found)
        denominator = sum(item[3] for item in found)
        if not denominator:
            continue
        worst_first = [pk for _share, pk, _got, _expected in sorted(found)]
        result[project_id] = MetricValue(
            round(numerator / denominator, 6), numerator, denominator, worst_first[:MAX_RECORD_IDS]
        )
    return result


def _managed_kwh(project_ids: Sequence[int], first: dt.date, last: dt.date) -> dict[int, float]:
    return dict(
        DailyUsage.objects.filter(
            metrics.projects_in("meter__project_id", project_ids),
            meter__kind=MeterKind.ELECTRICITY,
            meter__scope__in=MANAGED_SCOPES,
            day__gte=first,
            day__lt=last,
        )
        .values("meter__project_id")
        .annotate(kwh=Sum("consumption"))
        .values_list("meter__project_id", "kwh")
    )


def _managed_meters(project_ids: Sequence[int]) -> tuple[dict[int, list[int]], dict[int, float]]:
    ids: dict[int, list[int]] = defaultdict(list)
    areas: dict[int, float] = {}
    rows = Meter.objects.filter(
        metrics.projects_in("project_id", project_ids), kind=MeterKind.ELECTRICITY, scope__in=MANAGED_SCOPES
    ).values_list("project_id", "pk", "project__floor_area")
    for project_id, pk, area in rows.order_by("project_id", "pk"):
        ids[project_id].append(pk)
        areas[project_id] = float(area or 0)
    return ids, areas


def _days(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    return timezone.localtime(start).date(), timezone.localtime(end).date()


@metrics.register(
    "energy.intensity_kwh_per_m2",
    title=_("Energy intensity (kWh per m²)"),
    unit=metrics.Unit.QUANTITY,
    record_type="energy.meter",
    description="Electricity of the public-area meters (lighting, elevators, pumps, common areas, garage) in the "
    "period, in kWh per m² of the project's floor area.",
)
def intensity_kwh_per_m2(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[int, MetricValue]:
    ids, areas = _managed_meters(project_ids)
    return _intensity(ids, areas, _managed_kwh(project_ids, *_days(start, end)))


def _intensity(ids: dict[int, list[int]], areas: dict[int, float], kwh: dict[int, float]) -> dict[int, MetricValue]:
    result = {}
    for project_id, used in kwh.items():
        area = areas.get(project_id, 0)
        if area and used is not None:
            result[project_id] = MetricValue(round(used / area, 6), used, area, ids[project_id][:MAX_RECORD_IDS])
    return result


@metrics.register(
    "energy.intensity_change",
    title=_("Change of energy intensity on the year before"),
    unit=metrics.Unit.QUANTITY,
    record_type="energy.meter",
    description="Public-area electricity of the period against the same period a year before: -0.05 is 5% less "
    "(the floor area is the same, so the change of kWh is the change of intensity); lower is better.",
)
def intensity_change(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[int, MetricValue]:
    ids, _areas = _managed_meters(project_ids)
    current = _managed_kwh(project_ids, *_days(start, end))
    return _change(project_ids, start, end, ids, current)


def _change(
    project_ids: Sequence[int],
    start: dt.datetime,
    end: dt.datetime,
    ids: dict[int, list[int]],
    current: dict[int, float],
) -> dict[int, MetricValue]:
    first, last = _days(start, end)
    before = _managed_kwh(project_ids, year_before(first), year_before(last))
    result = {}
    for project_id, used in current.items():
        previous = before.get(project_id)
        if used is None or not previous:
            continue
        result[project_id] = MetricValue(
            round((used - previous) / previous, 6), used, previous, ids[project_id][:MAX_RECORD_IDS]
        )
    return result


@metrics.register(
    "energy.anomalies_investigated_rate",
    title=_("Energy anomalies investigated"),
    unit=metrics.Unit.RATE,
    record_type="energy.anomaly",
    description="Anomalies detected in the period that were closed with a recorded investigation, over all "
    "anomalies detected in the period; those not (yet) closed so first.",
)
def anomalies_investigated_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[int, MetricValue]:
    done = Q(status=AnomalyStatus.RESOLVED) & ~Q(investigation_note="")
    rows = (
        Anomaly.objects.filter(
            metrics.projects_in("project_id", project_ids), detected_at__gte=start, detected_at__lt=end
        )
        .annotate(is_done=Case(When(done, then=Value(1)), default=Value(0)))
        .order_by("project_id", "is_done", "pk")
        .values_list("project_id", "pk", "is_done")
    )
    # One query: every anomaly with whether it was looked into, counted here (those not yet closed so first).
    counts: dict[int, list[int]] = {}
    ids: dict[int, list[int]] = defaultdict(list)
    for project_id, pk, is_done in rows:
        pair = counts.setdefault(project_id, [0, 0])
        pair[0] += is_done
        pair[1] += 1
        if len(ids[project_id]) < MAX_RECORD_IDS:
            ids[project_id].append(pk)
    return {project_id: MetricValue(hit / n, hit, n, ids[project_id]) for project_id, (hit, n) in counts.items()}


@metrics.register(
    "energy.carbon_estimate_produced",
    title=_("Carbon estimate produced"),
    unit=metrics.Unit.RATE,
    record_type="energy.carbonestimate",
    description="1 when the project has a carbon estimate for every calendar year the period touches, else 0.",
)
def carbon_estimate_produced(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[int, MetricValue]:
    first = timezone.localtime(start).year
    last = timezone.localtime(end - dt.timedelta(microseconds=1)).year
    years = set(range(first, last + 1))
    found: dict[int, dict[int, int]] = defaultdict(dict)
    for project_id, year, pk in CarbonEstimate.objects.filter(
        metrics.projects_in("project_id", project_ids), year__in=years
    ).values_list("project_id", "year", "pk"):
        found[project_id][year] = pk
    result = {}
    for project_id in project_ids:
        has_all = set(found[project_id]) == years
        result[project_id] = MetricValue(
            1.0 if has_all else 0.0, 1.0 if has_all else 0.0, 1, sorted(found[project_id].values())
        )
    return result


@metrics.register_batch(INTENSITY, CHANGE)
def compute_together(
    *, names: Sequence[str], project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[str, dict[int, MetricValue]]:
    """Energy intensity and its change on the year before share the meters and the period's kWh: read them once."""
    ids, areas = _managed_meters(project_ids)
    current = _managed_kwh(project_ids, *_days(start, end))
    result = {}
    if INTENSITY in names:
        result[INTENSITY] = _intensity(ids, areas, current)
    if CHANGE in names:
        result[CHANGE] = _change(project_ids, start, end, ids, current)
    return result
