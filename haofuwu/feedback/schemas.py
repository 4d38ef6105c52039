"""API schemas of the feedback app."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel

from haofuwu.core.api_types import ObjectId, Text
from haofuwu.feedback.choices import QuestionKind, ResponseChannel, ServiceLine
from haofuwu.workorders.choices import Category, Kind

Day = Annotated[dt.date, Field(ge=dt.date(2000, 1, 1), le=dt.date(2200, 1, 1))]


def _local_time(value: dt.time) -> dt.time:
    # Slots are wall-clock times of the project's day; a time with a zone cannot be compared with one without.
    if value.tzinfo is not None:
        raise ValueError("give the local time without a time zone, e.g. 09:30")
    return value


LocalTime = Annotated[dt.time, AfterValidator(_local_time)]


class SlotIn(Schema):
    starts_at: LocalTime
    ends_at: LocalTime
    capacity: int = Field(5, ge=1, le=500)


class ReceptionDayIn(Schema):
    project_id: ObjectId
    date: Day
    place: Text = Field(..., min_length=1, max_length=100)
    note: Text = Field("", max_length=300)
    slots: list[SlotIn] = Field(..., min_length=1, max_length=24)


class ReceptionDayFilter(Schema):
    project: ObjectId | None = None
    date_from: Day | None = None
    date_until: Day | None = None


class SlotOut(BaseModel):
    id: int
    starts_at: dt.time
    ends_at: dt.time
    capacity: int
    booked: int
    remaining: int


class ReceptionDayOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    date: dt.date
    place: str
    note: str
    host_name: str
    status: str
    held_at: dt.datetime | None
    slots: list[SlotOut]
    booking_count: int
    issue_count: int


class BookingIn(Schema):
    slot_id: ObjectId
    topic: Text = Field(..., min_length=1, max_length=300)
    unit_id: ObjectId | None = None


class BookingOut(BaseModel):
    id: int
    day_id: int
    slot_id: int | None
    starts_at: dt.time | None
    unit_id: int | None
    household: str
    visitor_name: str
    topic: str
    status: str
    is_walk_in: bool
    created_at: dt.datetime


class IssueIn(Schema):
    description: Text = Field(..., min_length=1, max_length=2000)
    answer: Text = Field("", max_length=2000)
    create_work_order: bool = False
    kind: Kind = Kind.REPAIR
    category: Category = Category.OTHER
    booking_id: ObjectId | None = None
    unit_id: ObjectId | None = None
    raised_by: Text = Field("", max_length=50)


class IssueOut(BaseModel):
    id: int
    day_id: int
    description: str
    outcome: str
    answer: str
    work_order_id: int | None
    follow_up_due: dt.date
    closed_at: dt.datetime | None


class QuestionIn(Schema):
    kind: QuestionKind
    text: Text = Field(..., min_length=1, max_length=300)
    service_line: ServiceLine | None = None
    options: list[Annotated[Text, Field(max_length=100)]] = Field(default_factory=list, max_length=20)
    is_required: bool = True


class SurveyIn(Schema):
    project_id: ObjectId
    title: Text = Field(..., min_length=1, max_length=100)
    opens_on: Day
    closes_on: Day
    counts_basically_satisfied: bool = False
    coverage_target: float = Field(0.7, ge=0, le=1)
    questions: list[QuestionIn] | None = Field(
        None, max_length=60, description="Leave out for the default questionnaire (one question per service line)."
    )


class SurveyFilter(Schema):
    project: ObjectId | None = None
    is_open: bool | None = None


class QuestionOut(BaseModel):
    id: int
    position: int
    kind: str
    service_line: str
    text: str
    options: list[str]
    is_required: bool


class SurveyOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    title: str
    opens_on: dt.date
    closes_on: dt.date
    status: str
    is_open: bool
    counts_basically_satisfied: bool
    coverage_target: float
    response_count: int


class SurveyDetailOut(SurveyOut):
    questions: list[QuestionOut]


class AnswerIn(Schema):
    question_id: ObjectId
    level: int | None = Field(None, ge=1, le=5)
    choices: list[Annotated[Text, Field(max_length=100)]] = Field(default_factory=list, max_length=20)
    text: Text = Field("", max_length=2000)


class ResponseIn(Schema):
    answers: list[AnswerIn] = Field(..., max_length=60)
    unit_id: ObjectId | None = None
    channel: ResponseChannel = ResponseChannel.ONLINE


class ResponseOut(BaseModel):
    id: int
    survey_id: int
    unit_id: int
    household: str
    channel: str
    entered_by: str
    submitted_at: dt.datetime


class RateOut(BaseModel):
    satisfied: int
    valid: int
    value: float | None


class QuestionResultOut(BaseModel):
    question_id: int
    text: str
    kind: str
    service_line: str
    counts: dict[str, int]
    rate: float | None


class FlagOut(BaseModel):
    kind: str
    count: int
    first_at: dt.datetime
    last_at: dt.datetime
    response_ids: list[int]


class SurveyResultsOut(BaseModel):
    survey_id: int
    counts_basically_satisfied: bool
    overall: RateOut
    by_line: dict[str, RateOut]
    responses: int
    paper_responses: int
    delivered_households: int
    contacted_households: int
    response_rate: float | None
    coverage: float | None
    coverage_target: float
    is_coverage_met: bool
    questions: list[QuestionResultOut]
    comments: list[str]
    flags: list[FlagOut]
