"""API schemas of work orders."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from haofuwu.core.api_types import ObjectId, Text
from haofuwu.core.identifiers import PhoneNumber
from haofuwu.workorders.choices import Action, Category, Channel, Kind, Status, Urgency, VisitMethod, VisitOutcome

When = Annotated[
    dt.datetime, Field(ge=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), le=dt.datetime(2200, 1, 1, tzinfo=dt.UTC))
]


class WorkOrderIn(Schema):
    project_id: ObjectId
    kind: Kind = Kind.REPAIR
    category: Category = Category.OTHER
    urgency: Urgency = Urgency.NORMAL
    channel: Channel = Channel.APP
    title: Text = Field(..., min_length=1, max_length=100)
    description: Text = Field(..., min_length=1, max_length=2000)
    building_id: ObjectId | None = None
    unit_id: ObjectId | None = None
    public_area: Text = Field("", max_length=100)
    reporter_name: Text = Field("", max_length=50)
    reporter_phone: PhoneNumber = ""
    appointment_start: When | None = None
    appointment_end: When | None = None
    hotline_case_number: Text = Field("", max_length=40)
    hotline_deadline: When | None = None


class TransitionIn(Schema):
    action: Action
    assignee_id: ObjectId | None = None
    note: Text = Field("", max_length=2000)
    materials: Text = Field("", max_length=500)


class RatingIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    comment: Text = Field("", max_length=500)


class ReturnVisitIn(Schema):
    outcome: VisitOutcome
    method: VisitMethod = VisitMethod.PHONE
    note: Text = Field("", max_length=500)
    visited_at: When | None = None


class HotlineReplyIn(Schema):
    reply: Text = Field(..., min_length=1, max_length=2000)


# Output models are plain pydantic models built from the dicts of ``selectors.work_order_summary``: ninja's
# ``Schema`` resolves attributes of ORM objects, which these do not need and which costs milliseconds per page.


class AssigneeOut(BaseModel):
    id: int
    name: str
    trade: str


class ClockOut(BaseModel):
    due_at: dt.datetime | None
    done_at: dt.datetime | None
    is_met: bool | None = Field(..., description="True/False once done; null while running.")
    is_overdue: bool


class WorkOrderOut(BaseModel):
    id: int
    number: str
    project_id: int
    project_name: str
    building_id: int | None
    unit_id: int | None
    location: str
    kind: Kind
    category: Category
    urgency: Urgency
    channel: Channel
    title: str
    description: str
    status: Status
    assignee: AssigneeOut | None
    reporter_name: str
    reporter_phone: str
    submitted_at: dt.datetime
    accepted_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    arrived_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    appointment_start: dt.datetime | None
    appointment_end: dt.datetime | None
    response: ClockOut
    arrival: ClockOut
    resolution: ClockOut
    is_overdue: bool
    breaches: list[str] = Field(
        ..., description="The clocks missed or overdue now (response, arrival, resolution): why the order is late."
    )
    escalation_level: int
    reopen_count: int
    rating: int | None
    rating_comment: str
    hotline_case_number: str
    hotline_deadline: dt.datetime | None
    hotline_replied_at: dt.datetime | None
    allowed_actions: list[str]


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action: str
    actor_name: str
    from_status: str
    to_status: str
    note: str
    data: dict
    created_at: dt.datetime


class PhotoOut(BaseModel):
    id: int
    stage: str
    url: str
    content_type: str
    size: int


class ReturnVisitOut(BaseModel):
    id: int
    outcome: str
    method: str
    note: str
    visited_at: dt.datetime
    visitor: str


class WorkOrderDetailOut(WorkOrderOut):
    events: list[EventOut]
    photos: list[PhotoOut]
    return_visits: list[ReturnVisitOut]
    resolution_note: str
    materials: str
    hotline_reply: str


class WorkOrderFilter(Schema):
    project: ObjectId | None = None
    status: Status | None = None
    kind: Kind | None = None
    category: Category | None = None
    urgency: Urgency | None = None
    channel: Channel | None = None
    assignee: ObjectId | None = None
    is_overdue: bool | None = None
    is_open: bool | None = None
    search: Text = Field("", max_length=100)


class SlaPolicyIn(Schema):
    company_id: ObjectId
    project_id: ObjectId | None = None
    kind: Kind
    category: Category | None = None
    urgency: Urgency | None = None
    response_minutes: int = Field(..., ge=1, le=525_600)
    arrival_minutes: int | None = Field(None, ge=1, le=525_600)
    resolution_minutes: int = Field(..., ge=1, le=525_600)
    uses_working_hours: bool = False
    warn_before_minutes: int = Field(30, ge=0, le=525_600)
    escalate_after_minutes: int = Field(1440, ge=0, le=525_600)


class SlaPolicyOut(Schema):
    id: int
    company_id: int
    project_id: int | None
    kind: str
    category: str
    urgency: str
    response_minutes: int
    arrival_minutes: int | None
    resolution_minutes: int
    uses_working_hours: bool
    warn_before_minutes: int
    escalate_after_minutes: int
