"""Permission matrix of the feedback API (see haofuwu/core/tests/matrix.py): every route, every role, the status —
and nothing changed when refused. Targets live in project A; each call gets a fresh target where it writes."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone

from haofuwu.accounts.services import api_token_create
from haofuwu.core.models import AuditEntry
from haofuwu.core.tests.matrix import EVERYONE, SEES_PROJECT_A, WRITES_PROJECT_A, Case, read, run, write
from haofuwu.feedback.choices import SurveyStatus
from haofuwu.feedback.models import (
    Answer,
    Question,
    ReceptionBooking,
    ReceptionDay,
    ReceptionIssue,
    ReceptionSlot,
    Survey,
    SurveyResponse,
)
from haofuwu.feedback.tests import factories
from haofuwu.workorders.models import WorkOrder

STAFF_OF_A = WRITES_PROJECT_A | {"engineer_a", "security_a"}
_counter = itertools.count(1)


def _state() -> tuple[Any, ...]:
    return (
        AuditEntry.objects.exclude(action="token.create").count(),
        ReceptionDay.objects.count(),
        ReceptionSlot.objects.aggregate(n=Sum("booked"))["n"],
        tuple(ReceptionBooking.objects.order_by("pk").values_list("pk", "status")),
        ReceptionIssue.objects.count(),
        tuple(Survey.objects.order_by("pk").values_list("pk", "status")),
        Question.objects.count(),
        SurveyResponse.objects.count(),
        Answer.objects.count(),
        WorkOrder.objects.count(),
    )


def _day(world: Any) -> ReceptionDay:
    return factories.reception_day(world.project_a, date=timezone.localdate() + dt.timedelta(days=next(_counter)))


def _booking_url(world: Any) -> str:
    day = _day(world)
    slot = day.slots.first()
    booking = ReceptionBooking.objects.create(
        day=day, slot=slot, unit=world.unit_a, booked_by=world.users["resident_a"], topic="停车"
    )
    ReceptionSlot.objects.filter(pk=slot.pk).update(booked=1)
    return f"/api/v1/reception-days/{day.pk}/bookings/{booking.pk}/cancel"


def _survey_url(world: Any, suffix: str = "", **fields: Any) -> str:
    return f"/api/v1/surveys/{factories.survey(world.project_a, **fields).pk}{suffix}"


def _answers(world: Any) -> dict[str, Any]:
    survey = Survey.objects.order_by("-pk").first()
    return {"answers": factories.answers_for(survey, 4, "很好")}


DAY_BODY = {
    "place": "物业服务中心",
    "slots": [{"starts_at": "09:00", "ends_at": "09:30", "capacity": 5}],
}
STAFF_ONLY_READ = {**read(SEES_PROJECT_A), "resident_a": 403}

CASES = [
    Case("reception days", "get", lambda w: "/api/v1/reception-days", read(EVERYONE)),
    Case(
        "publish reception day",
        "post",
        lambda w: "/api/v1/reception-days",
        write(SEES_PROJECT_A, WRITES_PROJECT_A, 201),
        lambda w: {
            **DAY_BODY,
            "project_id": w.project_a.pk,
            "date": (timezone.localdate() + dt.timedelta(days=100 + next(_counter))).isoformat(),
        },
    ),
    Case("reception day", "get", lambda w: f"/api/v1/reception-days/{_day(w).pk}", read(SEES_PROJECT_A)),
    Case("bookings", "get", lambda w: f"/api/v1/reception-days/{_day(w).pk}/bookings", read(SEES_PROJECT_A)),
    Case(
        "book",
        "post",
        lambda w: f"/api/v1/reception-days/{_day(w).pk}/bookings",
        write(SEES_PROJECT_A, {"resident_a"}, 201),
        lambda w: {"slot_id": ReceptionSlot.objects.order_by("-pk").first().pk, "topic": "绿化"},
    ),
    Case("cancel booking", "post", _booking_url, write(SEES_PROJECT_A, WRITES_PROJECT_A | {"resident_a"})),
    Case(
        "record issue",
        "post",
        lambda w: f"/api/v1/reception-days/{_day(w).pk}/issues",
        write(SEES_PROJECT_A, STAFF_OF_A, 201),
        lambda w: {"description": "楼道灯不亮", "answer": "已安排电工今日更换"},
    ),
    Case("surveys", "get", lambda w: "/api/v1/surveys", read(EVERYONE)),
    Case(
        "create survey",
        "post",
        lambda w: "/api/v1/surveys",
        write(SEES_PROJECT_A, WRITES_PROJECT_A, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "title": f"调查{next(_counter)}",
            "opens_on": timezone.localdate().isoformat(),
            "closes_on": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        },
    ),
    Case("survey", "get", lambda w: _survey_url(w), read(SEES_PROJECT_A)),
    Case(
        "publish survey",
        "post",
        lambda w: _survey_url(w, "/publish", status=SurveyStatus.DRAFT, published_at=None),
        # A draft is not shown to residents at all.
        {**write(SEES_PROJECT_A, WRITES_PROJECT_A), "resident_a": 404},
    ),
    Case("responses", "get", lambda w: _survey_url(w, "/responses"), STAFF_ONLY_READ),
    Case(
        "answer survey",
        "post",
        lambda w: _survey_url(w, "/responses"),
        # Staff accounts may not answer online for a household.
        write(SEES_PROJECT_A, {"resident_a"}, 201),
        _answers,
    ),
    Case("results", "get", lambda w: _survey_url(w, "/results", is_open=False), read(SEES_PROJECT_A)),
]

ROUTES: set[tuple[str, str]] = {
    ("GET", "/api/v1/reception-days"),
    ("POST", "/api/v1/reception-days"),
    ("GET", "/api/v1/reception-days/{day_id}"),
    ("GET", "/api/v1/reception-days/{day_id}/bookings"),
    ("POST", "/api/v1/reception-days/{day_id}/bookings"),
    ("POST", "/api/v1/reception-days/{day_id}/bookings/{booking_id}/cancel"),
    ("POST", "/api/v1/reception-days/{day_id}/issues"),
    ("GET", "/api/v1/surveys"),
    ("POST", "/api/v1/surveys"),
    ("GET", "/api/v1/surveys/{survey_id}"),
    ("POST", "/api/v1/surveys/{survey_id}/publish"),
    ("GET", "/api/v1/surveys/{survey_id}/responses"),
    ("POST", "/api/v1/surveys/{survey_id}/responses"),
    ("GET", "/api/v1/surveys/{survey_id}/results"),
}
# Routes whose permissions are tested elsewhere (name the test module in a comment beside each).
OWN_ROUTES: set[tuple[str, str]] = set()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_endpoint_answers_each_role_with_the_expected_status(world, client, case: Case) -> None:
    tokens = {name: api_token_create(user=user)[1] for name, user in world.users.items()}
    failures = run(client, world, case, tokens, _state)
    assert not failures, "\n".join(failures)
