"""API schemas of the energy app."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from haofuwu.core.api_types import ObjectId, Text
from haofuwu.energy.choices import AnomalyKind, AnomalyStatus, MeterKind, MeterScope, MeterUnit, ReadingType, Resolution

ExternalId = Annotated[Text, Field(min_length=1, max_length=64)]


class MeterFilter(Schema):
    project: ObjectId | None = None
    kind: MeterKind | None = None
    scope: MeterScope | None = None
    search: Annotated[Text, Field(max_length=100)] = ""


class MeterIn(Schema):
    project_id: ObjectId
    external_id: ExternalId
    name: Annotated[Text, Field(min_length=1, max_length=100)]
    kind: MeterKind
    scope: MeterScope
    unit: MeterUnit | None = None
    multiplier: float = Field(1.0, gt=0, le=1_000_000)
    reading_type: ReadingType = ReadingType.CUMULATIVE
    register_max: float | None = Field(None, gt=0, le=1e15)
    interval_minutes: int = Field(15, ge=1, le=1440)
    building_id: ObjectId | None = None


class MeterPatch(Schema):
    name: Annotated[Text, Field(min_length=1, max_length=100)] | None = None
    scope: MeterScope | None = None
    multiplier: float | None = Field(None, gt=0, le=1_000_000)
    register_max: float | None = Field(None, gt=0, le=1e15)
    interval_minutes: int | None = Field(None, ge=1, le=1440)
    is_active: bool | None = None
    building_id: ObjectId | None = None


class MeterOut(Schema):
    id: int
    project_id: int
    building_id: int | None
    external_id: str
    name: str
    kind: str
    scope: str
    unit: str
    multiplier: float
    reading_type: str
    register_max: float | None
    interval_minutes: int
    is_active: bool
    last_reading_at: dt.datetime | None


class UsageFilter(Schema):
    resolution: Resolution = Resolution.DAY
    start: dt.datetime | None = None
    end: dt.datetime | None = None


class GroupUsageFilter(UsageFilter):
    project: ObjectId
    building: ObjectId | None = None
    scope: MeterScope | None = None
    kind: MeterKind = MeterKind.ELECTRICITY


class UsagePoint(Schema):
    start: dt.datetime | dt.date
    consumption: float
    readings: int


class UsageOut(Schema):
    meter_id: int
    unit: str
    resolution: str
    start: dt.datetime
    end: dt.datetime
    points: list[UsagePoint]


class GroupUsageOut(Schema):
    project_id: int
    building_id: int | None
    scope: str | None
    kind: str
    unit: str
    meters: int
    resolution: str
    start: dt.datetime
    end: dt.datetime
    points: list[UsagePoint]


class PeriodFilter(Schema):
    start: dt.datetime | None = None
    end: dt.datetime | None = None


class SummaryOut(Schema):
    project_id: int
    start: dt.date
    end: dt.date
    meters: int
    by_kind: dict[str, float]
    by_scope: list[dict[str, Any]]
    managed_electricity_kwh: float
    intensity_kwh_per_m2: float | None
    kwh_per_household: float | None
    change_previous_period: float | None
    change_previous_year: float | None
    open_anomalies: int
    daily: list[dict[str, Any]]
    heatmap: list[list[float]]


class AnomalyFilter(Schema):
    project: ObjectId | None = None
    status: AnomalyStatus | None = None
    kind: AnomalyKind | None = None


class AnomalyOut(Schema):
    id: int
    project_id: int
    meter_id: int
    meter_name: str
    kind: str
    status: str
    summary: str
    magnitude: float
    detected_at: dt.datetime
    period_start: dt.datetime
    period_end: dt.datetime
    investigation_note: str
    investigated_at: dt.datetime | None
    resolved_at: dt.datetime | None
    work_order_id: int | None


class AnomalyNoteIn(Schema):
    note: Annotated[Text, Field(max_length=2000)] = ""


class SavingMeasureIn(Schema):
    project_id: ObjectId
    title: Annotated[Text, Field(min_length=1, max_length=100)]
    description: Annotated[Text, Field(max_length=2000)] = ""
    started_on: dt.date
    meter_ids: list[ObjectId] = Field(..., min_length=1, max_length=200)


class SavingMeasureOut(Schema):
    id: int
    project_id: int
    title: str
    description: str
    started_on: dt.date
    meter_ids: list[int]
    expected: float
    actual: float
    saved: float
    saved_share: float | None
    hours_measured: int


class CarbonEstimateIn(Schema):
    project_id: ObjectId
    year: int = Field(..., ge=2000, le=2100)


class CarbonEstimateOut(Schema):
    id: int
    project_id: int
    year: int
    kg_co2e: float
    by_kind: dict[str, float]
    factors: dict[str, float]


class IngestKeyIn(Schema):
    project_id: ObjectId
    name: Annotated[Text, Field(max_length=100)] = ""


class IngestKeyOut(Schema):
    id: int
    project_id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class IngestKeyCreatedOut(IngestKeyOut):
    key: str


class RejectionOut(Schema):
    index: int
    meter: str
    ts: str
    reason: str
    message: str


class IngestOut(Schema):
    stored: int
    already_present: int
    rejected: int
    errors: list[RejectionOut]


# The request body of POST /ingest/readings, written out because the endpoint parses it itself: a bad reading
# must be reported with its reason while the good ones are stored, which a schema-validated body cannot do.
READINGS_BODY_SCHEMA = {
    "type": "object",
    "required": ["readings"],
    "properties": {
        "readings": {
            "type": "array",
            "maxItems": 10000,
            "items": {
                "type": "object",
                "required": ["meter", "ts", "value"],
                "properties": {
                    "meter": {"type": "string", "description": "the meter's device id"},
                    "ts": {"type": "string", "format": "date-time"},
                    "value": {"type": "number"},
                },
            },
        }
    },
}
