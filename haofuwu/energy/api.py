"""API of the energy app: meters and their usage, project summaries, anomalies, energy-saving measures, carbon
estimates, ingestion keys, and the batch ingestion endpoint (authenticated by a project's ingestion key)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.security import HttpBearer

from haofuwu.core.api_types import ErrorOut, ObjectId, PageIn, PageOut, paginate
from haofuwu.core.errors import NOT_FOUND, NotFound, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.energy import selectors, services
from haofuwu.energy.choices import DEFAULT_UNITS, Resolution
from haofuwu.energy.ingest.service import readings_ingest_json
from haofuwu.energy.schemas import (
    READINGS_BODY_SCHEMA,
    AnomalyFilter,
    AnomalyNoteIn,
    AnomalyOut,
    CarbonEstimateIn,
    CarbonEstimateOut,
    GroupUsageFilter,
    GroupUsageOut,
    IngestKeyCreatedOut,
    IngestKeyIn,
    IngestKeyOut,
    IngestOut,
    MeterFilter,
    MeterIn,
    MeterOut,
    MeterPatch,
    PeriodFilter,
    SavingMeasureIn,
    SavingMeasureOut,
    SummaryOut,
    UsageFilter,
    UsageOut,
)

router = Router(tags=["energy"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# Longest range of one usage request per resolution, so one call cannot ask for decades of hours.
MAX_RANGE = {Resolution.HOUR: dt.timedelta(days=400), Resolution.DAY: dt.timedelta(days=3700)}
DEFAULT_RANGE = {
    Resolution.HOUR: dt.timedelta(days=7),
    Resolution.DAY: dt.timedelta(days=30),
    Resolution.MONTH: dt.timedelta(days=365),
}


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _meter(meter: Any) -> dict[str, Any]:
    return {
        "id": meter.pk,
        "project_id": meter.project_id,
        "building_id": meter.building_id,
        "external_id": meter.external_id,
        "name": meter.name,
        "kind": meter.kind,
        "scope": meter.scope,
        "unit": meter.unit,
        "multiplier": meter.multiplier,
        "reading_type": meter.reading_type,
        "register_max": meter.register_max,
        "interval_minutes": meter.interval_minutes,
        "is_active": meter.is_active,
        "last_reading_at": dt.datetime.fromtimestamp(meter.last_ts, dt.UTC) if meter.last_ts is not None else None,
    }


def _period(
    start: dt.datetime | None, end: dt.datetime | None, resolution: Resolution
) -> tuple[dt.datetime, dt.datetime]:
    """The checked ``[start, end)`` of a request: the resolution's default range, no longer than its limit."""
    end = end or timezone.now()
    start = start or end - DEFAULT_RANGE[resolution]
    for moment, field in ((start, "start"), (end, "end")):
        if timezone.is_naive(moment):
            raise ValidationFailed({field: [_("Give the time with its offset, e.g. 2026-01-01T00:00:00+08:00.")]})
        if not dt.datetime(1971, 1, 1, tzinfo=dt.UTC) <= moment <= dt.datetime(2999, 1, 1, tzinfo=dt.UTC):
            raise ValidationFailed({field: [_("The time is out of range.")]})
    if end <= start:
        raise ValidationFailed({"end": [_("The end must come after the start.")]})
    limit = MAX_RANGE.get(resolution)
    if limit is not None and end - start > limit:
        raise ValidationFailed({"start": [_("The range is too long for this resolution.")]})
    return start, end


@router.get("/meters", response=PageOut[MeterOut])
def meter_list(request: HttpRequest, filters: Query[MeterFilter], page: Query[PageIn]):
    """Meters of the projects in the caller's scope (not for residents)."""
    queryset = selectors.meter_list_for_user(
        _scope(request),
        project_id=filters.project,
        kind=filters.kind or "",
        meter_scope=filters.scope or "",
        search=filters.search,
    )
    return paginate(queryset, page, _meter)


@router.post("/meters", response={201: MeterOut, **ERRORS})
def meter_create(request: HttpRequest, payload: MeterIn):
    """Register a meter (project managers and company administrators)."""
    data = payload.dict()
    data["unit"] = data["unit"] or ""
    meter = services.meter_create(actor=request.user, **data)
    return 201, _meter(meter)


@router.get("/meters/{meter_id}", response={200: MeterOut, 404: ErrorOut})
def meter_detail(request: HttpRequest, meter_id: ObjectId):
    return _meter(selectors.meter_get_for_user(_scope(request), meter_id))


@router.patch("/meters/{meter_id}", response={200: MeterOut, **ERRORS})
def meter_update(request: HttpRequest, meter_id: ObjectId, payload: MeterPatch):
    """Change a meter's name, scope, multiplier, register maximum, interval, building or whether it is active."""
    selectors.meter_get_for_user(_scope(request), meter_id)
    meter = services.meter_update(actor=request.user, meter_id=meter_id, changes=payload.dict(exclude_unset=True))
    return _meter(meter)


@router.get("/meters/{meter_id}/usage", response={200: UsageOut, 404: ErrorOut, 422: ErrorOut})
def meter_usage(request: HttpRequest, meter_id: ObjectId, filters: Query[UsageFilter]):
    """Consumption of one meter per hour, day or month in `[start, end)`, from the rollups."""
    resolution = filters.resolution.value
    start, end = _period(filters.start, filters.end, filters.resolution)
    meter, points = selectors.meter_usage(_scope(request), meter_id, resolution, start, end)
    return {
        "meter_id": meter.pk,
        "unit": meter.unit,
        "resolution": resolution,
        "start": start,
        "end": end,
        "points": [{"start": b, "consumption": round(amount or 0, 6), "readings": n} for b, amount, n in points],
    }


@router.get("/energy/usage", response={200: GroupUsageOut, 404: ErrorOut, 422: ErrorOut})
def group_usage(request: HttpRequest, filters: Query[GroupUsageFilter]):
    """Consumption of one kind summed over a project's meters, or one building's, or one scope's, per hour, day or
    month in `[start, end)`, from the rollups."""
    start, end = _period(filters.start, filters.end, filters.resolution)
    ids, points = selectors.group_usage(
        _scope(request),
        project_id=filters.project,
        resolution=filters.resolution.value,
        start=start,
        end=end,
        kind=filters.kind.value,
        building_id=filters.building,
        meter_scope=filters.scope.value if filters.scope else "",
    )
    return {
        "project_id": filters.project,
        "building_id": filters.building,
        "scope": filters.scope.value if filters.scope else None,
        "kind": filters.kind.value,
        "unit": DEFAULT_UNITS[filters.kind],
        "meters": len(ids),
        "resolution": filters.resolution.value,
        "start": start,
        "end": end,
        "points": [{"start": b, "consumption": round(amount or 0, 6), "readings": n} for b, amount, n in points],
    }


@router.get("/projects/{project_id}/energy/summary", response={200: SummaryOut, 404: ErrorOut, 422: ErrorOut})
def project_energy_summary(request: HttpRequest, project_id: ObjectId, filters: Query[PeriodFilter]):
    """A project's energy over a period (default the last 30 days): totals by kind and scope, intensity per m² and
    per household, change against the previous period and the same period a year before, daily trend, heat map."""
    start, end = _period(filters.start, filters.end, Resolution.DAY)  # 30 days by default, 3,700 at most
    project = selectors.project_get_for_staff(_scope(request), project_id)
    return selectors.project_summary(project, start, end).__dict__


def _anomaly(anomaly: Any) -> dict[str, Any]:
    return {
        "id": anomaly.pk,
        "project_id": anomaly.project_id,
        "meter_id": anomaly.meter_id,
        "meter_name": anomaly.meter.name,
        "kind": anomaly.kind,
        "status": anomaly.status,
        "summary": anomaly.summary,
        "magnitude": anomaly.magnitude,
        "detected_at": anomaly.detected_at,
        "period_start": anomaly.period_start,
        "period_end": anomaly.period_end,
        "investigation_note": anomaly.investigation_note,
        "investigated_at": anomaly.investigated_at,
        "resolved_at": anomaly.resolved_at,
        "work_order_id": anomaly.work_order_id,
    }


@router.get("/energy/anomalies", response=PageOut[AnomalyOut])
def anomaly_list(request: HttpRequest, filters: Query[AnomalyFilter], page: Query[PageIn]):
    """Anomalies found by the sweep in the caller's projects, newest first."""
    queryset = selectors.anomaly_list_for_user(
        _scope(request),
        project_id=filters.project,
        status=filters.status or "",
        kind=filters.kind or "",
    )
    return paginate(queryset, page, _anomaly)


@router.post("/energy/anomalies/{anomaly_id}/investigate", response={200: AnomalyOut, **ERRORS})
def anomaly_investigate(request: HttpRequest, anomaly_id: ObjectId, payload: AnomalyNoteIn):
    """Record what the investigation found (the anomaly stays open until resolved)."""
    selectors.anomaly_get_for_user(_scope(request), anomaly_id)
    services.anomaly_investigate(actor=request.user, anomaly_id=anomaly_id, note=payload.note)
    return _anomaly(selectors.anomaly_get_for_user(_scope(request), anomaly_id))


@router.post("/energy/anomalies/{anomaly_id}/resolve", response={200: AnomalyOut, **ERRORS})
def anomaly_resolve(request: HttpRequest, anomaly_id: ObjectId, payload: AnomalyNoteIn):
    """Close an anomaly (a note here counts as its investigation when none was recorded)."""
    selectors.anomaly_get_for_user(_scope(request), anomaly_id)
    services.anomaly_resolve(actor=request.user, anomaly_id=anomaly_id, note=payload.note)
    return _anomaly(selectors.anomaly_get_for_user(_scope(request), anomaly_id))


def _measure(measure: Any) -> dict[str, Any]:
    saving = selectors.measured_saving(measure, timezone.now())
    return {
        "id": measure.pk,
        "project_id": measure.project_id,
        "title": measure.title,
        "description": measure.description,
        "started_on": measure.started_on,
        "meter_ids": sorted(meter.pk for meter in measure.meters.all()),
        "expected": saving.expected,
        "actual": saving.actual,
        "saved": saving.saved,
        "saved_share": saving.share,
        "hours_measured": saving.hours,
    }


@router.get("/energy/saving-measures", response=PageOut[SavingMeasureOut])
def saving_measure_list(request: HttpRequest, page: Query[PageIn], project: ObjectId | None = None):
    """Energy-saving measures with the saving measured against each meter's baseline (first 28 days)."""
    queryset = selectors.saving_measure_list_for_user(_scope(request), project_id=project)
    return paginate(queryset, page, _measure)


@router.post("/energy/saving-measures", response={201: SavingMeasureOut, **ERRORS})
def saving_measure_create(request: HttpRequest, payload: SavingMeasureIn):
    measure = services.saving_measure_create(actor=request.user, **payload.dict())
    return 201, _measure(measure)


@router.post("/energy/carbon-estimates", response={201: CarbonEstimateOut, **ERRORS})
def carbon_estimate_create(request: HttpRequest, payload: CarbonEstimateIn):
    """Estimate a project's emissions for a calendar year (public-area meters, configured emission factors)."""
    estimate = services.carbon_estimate_create(actor=request.user, project_id=payload.project_id, year=payload.year)
    return 201, {
        "id": estimate.pk,
        "project_id": estimate.project_id,
        "year": estimate.year,
        "kg_co2e": estimate.kg_co2e,
        "by_kind": estimate.by_kind,
        "factors": estimate.factors,
    }


def _key(key: Any) -> dict[str, Any]:
    return {
        "id": key.pk,
        "project_id": key.project_id,
        "name": key.name,
        "prefix": key.prefix,
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "revoked_at": key.revoked_at,
    }


@router.get("/ingest/keys", response=PageOut[IngestKeyOut])
def ingest_key_list(request: HttpRequest, page: Query[PageIn], project: ObjectId | None = None):
    """Ingestion keys of the caller's projects (prefixes only: a key is shown once, when it is created)."""
    return paginate(selectors.ingest_key_list_for_user(_scope(request), project_id=project), page, _key)


@router.post("/ingest/keys", response={201: IngestKeyCreatedOut, **ERRORS})
def ingest_key_create(request: HttpRequest, payload: IngestKeyIn):
    """Create an ingestion key for a project's devices; the answer holds the key, which is not shown again."""
    key, raw = services.ingest_key_create(actor=request.user, project_id=payload.project_id, name=payload.name)
    return 201, {**_key(key), "key": raw}


@router.post("/ingest/keys/{key_id}/revoke", response={200: IngestKeyOut, **ERRORS})
def ingest_key_revoke(request: HttpRequest, key_id: ObjectId):
    if not selectors.ingest_key_list_for_user(_scope(request)).filter(pk=key_id).exists():
        raise NotFound(NOT_FOUND)
    return _key(services.ingest_key_revoke(actor=request.user, key_id=key_id))


class IngestKeyAuth(HttpBearer):
    """``Authorization: Bearer hfi_…``: a project's ingestion key (not a user's token)."""

    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[no-untyped-def]
        key = services.ingest_key_authenticate(token)
        if key is not None:
            request.ingest_key = key  # type: ignore[attr-defined]
        return key


@router.post(
    "/ingest/readings",
    auth=IngestKeyAuth(),
    response={200: IngestOut, 401: ErrorOut, 422: ErrorOut},
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": READINGS_BODY_SCHEMA}}}
    },
)
def ingest_readings(request: HttpRequest):
    """Send up to 10,000 readings of the key's project. Each is stored, found already present (same meter and
    time) or rejected with a reason; the answer counts them and lists the rejected ones by position."""
    key = request.ingest_key  # type: ignore[attr-defined]
    return readings_ingest_json(project_id=key.project_id, body=request.body).as_dict()
