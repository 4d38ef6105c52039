"""Builders of feedback records for tests (plain functions: the records need their parents)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from haofuwu.feedback.choices import QuestionKind, ServiceLine, SurveyStatus
from haofuwu.feedback.models import Question, ReceptionDay, ReceptionSlot, Survey


def reception_day(
    project: Any, *, days_ahead: int = 7, capacity: int = 3, slots: int = 2, **fields: Any
) -> ReceptionDay:
    day = ReceptionDay.objects.create(
        project=project,
        date=fields.pop("date", timezone.localdate() + dt.timedelta(days=days_ahead)),
        place=fields.pop("place", "物业服务中心"),
        host_name="经理",
        **fields,
    )
    for index in range(slots):
        ReceptionSlot.objects.create(
            day=day, starts_at=dt.time(9 + index, 0), ends_at=dt.time(9 + index, 30), capacity=capacity
        )
    return day


def survey(project: Any, *, is_open: bool = True, counts_basically_satisfied: bool = False, **fields: Any) -> Survey:
    today = timezone.localdate()
    item = Survey.objects.create(
        project=project,
        title=fields.pop("title", "2026年度满意度调查"),
        opens_on=fields.pop("opens_on", today - dt.timedelta(days=3)),
        closes_on=fields.pop("closes_on", today + dt.timedelta(days=10) if is_open else today - dt.timedelta(days=1)),
        status=fields.pop("status", SurveyStatus.PUBLISHED),
        published_at=fields.pop("published_at", timezone.now()),
        counts_basically_satisfied=counts_basically_satisfied,
        **fields,
    )
    for position, line in enumerate(ServiceLine.values, 1):
        Question.objects.create(
            survey=item, position=position, kind=QuestionKind.SATISFACTION, service_line=line, text=f"{line}?"
        )
    Question.objects.create(survey=item, position=20, kind=QuestionKind.FREE_TEXT, text="建议", is_required=False)
    return item


def answers_for(survey: Survey, level: int = 4, comment: str = "") -> list[dict[str, Any]]:
    found = []
    for question in survey.questions.all():
        if question.kind == QuestionKind.SATISFACTION:
            found.append({"question_id": question.pk, "level": level})
        elif comment:
            found.append({"question_id": question.pk, "text": comment})
    return found
