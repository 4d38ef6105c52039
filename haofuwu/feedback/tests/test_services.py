"""Business rules of the feedback services: capacity under concurrency, one booking per household and day,
reminders once, who may do what, and surveys that change only as drafts."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from haofuwu.accounts.services import role_assign
from haofuwu.core import sweeps
from haofuwu.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from haofuwu.core.models import Notification
from haofuwu.estates.tests.factories import UnitFactory, UserFactory
from haofuwu.feedback import services
from haofuwu.feedback.models import ContactAttempt, PeriodicVisit, ReceptionBooking, ReceptionSlot
from haofuwu.feedback.tests import factories


def _resident(unit):  # type: ignore[no-untyped-def]
    user = UserFactory()
    role_assign(actor=None, user=user, role="resident", unit=unit)
    return user


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_when_residents_book_the_last_places_at_once(world) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the race is tested on PostgreSQL")
    day = factories.reception_day(world.project_a, capacity=2, slots=1)
    slot = day.slots.get()
    users = [world.users["resident_a"], _resident(world.unit_a2)]
    users += [_resident(UnitFactory(building=world.building_a)) for _ in range(4)]
    start = threading.Barrier(len(users))
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(user) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait()
            services.reception_booking_create(actor=user, day_id=day.pk, slot_id=slot.pk, topic="车位")
            result = "booked"
        except Conflict:
            result = "full"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["booked", "booked", "full", "full", "full", "full"]
    assert ReceptionSlot.objects.get(pk=slot.pk).booked == 2
    assert ReceptionBooking.objects.filter(slot=slot).count() == 2


@pytest.mark.django_db
def test_reminder_reaches_each_booked_resident_once_the_day_before(world) -> None:
    day = factories.reception_day(world.project_a, days_ahead=1)
    slot = day.slots.first()
    services.reception_booking_create(actor=world.users["resident_a"], day_id=day.pk, slot_id=slot.pk, topic="噪音")
    later = factories.reception_day(world.project_a, days_ahead=5)
    services.reception_booking_create(
        actor=world.users["resident_a"], day_id=later.pk, slot_id=later.slots.first().pk, topic="绿化"
    )
    now = timezone.now()
    assert services.reception_reminders_send(now) == 1
    assert services.reception_reminders_send(now) == 0
    reminder = Notification.objects.get(recipient=world.users["resident_a"])
    assert day.place in reminder.title and "09:00" in reminder.title
    assert (reminder.link, reminder.channels) == ("/feedback/my/reception-days/", ["sms"])


def test_reminder_sweep_is_registered() -> None:
    import haofuwu.feedback.sweeps  # noqa: F401

    assert "feedback.reception_reminders" in sweeps.registry.names()


@pytest.mark.django_db
def test_resident_of_another_project_does_not_find_the_day(world) -> None:
    day = factories.reception_day(world.project_a)
    with pytest.raises(NotFound):
        services.reception_booking_create(
            actor=world.users["resident_b"], day_id=day.pk, slot_id=day.slots.first().pk, topic="x"
        )


@pytest.mark.django_db
def test_walk_in_of_a_household_already_booked_is_refused(world) -> None:
    day = factories.reception_day(world.project_a, days_ahead=0)
    services.reception_booking_create(
        actor=world.users["resident_a"], day_id=day.pk, slot_id=day.slots.first().pk, topic="x"
    )
    with pytest.raises(Conflict):
        services.reception_walk_in_record(
            actor=world.users["manager_a"], day_id=day.pk, visitor_name="张甲", topic="y", unit_id=world.unit_a.pk
        )
    walk_in = services.reception_walk_in_record(
        actor=world.users["engineer_a"], day_id=day.pk, visitor_name="路人", topic="快递柜"
    )
    assert (walk_in.is_walk_in, walk_in.status) == (True, "attended")


@pytest.mark.django_db
def test_a_day_is_recorded_as_held_only_on_or_after_it(world) -> None:
    day = factories.reception_day(world.project_a, days_ahead=3)
    with pytest.raises(Conflict):
        services.reception_day_record(actor=world.users["manager_a"], day_id=day.pk)
    with pytest.raises(PermissionDenied):
        services.reception_day_record(actor=world.users["engineer_a"], day_id=day.pk)


@pytest.mark.django_db
def test_issue_left_to_follow_up_is_closed_with_an_answer_once(world) -> None:
    day = factories.reception_day(world.project_a, days_ahead=0)
    issue = services.reception_issue_record(actor=world.users["manager_a"], day_id=day.pk, description="路灯")
    assert (issue.outcome, issue.closed_at) == ("follow_up", None)
    closed = services.reception_issue_close(actor=world.users["engineer_a"], issue_id=issue.pk, answer="已更换")
    assert closed.closed_at is not None
    with pytest.raises(Conflict):
        services.reception_issue_close(actor=world.users["manager_a"], issue_id=issue.pk, answer="again")


@pytest.mark.django_db
def test_schedule_publishes_the_configured_weekday_and_skips_taken_dates(world) -> None:
    start = timezone.localdate()
    days = services.reception_schedule_publish(
        actor=world.users["manager_a"], project_id=world.project_a.pk, start=start, months=3, place="中心",
        weekday=2, ordinal=3,
    )  # fmt: skip
    assert days and all(day.date.weekday() == 2 and 15 <= day.date.day <= 21 for day in days)
    again = services.reception_schedule_publish(
        actor=world.users["manager_a"], project_id=world.project_a.pk, start=start, months=3, place="中心",
        weekday=2, ordinal=3,
    )  # fmt: skip
    assert again == []


@pytest.mark.django_db
def test_community_worker_cannot_enter_paper_forms(world) -> None:
    survey = factories.survey(world.project_a)
    with pytest.raises(PermissionDenied):
        services.survey_response_submit(
            actor=world.users["community_a"], survey_id=survey.pk, unit_id=world.unit_a.pk, channel="paper", answers=[]
        )


@pytest.mark.django_db
def test_closed_survey_refuses_online_answers(world) -> None:
    survey = factories.survey(world.project_a, is_open=False)
    with pytest.raises(Conflict):
        services.survey_response_submit(
            actor=world.users["resident_a"],
            survey_id=survey.pk,
            answers=[services.AnswerIn(**a) for a in factories.answers_for(survey)],
        )


@pytest.mark.django_db
def test_published_survey_takes_no_more_questions(world) -> None:
    survey = factories.survey(world.project_a)
    with pytest.raises(Conflict):
        services.survey_question_add(
            actor=world.users["manager_a"],
            survey_id=survey.pk,
            question=services.QuestionIn(kind="free_text", text="还有吗？"),
        )


@pytest.mark.django_db
def test_choice_question_needs_two_distinct_options(world) -> None:
    today = timezone.localdate()
    survey = services.survey_create(
        actor=world.users["manager_a"], project_id=world.project_a.pk, title="t", opens_on=today, closes_on=today,
        questions=[],
    )  # fmt: skip
    with pytest.raises(DomainError) as raised:
        services.survey_question_add(
            actor=world.users["manager_a"],
            survey_id=survey.pk,
            question=services.QuestionIn(kind="single_choice", text="渠道", options=["电话", "电话"]),
        )
    assert raised.value.field == "options"
    question = services.survey_question_add(
        actor=world.users["manager_a"],
        survey_id=survey.pk,
        question=services.QuestionIn(kind="multiple_choice", text="渠道", options=["电话", "微信"]),
    )
    published = services.survey_publish(actor=world.users["manager_a"], survey_id=survey.pk)
    assert (question.position, published.status) == (1, "published")


@pytest.mark.django_db
def test_contact_attempt_is_logged_by_staff_of_the_project(world) -> None:
    survey = factories.survey(world.project_a)
    services.survey_contact_record(
        actor=world.users["security_a"], survey_id=survey.pk, unit_id=world.unit_a2.pk, method="phone",
        outcome="unreachable",
    )  # fmt: skip
    assert ContactAttempt.objects.get().unit_id == world.unit_a2.pk
    with pytest.raises(NotFound):
        services.survey_contact_record(
            actor=world.users["manager_b"], survey_id=survey.pk, unit_id=world.unit_a2.pk, method="phone",
            outcome="unreachable",
        )  # fmt: skip


@pytest.mark.django_db
def test_periodic_visits_are_planned_for_delivered_households_and_recorded_once(world) -> None:
    UnitFactory(building=world.building_a, status="undelivered")
    due = timezone.localdate() + dt.timedelta(days=30)
    count = services.periodic_visit_plan(actor=world.users["manager_a"], project_id=world.project_a.pk, due_on=due)
    assert count == 2
    visit = PeriodicVisit.objects.first()
    services.periodic_visit_record(
        actor=world.users["engineer_a"], visit_id=visit.pk, method="phone", outcome="satisfied"
    )
    with pytest.raises(Conflict):
        services.periodic_visit_record(
            actor=world.users["engineer_a"], visit_id=visit.pk, method="phone", outcome="satisfied"
        )
