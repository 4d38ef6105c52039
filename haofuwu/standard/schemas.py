"""Schemas of the standard API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from haofuwu.core.api_types import ObjectId, Text


class CatalogueOut(Schema):
    code: str
    version: str
    title_zh: str
    title_en: str
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    indicators: int
    is_in_force: bool


class IndicatorOut(Schema):
    id: str
    title_zh: str
    title_en: str
    requirement_zh: str
    requirement_en: str
    section: str
    dimensions: list[str]
    category: str
    source: str
    certainty: str
    points: float
    kind: str
    metric: str | None
    provided_by: str
    is_metric_available: bool
    rule: dict[str, Any]
    applies_to: dict[str, Any]
    period: str
    notes: str


class ScorecardFilter(Schema):
    project_id: ObjectId | None = None
    company_id: ObjectId | None = None
    district: Text = Field("", max_length=6)
    period: Text = Field("", max_length=10)
    catalogue: Text = Field("", max_length=50)
    include_superseded: bool = False


class ScorecardOut(Schema):
    id: int
    project_id: int
    project_name: str
    company_id: int
    company_name: str
    district: str
    period: str
    catalogue_code: str
    catalogue_version: str
    score: float | None
    stars: int
    vetoed: bool
    points_earned: float
    points_possible: float
    indicators_applicable: int
    indicators_with_data: int
    inputs_hash: str
    computed_at: dt.datetime
    superseded_at: dt.datetime | None
    is_published: bool


class EvidenceOut(Schema):
    id: int
    project_id: int
    catalogue_code: str
    indicator_id: str
    original_name: str
    content_type: str
    size: int
    note: str
    url: str
    uploaded_at: dt.datetime
    status: str
    reason: str
    reviewed_at: dt.datetime | None
    rectification_id: int | None


class FindingOut(Schema):
    id: int
    project_id: int
    catalogue_code: str
    indicator_id: str
    found_at: dt.datetime
    reason: str
    deduction: float | None


class IndicatorResultOut(Schema):
    indicator_id: str
    title: str
    title_en: str
    section: str
    category: str
    dimensions: list[str]
    kind: str
    certainty: str
    metric: str
    provided_by: str
    value: float | None
    numerator: float | None
    denominator: float | None
    share: float | None
    points: float
    points_earned: float
    points_possible: float
    status: str
    rule: dict[str, Any]
    explanation: str
    record_type: str
    record_ids: list[int]
    notes: str
    evidence: list[EvidenceOut] = []
    findings: list[FindingOut] = []


class ScorecardDetailOut(ScorecardOut):
    totals: dict[str, Any]
    results: list[IndicatorResultOut]


class EvaluateIn(Schema):
    project_id: ObjectId
    period: Text = Field(..., max_length=10, description="2026, 2026Q3 or 2026-09")
    catalogue: Text = Field("", max_length=50)


class ReviewIn(Schema):
    decision: Literal["verify", "reject"]
    reason: Text = Field("", max_length=2000)


class RectificationReviewIn(Schema):
    decision: Literal["accept", "reject"]
    reason: Text = Field("", max_length=2000)


class FindingIn(Schema):
    project_id: ObjectId
    catalogue_code: Text = Field(..., max_length=50)
    indicator_id: Text = Field(..., max_length=32)
    reason: Text = Field(..., max_length=2000)
    deduction: float | None = Field(None, ge=0, le=100)
    found_at: dt.datetime | None = None


class EvidenceFilter(Schema):
    project_id: ObjectId | None = None
    indicator_id: Text = Field("", max_length=32)
    status: Literal["", "pending", "verified", "rejected"] = ""


class RectificationFilter(Schema):
    project_id: ObjectId | None = None
    status: Literal["", "open", "responded", "closed"] = ""
    period: Text = Field("", max_length=10)
    is_overdue: bool | None = None


class RectificationOut(Schema):
    id: int
    project_id: int
    project_name: str
    catalogue_code: str
    indicator_id: str
    title: str
    period: str
    status: str
    owner: str
    opened_at: dt.datetime
    deadline: dt.datetime
    is_overdue: bool
    response_note: str
    responded_at: dt.datetime | None
    review_reason: str
    reviewed_at: dt.datetime | None
    closed_at: dt.datetime | None
    escalated_at: dt.datetime | None
    scorecard_id: int | None


class RectificationDetailOut(RectificationOut):
    evidence: list[EvidenceOut]


class ManagerEvaluationFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    company_id: ObjectId | None = None
    district: Text = Field("", max_length=6)


class ManagerEvaluationOut(Schema):
    id: int
    year: int
    staff_id: int
    staff_name: str
    company_id: int
    company_name: str
    district: str
    project_score: float | None
    satisfaction: float | None
    complaints_per_100: float | None
    assessment: float | None
    total: float | None
    rank_in_company: int | None
    rank_in_district: int | None
    weights: dict[str, Any]
    details: dict[str, Any]


class AssessmentIn(Schema):
    staff_id: ObjectId
    year: int = Field(..., ge=2000, le=2100)
    score: float = Field(..., ge=0, le=100)
    note: Text = Field("", max_length=2000)


class AssessmentOut(Schema):
    id: int
    staff_id: int
    year: int
    score: float
    note: str
