"""Feedback metrics on a fixed set of records with explicit dates, against values computed by hand, and the same
number of queries for one project as for many."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haofuwu.core import metrics as core_metrics
from haofuwu.estates.tests.factories import ProjectFactory, UnitFactory
from haofuwu.feedback import metrics as feedback_metrics
from haofuwu.feedback.choices import QuestionKind, ReceptionDayStatus, SurveyStatus
from haofuwu.feedback.metrics import METRICS
from haofuwu.feedback.models import (
    Answer,
    ContactAttempt,
    PeriodicVisit,
    Question,
    ReceptionDay,
    ReceptionIssue,
    Survey,
    SurveyResponse,
)
from haofuwu.feedback.selectors import survey_results
from haofuwu.workorders.models import ReturnVisit, WorkOrder
from haofuwu.workorders.sla import SHANGHAI


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


START, END, NOW = at("2026-01-01T00:00"), at("2027-01-01T00:00"), at("2026-12-01T12:00")
D = dt.date.fromisoformat

# The same fixed responses as test_satisfaction: (customer service, repairs, security) per household.
LEVELS = [(5, 4, 3), (4, 3, 2), (3, 2, 1), (5, None, 3)]


def _order(project: Any, **fields: Any) -> WorkOrder:
    values = {"kind": "repair", "title": "t", "description": "d", "submitted_at": at("2026-03-07T10:00")}
    values.update(fields)
    return WorkOrder.objects.create(project=project, **values)


@pytest.fixture(autouse=True, params=["one query", "grouped"])
def path(request, monkeypatch) -> str:
    """Every test runs on both paths: a small set of projects in one query, a large one grouped in the database."""
    if request.param == "grouped":
        monkeypatch.setattr(feedback_metrics, "SMALL_SET", 0)
    return request.param


@pytest.fixture
def records(world) -> dict[str, Any]:
    a = world.project_a
    units = [world.unit_a, world.unit_a2] + [UnitFactory(building=world.building_a) for _ in range(4)]
    UnitFactory(building=world.building_a, status="undelivered")  # not in any denominator
    survey = Survey.objects.create(
        project=a, title="年度", opens_on=D("2026-05-01"), closes_on=D("2026-05-31"), status=SurveyStatus.PUBLISHED
    )
    questions = [
        Question.objects.create(survey=survey, position=i, kind=QuestionKind.SATISFACTION, service_line=line, text=line)
        for i, line in enumerate(["customer_service", "repairs", "security"])
    ]
    for unit, levels in zip(units, LEVELS, strict=False):
        response = SurveyResponse.objects.create(
            survey=survey, unit=unit, channel="online", submitted_at=at("2026-05-03T10:00")
        )
        for question, level in zip(questions, levels, strict=True):
            Answer.objects.create(response=response, question=question, level=level)
    # Contacted without an answer: household 5; household 1 answered and was also called (counted once).
    for unit in (units[4], units[0]):
        ContactAttempt.objects.create(
            survey=survey, unit=unit, method="phone", outcome="unreachable", attempted_at=at("2026-05-10T10:00")
        )
    # A draft survey of the period and a survey of last year do not count.
    old = Survey.objects.create(project=a, title="旧", opens_on=D("2025-05-01"), closes_on=D("2025-05-31"))
    SurveyResponse.objects.create(survey=old, unit=units[5], channel="online", submitted_at=at("2025-05-03T10:00"))

    held = [
        ReceptionDay.objects.create(project=a, date=D(day), place="中心", status=ReceptionDayStatus.HELD)
        for day in ("2026-03-07", "2026-04-04", "2025-12-06")
    ]
    ReceptionDay.objects.create(project=a, date=D("2026-05-02"), place="中心")  # published, never recorded
    march = held[0]
    due = D("2026-03-22")
    fixed = _order(a, status="resolved", resolved_at=at("2026-03-20T10:00"))
    late = _order(a, status="resolved", resolved_at=at("2026-03-30T10:00"))
    issues = {
        "answered": ReceptionIssue.objects.create(
            day=march, description="a", outcome="answered", follow_up_due=due, closed_at=at("2026-03-07T10:00")
        ),
        "fixed": ReceptionIssue.objects.create(
            day=march, description="b", outcome="work_order", follow_up_due=due, work_order=fixed
        ),
        "late": ReceptionIssue.objects.create(
            day=march, description="c", outcome="work_order", follow_up_due=due, work_order=late
        ),
        "open": ReceptionIssue.objects.create(day=march, description="d", outcome="follow_up", follow_up_due=due),
        "last_evening": ReceptionIssue.objects.create(
            day=march, description="e", outcome="follow_up", follow_up_due=due, closed_at=at("2026-03-22T23:00")
        ),
    }
    november = ReceptionDay.objects.create(project=a, date=D("2026-11-28"), place="中心", status="held")
    ReceptionIssue.objects.create(day=november, description="f", outcome="follow_up", follow_up_due=D("2026-12-13"))

    ReturnVisit.objects.create(work_order=fixed, outcome="satisfied", visited_at=at("2026-03-21T10:00"))
    _order(a, kind="enquiry", status="resolved", resolved_at=at("2026-03-20T10:00"))  # owes no return visit
    visits = {
        "done": PeriodicVisit.objects.create(project=a, unit=units[0], due_on=D("2026-06-30"), visited_at=NOW),
        "missed": PeriodicVisit.objects.create(project=a, unit=units[1], due_on=D("2026-07-31")),
        "not_yet_due": PeriodicVisit.objects.create(project=a, unit=units[2], due_on=D("2026-12-20")),
        "last_year": PeriodicVisit.objects.create(project=a, unit=units[3], due_on=D("2025-06-30")),
    }
    return {"survey": survey, "units": units, "held": held, "issues": issues, "visits": visits}


def compute(world: Any, name: str) -> Any:
    ids = [world.project_a.pk, world.project_b.pk]
    return METRICS[name](project_ids=ids, start=START, end=END, now=NOW)


def test_every_agreed_metric_name_is_registered() -> None:
    names = {name for name in core_metrics.names() if name.startswith("feedback.")}
    lines = ["customer_service", "repairs", "security", "cleaning", "greening", "facilities", "fee_transparency"]
    assert names == {
        "feedback.satisfaction_rate",
        *(f"feedback.satisfaction_{line}" for line in lines),
        "feedback.survey_coverage",
        "feedback.survey_response_rate",
        "feedback.reception_days_held",
        "feedback.reception_issues_closed_in_time_rate",
        "feedback.return_visit_rate",
    }


@pytest.mark.django_db
def test_satisfaction_without_basically_satisfied_matches_the_hand_computation(world, records) -> None:
    overall = compute(world, "feedback.satisfaction_rate")
    assert (overall[world.project_a.pk].numerator, overall[world.project_a.pk].denominator) == (4, 11)
    assert overall[world.project_a.pk].value == pytest.approx(4 / 11)
    assert overall[world.project_b.pk].value is None
    by_line = {
        line: compute(world, f"feedback.satisfaction_{line}")[world.project_a.pk]
        for line in ("customer_service", "repairs", "security", "greening")
    }
    assert {line: (v.numerator, v.denominator) for line, v in by_line.items()} == {
        "customer_service": (3, 4),
        "repairs": (1, 3),
        "security": (0, 4),
        "greening": (0, 0),
    }
    # The responses behind it, those with an answer below the cut-off first: all four have one.
    assert sorted(overall[world.project_a.pk].record_ids) == sorted(
        records["survey"].responses.values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_satisfaction_with_basically_satisfied_matches_the_hand_computation(world, records) -> None:
    Survey.objects.filter(pk=records["survey"].pk).update(counts_basically_satisfied=True)
    overall = compute(world, "feedback.satisfaction_rate")[world.project_a.pk]
    assert (overall.numerator, overall.denominator) == (8, 11)
    lines = {
        line: compute(world, f"feedback.satisfaction_{line}")[world.project_a.pk]
        for line in ("customer_service", "repairs", "security")
    }
    assert {line: (v.numerator, v.denominator) for line, v in lines.items()} == {
        "customer_service": (4, 4),
        "repairs": (2, 3),
        "security": (2, 4),
    }
    # The results page computes the same from the same answers.
    survey = Survey.objects.get(pk=records["survey"].pk)
    results = survey_results(survey)
    assert (results.satisfaction.overall.satisfied, results.satisfaction.overall.valid) == (8, 11)
    strict = survey_results(survey, counts_basically_satisfied=False)
    assert (strict.satisfaction.overall.satisfied, strict.satisfaction.overall.valid) == (4, 11)


@pytest.mark.django_db
def test_coverage_counts_responses_and_contact_attempts_of_delivered_households(world, records) -> None:
    coverage = compute(world, "feedback.survey_coverage")[world.project_a.pk]
    # Six delivered households: four answered, one more was called, one was not reached.
    assert (coverage.numerator, coverage.denominator) == (5, 6)
    assert coverage.record_ids[0] == records["units"][5].pk
    response_rate = compute(world, "feedback.survey_response_rate")[world.project_a.pk]
    assert (response_rate.numerator, response_rate.denominator) == (4, 6)
    results = survey_results(records["survey"])
    assert (results.contacted_households, results.responses, results.delivered_households) == (5, 4, 6)
    assert results.is_coverage_met  # 5/6 ≥ 70%


@pytest.mark.django_db
def test_reception_days_held_counts_recorded_days_of_the_period(world, records) -> None:
    held = compute(world, "feedback.reception_days_held")
    assert held[world.project_a.pk].value == 3  # March, April and November; not December 2025 nor the unrecorded May
    assert held[world.project_a.pk].record_ids[:2] == [records["held"][0].pk, records["held"][1].pk]
    assert held[world.project_b.pk].value == 0


@pytest.mark.django_db
def test_reception_issues_closed_within_their_follow_up_date(world, records) -> None:
    rate = compute(world, "feedback.reception_issues_closed_in_time_rate")[world.project_a.pk]
    # Answered, fixed by work order and closed on the last evening are in time; late and open are not; the
    # November issue is still within its time and left out.
    assert (rate.numerator, rate.denominator) == (3, 5)
    issues = records["issues"]
    assert set(rate.record_ids[:2]) == {issues["late"].pk, issues["open"].pk}


@pytest.mark.django_db
def test_return_visit_rate_pools_work_orders_and_periodic_visits(world, records) -> None:
    rate = compute(world, "feedback.return_visit_rate")[world.project_a.pk]
    # Work orders: the fixed repair was visited, the late one not (1 of 2); periodic: done and missed (1 of 2).
    assert (rate.numerator, rate.denominator) == (2, 4)
    visits = records["visits"]
    assert rate.record_ids == [visits["missed"].pk, visits["done"].pk]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(METRICS))
def test_many_projects_take_the_same_queries_as_one(world, records, name: str) -> None:
    many = [world.project_a.pk, world.project_b.pk] + [ProjectFactory(company=world.company_b).pk for _ in range(4)]
    with CaptureQueriesContext(connection) as one:
        METRICS[name](project_ids=many[:1], start=START, end=END, now=NOW)
    with CaptureQueriesContext(connection) as six:
        result = METRICS[name](project_ids=many, start=START, end=END, now=NOW)
    assert len(one) == len(six) <= 3
    assert set(result) == set(many)


@pytest.mark.django_db
def test_metrics_computed_together_equal_each_computed_alone(world, records, path: str) -> None:
    projects = [world.project_a.pk, world.project_b.pk]
    names = sorted(METRICS)
    with CaptureQueriesContext(connection) as together:
        found = core_metrics.compute_many(names, project_ids=projects, start=START, end=END, now=NOW)
    for name in names:
        alone = core_metrics.get(name).compute(project_ids=projects, start=START, end=END, now=NOW)
        assert found[name] == alone, name
    if path == "one query":
        # Eight satisfaction rates in one query, both reach rates in one, the other three metrics 1 + 1 + 2.
        assert len(together) == 6
