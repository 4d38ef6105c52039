"""Anomalies: the sweep that finds them in the rollups, and the people who investigate and resolve them.

The sweep reads only rollups, for every meter at once (a handful of grouped queries, never a query per meter):

- night-time water flow: a water meter whose smallest hourly flow between 01:00 and 05:00 stayed above
  ``NIGHT_FLOW_MIN`` on each of the last three nights — water that runs while everyone sleeps is usually a leak;
- a rise of more than 20% month on month (the last complete month against the one before);
- flat-lined data: readings arrive but the consumption has been exactly zero for a day, after a week with use;
- missing data: fewer than half of the readings expected in the last day.

Each anomaly is stored once per meter, kind and period (``dedup_key``), and not raised again while one of the same
kind is still open for the meter. Managers are told (inbox and SMS, with a dedup key); a leak can also open a work
order through the work-order service, channel "alarm", when ``ENERGY_ANOMALY_WORK_ORDERS`` is on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.core import audit
from haofuwu.core.errors import NOT_FOUND, NotFound, ValidationFailed
from haofuwu.energy.choices import AnomalyKind, AnomalyStatus, MeterKind
from haofuwu.energy.models import Anomaly, HourlyUsage, Meter, MonthlyUsage
from haofuwu.energy.services.common import managed_project
from haofuwu.estates import selectors as estates
from haofuwu.workorders import services as workorders

NIGHT_FLOW_MIN = 0.05  # m³ an hour: 50 litres an hour through the quietest hour is more than a dripping tap
NIGHT_HOURS = (1, 2, 3, 4)  # local hours starting 01:00 … 04:00, i.e. 01:00–05:00
NIGHTS = 3
MONTHLY_RISE = 0.20  # guideline: a rise of more than 20% month on month is looked into
MONTHLY_RISE_MIN = 10.0  # units; tiny months rise by large percentages for no reason
MISSING_SHARE = 0.5


@dataclass(frozen=True)
class Finding:
    meter_id: int
    project_id: int
    kind: str
    period_start: dt.datetime
    period_end: dt.datetime
    magnitude: float
    summary: str


def anomaly_sweep(now: dt.datetime, *, open_work_orders: bool | None = None) -> list[Anomaly]:
    """Look for anomalies in every active meter's rollups; store, announce and return the new ones."""
    tz = timezone.get_default_timezone()
    meters = {
        row[0]: row
        for row in Meter.objects.filter(is_active=True).values_list(
            "id", "project_id", "kind", "name", "interval_minutes", "created_at"
        )
    }
    if not meters:
        return []
    findings = [
        *_night_flow(meters, now, tz),
        *_monthly_rise(meters, now, tz),
        *_flatline_and_missing(meters, now),
    ]
    busy = set(Anomaly.objects.exclude(status=AnomalyStatus.RESOLVED).values_list("meter_id", "kind").distinct())
    created: list[Anomaly] = []
    wants_work_orders = (
        getattr(settings, "ENERGY_ANOMALY_WORK_ORDERS", False) if open_work_orders is None else open_work_orders
    )
    for finding in findings:
        if (finding.meter_id, finding.kind) in busy:
            continue
        anomaly = _store(finding, now)
        if anomaly is None:
            continue
        busy.add((finding.meter_id, finding.kind))
        created.append(anomaly)
        _announce(anomaly, meters[finding.meter_id][3], open_work_order=wants_work_orders)
    return created


def _store(finding: Finding, now: dt.datetime) -> Anomaly | None:
    try:
        with transaction.atomic():
            return Anomaly.objects.create(
                project_id=finding.project_id,
                meter_id=finding.meter_id,
                kind=finding.kind,
                detected_at=now,
                period_start=finding.period_start,
                period_end=finding.period_end,
                magnitude=round(finding.magnitude, 4),
                summary=finding.summary[:200],
                dedup_key=f"{finding.kind}:{finding.period_start:%Y%m%d%H}",
            )
    except IntegrityError:
        return None  # another worker stored it first


def _announce(anomaly: Anomaly, meter_name: str, *, open_work_order: bool) -> None:
    link = f"/energy/meters/{anomaly.meter_id}/"
    workorders.project_managers_notify(
        project_id=anomaly.project_id,
        title=_("Energy anomaly: %(summary)s") % {"summary": anomaly.summary},
        body=anomaly.get_kind_display(),
        link=link,
        dedup_key=f"energy.anomaly:{anomaly.pk}",
    )
    if open_work_order and anomaly.kind == AnomalyKind.NIGHT_FLOW:
        managers = estates.project_manager_users(anomaly.project_id)
        if not managers:
            return
        order = workorders.work_order_submit(
            actor=managers[0],
            project_id=anomaly.project_id,
            kind="repair",
            category="water",
            urgency="normal",
            channel="alarm",
            title=(_("Possible leak: %(meter)s") % {"meter": meter_name})[:80],
            description=anomaly.summary,
            public_area=meter_name[:100],
            notify_managers=False,
        )
        Anomaly.objects.filter(pk=anomaly.pk).update(work_order=order)


def _local_hour(day: dt.date, hour: int, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tz)


def _night_flow(meters: dict[int, tuple[Any, ...]], now: dt.datetime, tz: dt.tzinfo) -> list[Finding]:
    water = [meter_id for meter_id, row in meters.items() if row[2] == MeterKind.WATER]
    if not water:
        return []
    today = now.astimezone(tz).date()
    if now.astimezone(tz).hour < NIGHT_HOURS[-1] + 1:
        today -= dt.timedelta(days=1)  # tonight is not over yet
    nights = [today - dt.timedelta(days=n) for n in range(NIGHTS)]
    hours = {int(_local_hour(night, hour, tz).timestamp()): night for night in nights for hour in NIGHT_HOURS}
    rows = HourlyUsage.objects.filter(meter_id__in=water, hour__in=list(hours)).values_list(
        "meter_id", "hour", "consumption"
    )
    smallest: dict[int, dict[dt.date, list[float]]] = defaultdict(lambda: defaultdict(list))
    for meter_id, hour, consumption in rows:
        smallest[meter_id][hours[hour]].append(consumption)
    findings = []
    for meter_id, by_night in smallest.items():
        complete = all(len(by_night.get(night, [])) == len(NIGHT_HOURS) for night in nights)
        if not complete:
            continue
        lows = [min(by_night[night]) for night in nights]
        if min(lows) > NIGHT_FLOW_MIN:
            flow = min(lows)
            findings.append(
                Finding(
                    meter_id,
                    meters[meter_id][1],
                    AnomalyKind.NIGHT_FLOW,
                    _local_hour(nights[-1], NIGHT_HOURS[0], tz),
                    _local_hour(nights[0], NIGHT_HOURS[-1] + 1, tz),
                    flow,
                    _("%(meter)s: water kept flowing at night (at least %(flow).2f m³ an hour) for %(nights)d nights")
                    % {"meter": meters[meter_id][3], "flow": flow, "nights": NIGHTS},
                )
            )
    return findings


def _monthly_rise(meters: dict[int, tuple[Any, ...]], now: dt.datetime, tz: dt.tzinfo) -> list[Finding]:
    this_month = now.astimezone(tz).date().replace(day=1)
    last = (this_month - dt.timedelta(days=1)).replace(day=1)
    before = (last - dt.timedelta(days=1)).replace(day=1)
    rows = MonthlyUsage.objects.filter(meter_id__in=list(meters), month__in=[last, before]).values_list(
        "meter_id", "month", "consumption"
    )
    by_meter: dict[int, dict[dt.date, float]] = defaultdict(dict)
    for meter_id, month, consumption in rows:
        by_meter[meter_id][month] = consumption
    findings = []
    for meter_id, months in by_meter.items():
        previous, current = months.get(before), months.get(last)
        if previous is None or current is None or previous < MONTHLY_RISE_MIN:
            continue
        rise = (current - previous) / previous
        if rise > MONTHLY_RISE:
            findings.append(
                Finding(
                    meter_id,
                    meters[meter_id][1],
                    AnomalyKind.MONTHLY_RISE,
                    dt.datetime.combine(last, dt.time(), tz),
                    dt.datetime.combine(this_month, dt.time(), tz),
                    rise,
                    _("%(meter)s: %(rise).0f%% more in %(month)s than the month before")
                    % {"meter": meters[meter_id][3], "rise": rise * 100, "month": f"{last:%Y-%m}"},
                )
            )
    return findings


def _flatline_and_missing(meters: dict[int, tuple[Any, ...]], now: dt.datetime) -> list[Finding]:
    end = int(now.timestamp()) // 3600 * 3600
    day_start = end - 86400
    week_start = day_start - 7 * 86400
    last_day = {
        row[0]: row[1:]
        for row in HourlyUsage.objects.filter(meter_id__in=list(meters), hour__gte=day_start, hour__lt=end)
        .values("meter_id")
        .annotate(n=Sum("samples"), used=Sum("consumption"), low=Min("consumption"), hours=Count("hour"))
        .values_list("meter_id", "n", "used", "hours")
    }
    week_use = dict(
        HourlyUsage.objects.filter(meter_id__in=list(meters), hour__gte=week_start, hour__lt=day_start)
        .values("meter_id")
        .annotate(used=Sum("consumption"))
        .values_list("meter_id", "used")
    )
    start_at = dt.datetime.fromtimestamp(day_start, dt.UTC)
    end_at = dt.datetime.fromtimestamp(end, dt.UTC)
    findings = []
    for meter_id, (_id, project_id, _kind, name, interval, created_at) in meters.items():
        if created_at > start_at:
            continue  # a meter younger than a day has no full day to judge
        expected = 86400 // (interval * 60)
        samples, used, hours = last_day.get(meter_id, (0, 0.0, 0))
        if samples < expected * MISSING_SHARE:
            findings.append(
                Finding(
                    meter_id,
                    project_id,
                    AnomalyKind.MISSING_DATA,
                    start_at,
                    end_at,
                    1 - samples / expected,
                    _("%(meter)s: %(got)d of %(expected)d readings arrived in the last day")
                    % {"meter": name, "got": samples, "expected": expected},
                )
            )
        elif hours == 24 and used == 0 and (week_use.get(meter_id) or 0) > 0:
            findings.append(
                Finding(
                    meter_id,
                    project_id,
                    AnomalyKind.FLATLINE,
                    start_at,
                    end_at,
                    0.0,
                    _("%(meter)s: readings arrive but show no consumption for a day") % {"meter": name},
                )
            )
    return findings


def _anomaly_for_manager(actor: Any, anomaly_id: int) -> Anomaly:
    anomaly = Anomaly.objects.select_for_update().filter(pk=anomaly_id).first()
    if anomaly is None:
        raise NotFound(NOT_FOUND)
    managed_project(actor, anomaly.project_id)
    return anomaly


@transaction.atomic
def anomaly_investigate(*, actor: Any, anomaly_id: int, note: str) -> Anomaly:
    """Record what was found when the anomaly was looked into; it stays open until resolved."""
    anomaly = _anomaly_for_manager(actor, anomaly_id)
    if not note.strip():
        raise ValidationFailed({"note": [_("Say what the investigation found.")]})
    if anomaly.status == AnomalyStatus.RESOLVED:
        raise ValidationFailed({"note": [_("The anomaly is already resolved.")]})
    anomaly.status = AnomalyStatus.INVESTIGATING
    anomaly.investigation_note = note.strip()
    anomaly.investigated_at = timezone.now()
    anomaly.investigated_by = actor
    anomaly.save()
    audit.record(actor, "energy_anomaly.investigate", anomaly, {"kind": anomaly.kind})
    return anomaly


@transaction.atomic
def anomaly_resolve(*, actor: Any, anomaly_id: int, note: str = "") -> Anomaly:
    """Close an anomaly; a note given here counts as its investigation when none was recorded."""
    anomaly = _anomaly_for_manager(actor, anomaly_id)
    if anomaly.status == AnomalyStatus.RESOLVED:
        return anomaly
    now = timezone.now()
    if note.strip():
        anomaly.investigation_note = note.strip()
        anomaly.investigated_at = anomaly.investigated_at or now
        anomaly.investigated_by = anomaly.investigated_by or actor
    anomaly.status = AnomalyStatus.RESOLVED
    anomaly.resolved_at = now
    anomaly.resolved_by = actor
    anomaly.save()
    audit.record(actor, "energy_anomaly.resolve", anomaly, {"kind": anomaly.kind})
    return anomaly
