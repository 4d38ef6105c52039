"""API schemas of the community app: ``<Entity>In`` for what clients send, ``<Entity>Out`` for what they get,
``<Entity>Filter`` for list queries. Times must carry their offset; dates and sizes are bounded so that nothing a
client sends reaches the database or a date computation out of range."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, BaseModel

from haofuwu.community.choices import (
    ActivityKind,
    ActivityStatus,
    AppointmentKind,
    CareCategory,
    CareTier,
    ConsentGiver,
    DisclosureKind,
    JointMeetingLevel,
    MemberPost,
    MemberStatus,
    OutageKind,
    Party,
    PartyMeetingKind,
    PartyOrganisationKind,
    PartyOrganisationLevel,
    RedPropertyLevel,
    Verdict,
    VisitMethod,
    VisitorRole,
    VisitOutcome,
    VolunteerKind,
)
from haofuwu.core.api_types import ObjectId, Text

Day = Annotated[dt.date, Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 1, 1))]


def _bounded(value: dt.datetime) -> dt.datetime:
    if not dt.datetime(2000, 1, 1, tzinfo=dt.UTC) <= value <= dt.datetime(2100, 1, 1, tzinfo=dt.UTC):
        raise ValueError("must be between 2000 and 2100")
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_bounded)]
Name = Annotated[Text, Field(min_length=1, max_length=50)]


def _choice(choices: type) -> Any:
    return Field(..., json_schema_extra={"enum": list(choices.values)})  # type: ignore[attr-defined]


# Party building ------------------------------------------------------------------------------------------------------


class PartyOrganisationIn(Schema):
    project_id: ObjectId
    name: Text = Field(..., min_length=1, max_length=100)
    kind: Text = _choice(PartyOrganisationKind)
    level: Text = Field(PartyOrganisationLevel.BRANCH, max_length=20)
    established_on: Day
    partners: Text = Field("", max_length=300)
    superior: Text = Field("", max_length=100)
    approval_reference: Text = Field("", max_length=100)
    liaison_name: Text = Field("", max_length=50)


class PartyOrganisationFilter(Schema):
    project: ObjectId | None = None


class CoverageOut(BaseModel):
    project_id: int
    project_name: str
    liaison_name: str
    started_on: dt.date
    ended_on: dt.date | None


class PartyOrganisationOut(BaseModel):
    id: int
    company_id: int
    company_name: str
    name: str
    kind: str
    level: str
    partners: str
    established_on: dt.date
    dissolved_on: dt.date | None
    full_members: int
    probationary_members: int
    project_count: int
    coverages: list[CoverageOut] = []


class CoverageIn(Schema):
    project_id: ObjectId
    liaison_name: Text = Field("", max_length=50)
    started_on: Day | None = None


class PartyMemberIn(Schema):
    name: Name
    status: Text = _choice(MemberStatus)
    post: Text = Field(MemberPost.MEMBER, max_length=20)
    joined_on: Day
    staff_id: ObjectId | None = None


class PartyMemberOut(BaseModel):
    id: int
    organisation_id: int
    name: str
    status: str
    post: str
    joined_on: dt.date
    left_on: dt.date | None
    staff_id: int | None


class PartyMeetingIn(Schema):
    organisation_id: ObjectId
    kind: Text = _choice(PartyMeetingKind)
    title: Text = Field(..., min_length=1, max_length=120)
    starts_at: Moment
    place: Text = Field("", max_length=100)
    agenda: Text = Field("", max_length=2000)


class PartyMeetingFilter(Schema):
    organisation: ObjectId | None = None
    kind: Text = Field("", max_length=20)


class PartyMeetingOut(BaseModel):
    id: int
    organisation_id: int
    organisation_name: str
    kind: str
    title: str
    agenda: str
    starts_at: dt.datetime
    place: str
    status: str
    held_at: dt.datetime | None
    minutes: str
    signed_in: int


class SignInIn(Schema):
    member_ids: list[ObjectId] | None = Field(None, max_length=200)
    code: Text = Field("", max_length=12)


class SignInOut(BaseModel):
    meeting_id: int
    signed_in: int


class MinutesIn(Schema):
    minutes: Text = Field(..., min_length=1, max_length=5000)


class PioneerPostIn(Schema):
    project_id: ObjectId
    member_id: ObjectId
    title: Text = Field(..., min_length=1, max_length=60)
    pledge: Text = Field("", max_length=200)
    started_on: Day | None = None


class PioneerPostFilter(Schema):
    project: ObjectId | None = None


class PioneerPostOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    member_name: str
    title: str
    pledge: str
    started_on: dt.date
    ended_on: dt.date | None


class RedPropertyIn(Schema):
    project_id: ObjectId
    year: int = Field(..., ge=2000, le=2100)
    level: Text = _choice(RedPropertyLevel)
    plan: Text = Field(..., min_length=1, max_length=4000)


class RedPropertyFilter(Schema):
    project: ObjectId | None = None
    status: Text = Field("", max_length=12)


class CriterionOut(BaseModel):
    code: str
    label: str
    is_claimed: bool
    evidence: str
    verdict: str


class RedPropertyOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    year: int
    level: str
    plan: str
    status: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    review_note: str
    recognised_on: dt.date | None
    valid_until: dt.date | None
    criteria: list[CriterionOut]


class CriterionIn(Schema):
    code: Text = Field(..., min_length=1, max_length=40)
    is_claimed: bool
    evidence: Text = Field("", max_length=1000)


class VerdictItemIn(Schema):
    code: Text = Field(..., min_length=1, max_length=40)
    verdict: Text = _choice(Verdict)


class RedPropertyReviewIn(Schema):
    is_recognised: bool
    verdicts: list[VerdictItemIn] = Field(..., max_length=40)
    note: Text = Field("", max_length=2000)
    valid_until: Day | None = None


class AppointmentIn(Schema):
    project_id: ObjectId
    kind: Text = _choice(AppointmentKind)
    person_name: Text = Field("", max_length=50)
    staff_id: ObjectId | None = None
    grid: Text = Field("", max_length=60)
    appointed_by: Text = Field(..., min_length=1, max_length=100)
    document: Text = Field("", max_length=100)
    started_on: Day


class AppointmentFilter(Schema):
    project: ObjectId | None = None
    kind: Text = Field("", max_length=24)
    is_current: bool | None = None


class AppointmentOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    kind: str
    person_name: str
    staff_id: int | None
    grid: str
    appointed_by: str
    document: str
    started_on: dt.date
    ended_on: dt.date | None


class EndIn(Schema):
    ended_on: Day


# Joint governance ----------------------------------------------------------------------------------------------------


class AttendeeIn(Schema):
    party: Text = _choice(Party)
    name: Name
    position: Text = Field("", max_length=60)


class JointMeetingIn(Schema):
    project_id: ObjectId
    level: Text = Field(JointMeetingLevel.COMMUNITY, max_length=12)
    title: Text = Field(..., min_length=1, max_length=120)
    starts_at: Moment
    place: Text = Field("", max_length=100)
    attendees: list[AttendeeIn] = Field([], max_length=60)


class JointMeetingFilter(Schema):
    project: ObjectId | None = None
    level: Text = Field("", max_length=12)


class AttendeeOut(BaseModel):
    party: str
    name: str
    position: str


class JointActionOut(BaseModel):
    id: int
    meeting_id: int
    project_id: int
    item: str
    decision: str
    party: str
    owner_name: str
    due_on: dt.date
    status: str
    is_overdue: bool
    closed_at: dt.datetime | None
    evidence: str
    escalation_level: int


class JointMeetingOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    level: str
    title: str
    starts_at: dt.datetime
    place: str
    status: str
    minutes: str
    held_at: dt.datetime | None
    action_count: int
    open_actions: int
    attendees: list[AttendeeOut] = []
    actions: list[JointActionOut] = []


class JointRecordIn(Schema):
    minutes: Text = Field(..., min_length=1, max_length=5000)
    attendees: list[AttendeeIn] | None = Field(None, max_length=60)


class JointActionIn(Schema):
    item: Text = Field(..., min_length=1, max_length=300)
    decision: Text = Field("", max_length=2000)
    party: Text = _choice(Party)
    owner_name: Name
    owner_id: ObjectId | None = None
    due_on: Day


class JointActionFilter(Schema):
    project: ObjectId | None = None
    status: Text = Field("", max_length=8)
    party: Text = Field("", max_length=24)
    is_overdue: bool | None = None


class EvidenceIn(Schema):
    evidence: Text = Field(..., min_length=1, max_length=2000)


# Volunteers ----------------------------------------------------------------------------------------------------------


class VolunteerIn(Schema):
    project_id: ObjectId
    kind: Text = _choice(VolunteerKind)
    name: Text = Field("", max_length=50)
    resident_id: ObjectId | None = None
    staff_id: ObjectId | None = None
    skills: Text = Field("", max_length=200)
    registry_number: Text = Field("", max_length=40)


class VolunteerFilter(Schema):
    project: ObjectId | None = None
    kind: Text = Field("", max_length=16)
    search: Text = Field("", max_length=50)


class VolunteerOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    name: str
    kind: str
    skills: str
    registry_number: str
    registered_on: dt.date
    is_active: bool
    total_hours: Decimal
    points_balance: int


class ServiceRecordIn(Schema):
    served_on: Day
    hours: Decimal = Field(..., ge=Decimal("0.5"), le=Decimal("12"), max_digits=4, decimal_places=1)
    description: Text = Field(..., min_length=1, max_length=200)


class ServiceRecordOut(BaseModel):
    id: int
    volunteer_id: int
    served_on: dt.date
    hours: Decimal
    description: str


class RedeemIn(Schema):
    points: int = Field(..., ge=1, le=10_000)
    note: Text = Field(..., min_length=1, max_length=200)


class PointsEntryOut(BaseModel):
    id: int
    points: int
    reason: str
    note: str
    created_at: dt.datetime


class VolunteerCertificateOut(BaseModel):
    id: int
    volunteer_id: int
    number: str
    hours: Decimal
    records: int
    first_on: dt.date | None
    last_on: dt.date | None
    issued_at: dt.datetime


# Activities ----------------------------------------------------------------------------------------------------------


class ActivityIn(Schema):
    project_id: ObjectId
    title: Text = Field(..., min_length=1, max_length=100)
    kind: Text = _choice(ActivityKind)
    description: Text = Field("", max_length=2000)
    place: Text = Field(..., min_length=1, max_length=100)
    starts_at: Moment
    ends_at: Moment
    capacity: int = Field(..., ge=1, le=2000)
    signup_opens_at: Moment | None = None
    signup_closes_at: Moment | None = None
    building_ids: list[ObjectId] = Field([], max_length=200)
    publish: bool = True


class ActivityFilter(Schema):
    project: ObjectId | None = None
    status: Text = Field("", max_length=12, json_schema_extra={"enum": ["", *ActivityStatus.values]})
    starts_from: Moment | None = None
    starts_until: Moment | None = None


class ActivityOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    title: str
    kind: str
    description: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    signup_opens_at: dt.datetime
    signup_closes_at: dt.datetime
    capacity: int
    confirmed: int
    remaining: int
    waitlisted: int
    attended: int
    is_whole_project: bool
    status: str
    report: str


class ReasonIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=300)


class ReportIn(Schema):
    report: Text = Field(..., min_length=1, max_length=3000)


class RegistrationOut(BaseModel):
    id: int
    activity_id: int
    name: str
    household: str
    status: str
    waitlist_position: int | None
    promoted_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    check_in_method: str
    ticket: str
    created_at: dt.datetime


class CheckInIn(Schema):
    ticket: Text = Field("", max_length=32)
    door_token: Text = Field("", max_length=32)


# Care register -------------------------------------------------------------------------------------------------------


class CareSubjectIn(Schema):
    resident_id: ObjectId
    category: Text = _choice(CareCategory)
    tier: Text = _choice(CareTier)
    consent_giver: Text = _choice(ConsentGiver)
    consent_giver_name: Name
    has_sensitive_consent: bool = False
    health_notes: Text = Field("", max_length=2000)
    emergency_contact: Text = Field("", max_length=200)
    coordinator_id: ObjectId | None = None
    silent_alert_enabled: bool = False
    silent_hours: int = Field(24, ge=12, le=96)


class CareSubjectFilter(Schema):
    project: ObjectId | None = None
    is_overdue: bool | None = None


class CareSubjectOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    household: str
    name: str
    phone: str
    category: str
    is_child: bool
    birth_year: int | None
    tier: str
    health_notes: str
    emergency_contact: str
    has_sensitive_consent: bool
    consent_giver: str
    consent_recorded_at: dt.datetime
    coordinator: str
    silent_alert_enabled: bool
    silent_hours: int
    has_meters: bool
    registered_on: dt.date
    last_contact_on: dt.date | None
    next_visit_due: dt.date
    closed_on: dt.date | None
    is_revealed: bool


class CareSummaryOut(BaseModel):
    project_id: int
    active: int
    by_tier: dict[str, int]
    overdue: int
    open_welfare_checks: int
    without_visitor: int


class CareSummaryFilter(Schema):
    project: ObjectId


class VisitorIn(Schema):
    user_id: ObjectId
    role: Text = _choice(VisitorRole)


class VisitorOut(BaseModel):
    subject_id: int
    user_id: int
    role: str
    started_on: dt.date


class VisitIn(Schema):
    method: Text = _choice(VisitMethod)
    outcome: Text = _choice(VisitOutcome)
    notes: Text = Field("", max_length=2000)
    door_code: Text = Field("", max_length=8)
    latitude: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)


class VisitOut(BaseModel):
    id: int
    subject_id: int
    kind: str
    status: str
    due_at: dt.datetime | None
    method: str
    proof: str
    distance_m: int | None
    visited_at: dt.datetime | None
    outcome: str
    counts_as_contact: bool


class RevealIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=200)


class MetersIn(Schema):
    electricity_meter_id: ObjectId | None = None
    water_meter_id: ObjectId | None = None


class TransferIn(Schema):
    project_id: ObjectId
    from_user_id: ObjectId
    to_user_id: ObjectId


class TransferOut(BaseModel):
    moved: int


# Disclosure board ----------------------------------------------------------------------------------------------------


class FigureIn(Schema):
    label: Text = Field(..., min_length=1, max_length=60)
    amount: Decimal = Field(..., ge=Decimal("-1e11"), le=Decimal("1e11"), decimal_places=2)


class DisclosureIn(Schema):
    project_id: ObjectId
    kind: Text = _choice(DisclosureKind)
    title: Text = Field(..., min_length=1, max_length=120)
    body: Text = Field(..., min_length=1, max_length=5000)
    figures: list[FigureIn] = Field([], max_length=50)
    covers_from: Day | None = None
    covers_until: Day | None = None
    outage_kind: Text = Field("", max_length=8, json_schema_extra={"enum": ["", *OutageKind.values]})
    outage_starts_at: Moment | None = None
    outage_ends_at: Moment | None = None
    affected_area: Text = Field("", max_length=200)


class DisclosureFilter(Schema):
    project: ObjectId | None = None
    kind: Text = Field("", max_length=24)


class DisclosureOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    kind: str
    title: str
    body: str
    figures: list[dict[str, str]]
    covers_from: dt.date | None
    covers_until: dt.date | None
    outage_kind: str
    outage_starts_at: dt.datetime | None
    outage_ends_at: dt.datetime | None
    affected_area: str
    notice_hours: float | None
    status: str
    published_at: dt.datetime


class BoardRowOut(BaseModel):
    kind: str
    label: str
    disclosure_id: int | None
    published_at: dt.datetime | None
    expires_at: dt.datetime | None
    is_fresh: bool


class BoardOut(BaseModel):
    project_id: int
    required: int
    fresh: int
    missing_or_stale: int
    rows: list[BoardRowOut]
    outages: list[DisclosureOut]
