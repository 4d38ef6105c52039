"""Read side of the feedback app: reception days and bookings, surveys and their results, the return-visit list.

Every function takes the acting user's scope; an object outside it is ``NotFound``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from haofuwu.core.errors import NOT_FOUND, NotFound
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.feedback import patterns
from haofuwu.feedback.choices import (
    ACTIVE_BOOKING_STATUSES,
    Level,
    QuestionKind,
    ReceptionDayStatus,
    ResponseChannel,
    SurveyStatus,
)
from haofuwu.feedback.models import (
    Answer,
    ContactAttempt,
    PeriodicVisit,
    Question,
    ReceptionBooking,
    ReceptionDay,
    ReceptionIssue,
    ReceptionSlot,
    Survey,
    SurveyResponse,
)
from haofuwu.feedback.permissions import is_staff_account
from haofuwu.feedback.satisfaction import SatisfactionResult, distribution, satisfaction
from haofuwu.workorders import selectors as workorders


def _get(queryset: QuerySet, pk: int) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


# Reception days ---------------------------------------------------------------------------------------------------


def reception_day_list_for_user(
    scope: Scope,
    *,
    project_id: int | None = None,
    date_from: dt.date | None = None,
    date_until: dt.date | None = None,
    status: str = "",
) -> QuerySet[ReceptionDay]:
    """Reception days of the projects the scope sees (residents: their project's), newest first, slots loaded."""
    queryset = ReceptionDay.objects.visible_to(scope).select_related("project")
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_until:
        queryset = queryset.filter(date__lte=date_until)
    if status:
        queryset = queryset.filter(status=status)
    return (
        queryset.prefetch_related(Prefetch("slots", ReceptionSlot.objects.order_by("starts_at")))
        .annotate(
            booking_count=Count("bookings", filter=Q(bookings__status__in=ACTIVE_BOOKING_STATUSES), distinct=True),
            issue_count=Count("issues", distinct=True),
        )
        .order_by("-date", "-id")
    )


def reception_day_get_for_user(scope: Scope, day_id: int) -> ReceptionDay:
    """One reception day the scope sees, or ``NotFound``."""
    return _get(reception_day_list_for_user(scope), day_id)


def reception_booking_list_for_user(scope: Scope, day: ReceptionDay) -> QuerySet[ReceptionBooking]:
    """Bookings and walk-ins of a day: staff see all of them, a resident only their household's."""
    queryset = ReceptionBooking.objects.filter(day=day).select_related("slot", "unit__building")
    if not is_staff_account(scope):
        queryset = queryset.filter(unit_id__in=scope.household_unit_ids)
    return queryset.order_by("slot__starts_at", "id")


def reception_booking_get_for_user(scope: Scope, day: ReceptionDay, booking_id: int) -> ReceptionBooking:
    return _get(reception_booking_list_for_user(scope, day), booking_id)


def reception_issue_list_for_user(scope: Scope, *, day: ReceptionDay | None = None) -> QuerySet[ReceptionIssue]:
    """Issues raised at reception days, with the work order each became."""
    queryset = ReceptionIssue.objects.visible_to(scope).select_related("day", "work_order", "unit__building")
    if day is not None:
        queryset = queryset.filter(day=day)
    return queryset.order_by("day_id", "id")


def upcoming_bookings_to_remind(date: dt.date) -> QuerySet[ReceptionBooking]:
    """Active bookings (not walk-ins) for reception days on ``date``, for the reminder sweep (unscoped)."""
    return ReceptionBooking.objects.filter(
        day__date=date,
        day__status=ReceptionDayStatus.PUBLISHED,
        status="booked",
        is_walk_in=False,
        booked_by__isnull=False,
    ).select_related("day__project", "slot", "booked_by")


# Surveys ------------------------------------------------------------------------------------------------------------


def survey_list_for_user(
    scope: Scope, *, project_id: int | None = None, status: str = "", is_open_on: dt.date | None = None
) -> QuerySet[Survey]:
    """Surveys the scope sees: staff and regulators every survey of their projects, residents the published ones."""
    queryset = Survey.objects.visible_to(scope).select_related("project")
    if not is_staff_account(scope):
        queryset = queryset.filter(status=SurveyStatus.PUBLISHED)
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if status:
        queryset = queryset.filter(status=status)
    if is_open_on is not None:
        queryset = queryset.filter(status=SurveyStatus.PUBLISHED, opens_on__lte=is_open_on, closes_on__gte=is_open_on)
    return queryset.annotate(response_count=Count("responses", distinct=True)).order_by("-opens_on", "-id")


def survey_get_for_user(scope: Scope, survey_id: int) -> Survey:
    """One survey the scope sees (with its questions), or ``NotFound``."""
    return _get(
        survey_list_for_user(scope).prefetch_related(
            Prefetch("questions", Question.objects.order_by("position", "id"))
        ),
        survey_id,
    )


def is_survey_open(survey: Survey, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return survey.status == SurveyStatus.PUBLISHED and survey.opens_on <= today <= survey.closes_on


def is_survey_closed(survey: Survey, today: dt.date | None = None) -> bool:
    """Results are shown to residents once the survey has closed."""
    today = today or timezone.localdate()
    return survey.status == SurveyStatus.PUBLISHED and survey.closes_on < today


def survey_response_list_for_user(scope: Scope, survey: Survey) -> QuerySet[SurveyResponse]:
    """The responses to a survey with their household and who entered paper forms (staff and regulators)."""
    return (
        SurveyResponse.objects.filter(survey=survey)
        .select_related("unit__building", "entered_by", "respondent")
        .order_by("-submitted_at", "-id")
    )


def household_response(survey: Survey, unit_ids: frozenset[int]) -> SurveyResponse | None:
    """The response of one of these households to the survey, if any."""
    return SurveyResponse.objects.filter(survey=survey, unit_id__in=unit_ids).first()


@dataclass
class QuestionResult:
    question: Question
    counts: dict[str, int] = field(default_factory=dict)  # label → answers, in scale or option order
    rate: float | None = None


@dataclass
class SurveyResults:
    """Everything the results page and API show."""

    survey: Survey
    satisfaction: SatisfactionResult
    responses: int
    paper_responses: int
    delivered_households: int
    contacted_households: int
    questions: list[QuestionResult]
    comments: list[dict[str, Any]]
    flags: list[patterns.Flag]

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.delivered_households if self.delivered_households else None

    @property
    def coverage(self) -> float | None:
        return self.contacted_households / self.delivered_households if self.delivered_households else None

    @property
    def is_coverage_met(self) -> bool:
        return self.coverage is not None and self.coverage >= float(self.survey.coverage_target)


def survey_results(survey: Survey, *, counts_basically_satisfied: bool | None = None) -> SurveyResults:
    """Satisfaction overall and per service line, response rate, coverage, distributions, comments and flags of a
    survey, in a fixed number of queries. ``counts_basically_satisfied`` overrides the survey's cut-off."""
    cut = survey.counts_basically_satisfied if counts_basically_satisfied is None else counts_basically_satisfied
    questions = list(survey.questions.all())
    answers = list(
        Answer.objects.filter(response__survey=survey).values_list("question_id", "level", "choices", "text")
    )
    by_question: dict[int, list[tuple[int | None, list[Any], str]]] = {}
    for question_id, level, choices, text in answers:
        by_question.setdefault(question_id, []).append((level, choices, text))
    lines = {q.pk: q.service_line for q in questions if q.kind == QuestionKind.SATISFACTION}
    result = satisfaction(
        ((lines[qid], level) for qid, level, _c, _t in answers if qid in lines), counts_basically_satisfied=cut
    )
    question_results = []
    for question in questions:
        rows = by_question.get(question.pk, [])
        item = QuestionResult(question)
        if question.kind == QuestionKind.SATISFACTION:
            counts = distribution(level for level, _c, _t in rows)
            item.counts = {str(Level(level).label): n for level, n in counts.items()}
            rate = result.by_line.get(question.service_line)
            item.rate = rate.value if rate else None
        elif question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            item.counts = dict.fromkeys((str(option) for option in question.options), 0)
            for _level, choices, _text in rows:
                for choice in choices or []:
                    if str(choice) in item.counts:
                        item.counts[str(choice)] += 1
        question_results.append(item)
    free_text = {q.pk for q in questions if q.kind == QuestionKind.FREE_TEXT}
    comments: list[dict[str, Any]] = [
        dict(row)
        for row in Answer.objects.filter(response__survey=survey, question_id__in=free_text)
        .exclude(text="")
        .order_by("-response__submitted_at")
        .values("text", "response__submitted_at", "question__text")[:200]
    ]
    response_rows = list(
        SurveyResponse.objects.filter(survey=survey).values(
            "id", "unit_id", "submitted_at", "ip_digest", "device_id", "channel", "entered_by__username"
        )
    )
    delivered = estates.delivered_units([survey.project_id])
    delivered_ids = set(delivered.values_list("pk", flat=True))
    contacted = {row["unit_id"] for row in response_rows}
    contacted |= set(ContactAttempt.objects.filter(survey=survey).values_list("unit_id", flat=True))
    flags = patterns.suspicious(
        patterns.ResponseRow(
            id=row["id"],
            submitted_at=row["submitted_at"],
            ip_digest=row["ip_digest"] if row["channel"] == ResponseChannel.ONLINE else "",
            device_id=row["device_id"] if row["channel"] == ResponseChannel.ONLINE else "",
            entered_by=(row["entered_by__username"] or "") if row["channel"] == ResponseChannel.PAPER else "",
        )
        for row in response_rows
    )
    return SurveyResults(
        survey=survey,
        satisfaction=result,
        responses=len(response_rows),
        paper_responses=sum(1 for row in response_rows if row["channel"] == ResponseChannel.PAPER),
        delivered_households=len(delivered_ids),
        contacted_households=len(contacted & delivered_ids),
        questions=question_results,
        comments=comments,
        flags=flags,
    )


# Return visits ------------------------------------------------------------------------------------------------------

RETURN_VISIT_SOURCES = ("repair", "complaint", "periodic")


def return_visit_due_list(
    scope: Scope,
    *,
    project_id: int | None = None,
    source: str = "",
    is_done: bool | None = None,
    now: dt.datetime | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """One list of return visits due: after repairs and complaints (from work orders) and periodic household visits,
    with their outcome, overdue first, then by due time. At most ``limit`` rows of each source."""
    now = now or timezone.now()
    rows: list[dict[str, Any]] = []
    if source in ("", "repair", "complaint"):
        orders = workorders.work_orders_owing_return_visit(scope, project_ids=[project_id] if project_id else None)
        if source:
            orders = orders.filter(kind=source)
        if is_done is not None:
            orders = orders.filter(**{"is_visited": is_done})
        fields: tuple[str, ...] = ("id", "kind", "title", "project__name", "unit_id", "unit__building__name")
        fields += (
            "unit__entrance",
            "unit__room",
            "public_area",
            "resolved_at",
            "is_visited",
            "last_visit_outcome",
            "last_visited_at",
        )
        for order in orders.order_by(F("is_visited").asc(), "resolved_at", "pk").values(*fields)[:limit]:
            due_at = order["resolved_at"] + workorders.RETURN_VISIT_DUE_AFTER
            household = (
                estates.household_label(order["unit__building__name"], order["unit__entrance"], order["unit__room"])
                if order["unit_id"]
                else order["public_area"]
            )
            rows.append(
                {
                    "source": order["kind"],
                    "id": order["id"],
                    "project": order["project__name"],
                    "label": f"WO{order['id']:07d} {order['title']}",
                    "household": household,
                    "due_at": due_at,
                    "is_done": order["is_visited"],
                    "is_overdue": not order["is_visited"] and due_at < now,
                    "outcome": order["last_visit_outcome"] or "",
                    "done_at": order["last_visited_at"],
                    "work_order_id": order["id"],
                }
            )
    if source in ("", "periodic"):
        visits = PeriodicVisit.objects.visible_to(scope).select_related("project", "unit__building")
        if not is_staff_account(scope):
            visits = visits.none()
        if project_id:
            visits = visits.filter(project_id=project_id)
        if is_done is not None:
            visits = visits.filter(visited_at__isnull=not is_done)
        tz = timezone.get_current_timezone()
        for visit in visits.order_by(F("visited_at").asc(nulls_first=True), "due_on", "pk")[:limit]:
            due_at = dt.datetime.combine(visit.due_on + dt.timedelta(days=1), dt.time.min, tz)
            rows.append(
                {
                    "source": "periodic",
                    "id": visit.pk,
                    "project": visit.project.name,
                    "label": "",
                    "household": visit.unit.label,
                    "due_at": due_at,
                    "is_done": visit.visited_at is not None,
                    "is_overdue": visit.visited_at is None and due_at < now,
                    "outcome": visit.outcome,
                    "done_at": visit.visited_at,
                    "work_order_id": None,
                }
            )
    rows.sort(key=lambda row: (not row["is_overdue"], row["is_done"], row["due_at"]))
    return rows


def periodic_visit_get_for_user(scope: Scope, visit_id: int) -> PeriodicVisit:
    return _get(PeriodicVisit.objects.visible_to(scope).select_related("project"), visit_id)


def follow_up_days() -> int:
    """Days to close an issue raised at a reception day (P-19: within 15 days)."""
    return int(getattr(settings, "FEEDBACK_FOLLOW_UP_DAYS", 15))


def survey_response_ids_of_households(unit_ids: frozenset[int], survey_ids: list[int]) -> list[int]:
    """Which of these surveys the households have answered."""
    return list(
        SurveyResponse.objects.filter(survey_id__in=survey_ids, unit_id__in=unit_ids).values_list(
            "survey_id", flat=True
        )
    )


def household_bookings(unit_ids: frozenset[int], day_ids: list[int]) -> dict[int, ReceptionBooking]:
    """The households' active bookings on these days, by day."""
    return {
        booking.day_id: booking
        for booking in ReceptionBooking.objects.filter(
            day_id__in=day_ids, unit_id__in=unit_ids, status="booked"
        ).select_related("slot")
    }
