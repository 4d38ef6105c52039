"""API of the feedback app: reception days and their bookings and issues, surveys, responses and results."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from haofuwu.core.api_types import ErrorOut, ObjectId, PageIn, PageOut, paginate
from haofuwu.core.errors import PermissionDenied
from haofuwu.core.scoping import Scope
from haofuwu.feedback import selectors, services
from haofuwu.feedback.permissions import is_staff_account, shows_names
from haofuwu.feedback.results import results_data
from haofuwu.feedback.schemas import (
    BookingIn,
    BookingOut,
    IssueIn,
    IssueOut,
    ReceptionDayFilter,
    ReceptionDayIn,
    ReceptionDayOut,
    ResponseIn,
    ResponseOut,
    SurveyDetailOut,
    SurveyFilter,
    SurveyIn,
    SurveyOut,
    SurveyResultsOut,
)

router = Router(tags=["feedback"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _day(day: Any) -> dict[str, Any]:
    return {
        "id": day.pk,
        "project_id": day.project_id,
        "project_name": day.project.name,
        "date": day.date,
        "place": day.place,
        "note": day.note,
        "host_name": day.host_name,
        "status": day.status,
        "held_at": day.held_at,
        "slots": [
            {
                "id": slot.pk,
                "starts_at": slot.starts_at,
                "ends_at": slot.ends_at,
                "capacity": slot.capacity,
                "booked": slot.booked,
                "remaining": slot.remaining,
            }
            for slot in day.slots.all()
        ],
        "booking_count": getattr(day, "booking_count", 0),
        "issue_count": getattr(day, "issue_count", 0),
    }


def _booking(booking: Any, scope: Scope) -> dict[str, Any]:
    unit = booking.unit
    return {
        "id": booking.pk,
        "day_id": booking.day_id,
        "slot_id": booking.slot_id,
        "starts_at": booking.slot.starts_at if booking.slot_id else None,
        "unit_id": booking.unit_id,
        "household": unit.label if unit else "",
        # Regulators read organisations and aggregates, not residents' names (accounts/roles.py).
        "visitor_name": booking.visitor_name if shows_names(scope, booking.unit_id) else "",
        "topic": booking.topic,
        "status": booking.status,
        "is_walk_in": booking.is_walk_in,
        "created_at": booking.created_at,
    }


def _issue(issue: Any) -> dict[str, Any]:
    return {
        "id": issue.pk,
        "day_id": issue.day_id,
        "description": issue.description,
        "outcome": issue.outcome,
        "answer": issue.answer,
        "work_order_id": issue.work_order_id,
        "follow_up_due": issue.follow_up_due,
        "closed_at": issue.closed_at,
    }


def _response(response: Any) -> dict[str, Any]:
    return {
        "id": response.pk,
        "survey_id": response.survey_id,
        "unit_id": response.unit_id,
        "household": response.unit.label,
        "channel": response.channel,
        "entered_by": str(response.entered_by) if response.entered_by_id else "",
        "submitted_at": response.submitted_at,
    }


def _survey(survey: Any, *, questions: bool = False) -> dict[str, Any]:
    body = {
        "id": survey.pk,
        "project_id": survey.project_id,
        "project_name": survey.project.name,
        "title": survey.title,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "status": survey.status,
        "is_open": selectors.is_survey_open(survey),
        "counts_basically_satisfied": survey.counts_basically_satisfied,
        "coverage_target": float(survey.coverage_target),
        "response_count": getattr(survey, "response_count", 0),
    }
    if questions:
        body["questions"] = [
            {
                "id": question.pk,
                "position": question.position,
                "kind": question.kind,
                "service_line": question.service_line,
                "text": question.text,
                "options": question.options,
                "is_required": question.is_required,
            }
            for question in survey.questions.all()
        ]
    return body


@router.get("/reception-days", response=PageOut[ReceptionDayOut])
def reception_day_list(request: HttpRequest, filters: Query[ReceptionDayFilter], page: Query[PageIn]):
    """Reception days of the projects in the caller's scope (residents: their project's), newest first."""
    queryset = selectors.reception_day_list_for_user(
        _scope(request), project_id=filters.project, date_from=filters.date_from, date_until=filters.date_until
    )
    return paginate(queryset, page, _day)


@router.post("/reception-days", response={201: ReceptionDayOut, **ERRORS})
def reception_day_create(request: HttpRequest, payload: ReceptionDayIn):
    """Publish a reception day with its time slots (the project's manager)."""
    day = services.reception_day_publish(
        actor=request.user,
        project_id=payload.project_id,
        date=payload.date,
        place=payload.place,
        note=payload.note,
        slots=[services.SlotIn(slot.starts_at, slot.ends_at, slot.capacity) for slot in payload.slots],
    )
    return 201, _day(selectors.reception_day_get_for_user(_scope(request), day.pk))


@router.get("/reception-days/{day_id}", response={200: ReceptionDayOut, 404: ErrorOut})
def reception_day_detail(request: HttpRequest, day_id: ObjectId):
    """One reception day with its slots and how full they are."""
    return _day(selectors.reception_day_get_for_user(_scope(request), day_id))


@router.get("/reception-days/{day_id}/bookings", response={200: list[BookingOut], 404: ErrorOut})
def reception_booking_list(request: HttpRequest, day_id: ObjectId):
    """Bookings and walk-ins of a day: all of them for staff, the household's own for a resident."""
    scope = _scope(request)
    day = selectors.reception_day_get_for_user(scope, day_id)
    return [_booking(booking, scope) for booking in selectors.reception_booking_list_for_user(scope, day)]


@router.post("/reception-days/{day_id}/bookings", response={201: BookingOut, **ERRORS})
def reception_booking_create(request: HttpRequest, day_id: ObjectId, payload: BookingIn):
    """A resident books a slot for their household with a topic. A second booking of the household that day, or a
    full slot, is a 409."""
    booking = services.reception_booking_create(
        actor=request.user, day_id=day_id, slot_id=payload.slot_id, topic=payload.topic, unit_id=payload.unit_id
    )
    scope = _scope(request)
    day = selectors.reception_day_get_for_user(scope, day_id)
    return 201, _booking(selectors.reception_booking_get_for_user(scope, day, booking.pk), scope)


@router.post("/reception-days/{day_id}/bookings/{booking_id}/cancel", response={200: BookingOut, **ERRORS})
def reception_booking_cancel(request: HttpRequest, day_id: ObjectId, booking_id: ObjectId):
    """Cancel a booking (the household or the manager); the place is freed."""
    services.reception_booking_cancel(actor=request.user, day_id=day_id, booking_id=booking_id)
    scope = _scope(request)
    day = selectors.reception_day_get_for_user(scope, day_id)
    return _booking(selectors.reception_booking_get_for_user(scope, day, booking_id), scope)


@router.post("/reception-days/{day_id}/issues", response={201: IssueOut, **ERRORS})
def reception_issue_create(request: HttpRequest, day_id: ObjectId, payload: IssueIn):
    """Record an issue raised at the day: answered on the spot, or a work order (``create_work_order``)."""
    issue = services.reception_issue_record(
        actor=request.user,
        day_id=day_id,
        description=payload.description,
        answer=payload.answer,
        create_work_order=payload.create_work_order,
        kind=payload.kind.value,
        category=payload.category.value,
        booking_id=payload.booking_id,
        unit_id=payload.unit_id,
        raised_by=payload.raised_by,
    )
    return 201, _issue(issue)


@router.get("/surveys", response=PageOut[SurveyOut])
def survey_list(request: HttpRequest, filters: Query[SurveyFilter], page: Query[PageIn]):
    """Surveys of the caller's projects; residents see published ones only."""
    queryset = selectors.survey_list_for_user(
        _scope(request),
        project_id=filters.project,
        is_open_on=timezone.localdate() if filters.is_open else None,
    )
    return paginate(queryset, page, _survey)


@router.post("/surveys", response={201: SurveyDetailOut, **ERRORS})
def survey_create(request: HttpRequest, payload: SurveyIn):
    """Create a draft survey; without ``questions`` it gets the default questionnaire."""
    questions = (
        None
        if payload.questions is None
        else [
            services.QuestionIn(
                kind=question.kind.value,
                text=question.text,
                service_line=question.service_line.value if question.service_line else "",
                options=list(question.options),
                is_required=question.is_required,
            )
            for question in payload.questions
        ]
    )
    survey = services.survey_create(
        actor=request.user,
        project_id=payload.project_id,
        title=payload.title,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        counts_basically_satisfied=payload.counts_basically_satisfied,
        coverage_target=payload.coverage_target,
        questions=questions,
    )
    return 201, _survey(selectors.survey_get_for_user(_scope(request), survey.pk), questions=True)


@router.get("/surveys/{survey_id}", response={200: SurveyDetailOut, 404: ErrorOut})
def survey_detail(request: HttpRequest, survey_id: ObjectId):
    """One survey with its questions."""
    return _survey(selectors.survey_get_for_user(_scope(request), survey_id), questions=True)


@router.post("/surveys/{survey_id}/publish", response={200: SurveyDetailOut, **ERRORS})
def survey_publish(request: HttpRequest, survey_id: ObjectId):
    """Publish a draft survey to the project's households."""
    services.survey_publish(actor=request.user, survey_id=survey_id)
    return _survey(selectors.survey_get_for_user(_scope(request), survey_id), questions=True)


@router.get("/surveys/{survey_id}/responses", response={200: PageOut[ResponseOut], **ERRORS})
def survey_response_list(request: HttpRequest, survey_id: ObjectId, page: Query[PageIn]):
    """Responses to a survey (staff and regulators), newest first."""
    scope = _scope(request)
    survey = selectors.survey_get_for_user(scope, survey_id)
    if not is_staff_account(scope):
        raise PermissionDenied(_("Responses are read by staff."))

    return paginate(selectors.survey_response_list_for_user(scope, survey), page, _response)


@router.post("/surveys/{survey_id}/responses", response={201: ResponseOut, **ERRORS})
def survey_response_create(request: HttpRequest, survey_id: ObjectId, payload: ResponseIn):
    """Answer a survey: a resident for their household online, or staff entering a paper form
    (``channel=paper`` with ``unit_id``). A household answers once: a second response is a 409."""
    response = services.survey_response_submit(
        actor=request.user,
        survey_id=survey_id,
        unit_id=payload.unit_id,
        channel=payload.channel.value,
        answers=[
            services.AnswerIn(answer.question_id, answer.level, list(answer.choices), answer.text)
            for answer in payload.answers
        ],
        ip=_client_ip(request),
        device_id=request.COOKIES.get("hfw_device", ""),
    )
    return 201, _response(selectors.survey_response_list_for_user(_scope(request), response.survey).get(pk=response.pk))


@router.get("/surveys/{survey_id}/results", response={200: SurveyResultsOut, **ERRORS})
def survey_results(request: HttpRequest, survey_id: ObjectId, counts_basically_satisfied: bool | None = None):
    """Satisfaction overall and per service line, response rate, coverage, distribution per question; for staff
    also the comments and suspicious patterns. Residents see the results once the survey has closed."""
    scope = _scope(request)
    survey = selectors.survey_get_for_user(scope, survey_id)
    is_staff = is_staff_account(scope)
    if not is_staff and not selectors.is_survey_closed(survey):
        raise PermissionDenied(_("The results are shown once the survey has closed."))
    return results_data(
        selectors.survey_results(survey, counts_basically_satisfied=counts_basically_satisfied), is_staff=is_staff
    )
