"""The feedback API end to end: reception days and bookings, surveys, responses and results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haofuwu.estates.tests.factories import UnitFactory
from haofuwu.feedback.models import ReceptionBooking, ReceptionSlot, SurveyResponse
from haofuwu.feedback.tests import factories
from haofuwu.workorders.models import WorkOrder

pytestmark = pytest.mark.django_db


def test_manager_publishes_a_reception_day_with_slots(world, client_for) -> None:
    client = client_for(world.users["manager_a"])
    date = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        "/api/v1/reception-days",
        {
            "project_id": world.project_a.pk,
            "date": date.isoformat(),
            "place": "物业服务中心二楼",
            "slots": [
                {"starts_at": "09:00", "ends_at": "09:30", "capacity": 4},
                {"starts_at": "09:30", "ends_at": "10:00", "capacity": 4},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [slot["capacity"] for slot in body["slots"]] == [4, 4]
    assert body["date"] == date.isoformat()


def test_overlapping_slots_are_refused_beside_the_field(world, client_for) -> None:
    client = client_for(world.users["manager_a"])
    response = client.post(
        "/api/v1/reception-days",
        {
            "project_id": world.project_a.pk,
            "date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "place": "中心",
            "slots": [
                {"starts_at": "09:00", "ends_at": "10:00"},
                {"starts_at": "09:30", "ends_at": "10:30"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "slots"]


def test_resident_books_once_per_household_per_day(world, client_for) -> None:
    day = factories.reception_day(world.project_a)
    slot_1, slot_2 = day.slots.all()
    client = client_for(world.users["resident_a"])
    url = f"/api/v1/reception-days/{day.pk}/bookings"
    first = client.post(url, {"slot_id": slot_1.pk, "topic": "停车位"}, content_type="application/json")
    assert first.status_code == 201, first.content
    second = client.post(url, {"slot_id": slot_2.pk, "topic": "绿化"}, content_type="application/json")
    assert second.status_code == 409
    assert "already has a booking" in second.json()["detail"][0]["msg"]
    assert ReceptionBooking.objects.filter(day=day).count() == 1
    assert ReceptionSlot.objects.get(pk=slot_2.pk).booked == 0


def test_a_full_slot_refuses_the_next_booking(world, client_for) -> None:
    day = factories.reception_day(world.project_a, capacity=1, slots=1)
    slot = day.slots.get()
    slot.booked = 1
    slot.save()
    response = client_for(world.users["resident_a"]).post(
        f"/api/v1/reception-days/{day.pk}/bookings",
        {"slot_id": slot.pk, "topic": "噪音"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "full" in response.json()["detail"][0]["msg"]


def test_cancelling_frees_the_place_and_allows_booking_again(world, client_for) -> None:
    day = factories.reception_day(world.project_a, capacity=1, slots=1)
    slot = day.slots.get()
    client = client_for(world.users["resident_a"])
    url = f"/api/v1/reception-days/{day.pk}/bookings"
    booking = client.post(url, {"slot_id": slot.pk, "topic": "物业费"}, content_type="application/json").json()
    assert ReceptionSlot.objects.get(pk=slot.pk).booked == 1
    cancelled = client.post(f"{url}/{booking['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert ReceptionSlot.objects.get(pk=slot.pk).booked == 0
    again = client.post(url, {"slot_id": slot.pk, "topic": "物业费"}, content_type="application/json")
    assert again.status_code == 201


def test_issue_raised_at_the_day_becomes_a_reception_day_work_order(world, client_for) -> None:
    day = factories.reception_day(world.project_a, days_ahead=0)
    client = client_for(world.users["manager_a"])
    response = client.post(
        f"/api/v1/reception-days/{day.pk}/issues",
        {
            "description": "3单元楼道灯不亮",
            "create_work_order": True,
            "category": "electricity",
            "unit_id": world.unit_a.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    order = WorkOrder.objects.get(pk=body["work_order_id"])
    assert order.channel == "reception_day"
    assert order.unit_id == world.unit_a.pk
    assert body["outcome"] == "work_order"
    assert body["follow_up_due"] == (day.date + dt.timedelta(days=15)).isoformat()


def test_a_second_survey_response_from_a_household_is_refused_and_not_counted(world, client_for) -> None:
    survey = factories.survey(world.project_a)
    client = client_for(world.users["resident_a"])
    url = f"/api/v1/surveys/{survey.pk}/responses"
    first = client.post(url, {"answers": factories.answers_for(survey, 5)}, content_type="application/json")
    assert first.status_code == 201, first.content
    second = client.post(url, {"answers": factories.answers_for(survey, 1)}, content_type="application/json")
    assert second.status_code == 409
    results = client_for(world.users["manager_a"]).get(f"/api/v1/surveys/{survey.pk}/results").json()
    assert results["responses"] == 1
    assert results["overall"] == {"satisfied": 7, "valid": 7, "value": 1.0}
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_staff_account_cannot_answer_online_but_enters_paper_forms(world, client_for) -> None:
    survey = factories.survey(world.project_a)
    client = client_for(world.users["manager_a"])
    url = f"/api/v1/surveys/{survey.pk}/responses"
    online = client.post(url, {"answers": factories.answers_for(survey)}, content_type="application/json")
    assert online.status_code == 403
    paper = client.post(
        url,
        {"answers": factories.answers_for(survey), "channel": "paper", "unit_id": world.unit_a2.pk},
        content_type="application/json",
    )
    assert paper.status_code == 201, paper.content
    stored = SurveyResponse.objects.get(pk=paper.json()["id"])
    assert (stored.channel, stored.entered_by_id, stored.respondent_id) == ("paper", world.users["manager_a"].pk, None)


def test_missing_required_answer_is_named_beside_the_question(world, client_for) -> None:
    survey = factories.survey(world.project_a)
    answers = factories.answers_for(survey)[1:]
    response = client_for(world.users["resident_a"]).post(
        f"/api/v1/surveys/{survey.pk}/responses", {"answers": answers}, content_type="application/json"
    )
    assert response.status_code == 422
    first_question = survey.questions.order_by("position").first()
    assert response.json()["detail"][0]["loc"] == ["body", f"q{first_question.pk}"]
    assert not SurveyResponse.objects.exists()


def test_online_response_stores_a_digest_of_the_ip_never_the_ip(world, client_for) -> None:
    survey = factories.survey(world.project_a)
    client = client_for(world.users["resident_a"])
    client.cookies["hfw_device"] = "device-1"
    client.post(
        f"/api/v1/surveys/{survey.pk}/responses",
        {"answers": factories.answers_for(survey)},
        content_type="application/json",
        REMOTE_ADDR="10.1.2.3",
    )
    stored = SurveyResponse.objects.get()
    assert stored.device_id == "device-1"
    assert len(stored.ip_digest) == 64
    assert "10.1.2.3" not in stored.ip_digest


def test_default_survey_has_one_satisfaction_question_per_service_line(world, client_for) -> None:
    today = timezone.localdate()
    response = client_for(world.users["manager_a"]).post(
        "/api/v1/surveys",
        {
            "project_id": world.project_a.pk,
            "title": "年度调查",
            "opens_on": today.isoformat(),
            "closes_on": today.isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    lines = [q["service_line"] for q in response.json()["questions"] if q["kind"] == "satisfaction"]
    assert lines == [
        "customer_service",
        "repairs",
        "security",
        "cleaning",
        "greening",
        "facilities",
        "fee_transparency",
    ]


def test_resident_sees_results_only_after_the_survey_closes(world, client_for) -> None:
    open_survey = factories.survey(world.project_a)
    closed_survey = factories.survey(world.project_a, is_open=False)
    client = client_for(world.users["resident_a"])
    assert client.get(f"/api/v1/surveys/{open_survey.pk}/results").status_code == 403
    closed = client.get(f"/api/v1/surveys/{closed_survey.pk}/results")
    assert closed.status_code == 200
    assert closed.json()["flags"] == []


def test_reception_day_list_takes_the_same_queries_for_many_days(world, client_for) -> None:
    client = client_for(world.users["manager_a"])
    factories.reception_day(world.project_a, days_ahead=1)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/reception-days").status_code == 200
    for offset in range(2, 12):
        factories.reception_day(world.project_a, days_ahead=offset)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/reception-days").json()
    assert body["count"] == 11
    assert len(many) == len(few)


def test_survey_list_takes_the_same_queries_for_many_surveys(world, client_for) -> None:
    client = client_for(world.users["resident_a"])
    factories.survey(world.project_a)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/surveys?is_open=true").status_code == 200
    for _ in range(8):
        factories.survey(world.project_a)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/surveys?is_open=true").json()
    assert body["count"] == 9
    assert len(many) == len(few)


def test_survey_responses_list_takes_the_same_queries_for_many_responses(world, client_for) -> None:
    survey = factories.survey(world.project_a)
    client = client_for(world.users["manager_a"])
    now = timezone.now()
    SurveyResponse.objects.create(survey=survey, unit=world.unit_a, channel="online", submitted_at=now)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/api/v1/surveys/{survey.pk}/responses").status_code == 200
    for unit in [world.unit_a2] + [UnitFactory(building=world.building_a) for _ in range(5)]:
        SurveyResponse.objects.create(
            survey=survey, unit=unit, channel="paper", entered_by=world.users["engineer_a"], submitted_at=now
        )
    with CaptureQueriesContext(connection) as many:
        body = client.get(f"/api/v1/surveys/{survey.pk}/responses").json()
    assert body["count"] == 7
    assert len(many) == len(few)


def test_booking_list_shows_a_resident_only_their_household(world, client_for) -> None:
    day = factories.reception_day(world.project_a)
    slot = day.slots.first()
    ReceptionBooking.objects.create(day=day, slot=slot, unit=world.unit_a, topic="mine")
    ReceptionBooking.objects.create(day=day, slot=slot, unit=world.unit_a2, topic="neighbour")
    mine = client_for(world.users["resident_a"]).get(f"/api/v1/reception-days/{day.pk}/bookings").json()
    assert [b["topic"] for b in mine] == ["mine"]
    staff = client_for(world.users["manager_a"]).get(f"/api/v1/reception-days/{day.pk}/bookings").json()
    assert sorted(b["topic"] for b in staff) == ["mine", "neighbour"]


def test_a_slot_time_with_a_zone_is_refused_not_a_server_error(world, client_for) -> None:
    response = client_for(world.users["manager_a"]).post(
        "/api/v1/reception-days",
        {
            "project_id": world.project_a.pk,
            "date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "place": "中心",
            "slots": [{"starts_at": "09:00:00+08:00", "ends_at": "10:00:00"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 422


def test_regulators_see_bookings_without_residents_names(world, client_for) -> None:
    day = factories.reception_day(world.project_a)
    ReceptionBooking.objects.create(day=day, slot=day.slots.first(), unit=world.unit_a, visitor_name="张甲", topic="t")
    url = f"/api/v1/reception-days/{day.pk}/bookings"
    assert [b["visitor_name"] for b in client_for(world.users["regulator_lixia"]).get(url).json()] == [""]
    assert [b["visitor_name"] for b in client_for(world.users["manager_a"]).get(url).json()] == ["张甲"]
    assert [b["visitor_name"] for b in client_for(world.users["resident_a"]).get(url).json()] == ["张甲"]
