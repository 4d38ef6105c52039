"""The feedback pages: staff and resident pages render, forms show errors beside the fields, and writes land."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haofuwu.feedback.models import PeriodicVisit, ReceptionBooking, ReceptionDay, ReceptionIssue, SurveyResponse
from haofuwu.feedback.tests import factories
from haofuwu.workorders.models import ReturnVisit, WorkOrder

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/feedback/reception-days/", "/feedback/surveys/", "/feedback/return-visits/"])
def test_staff_pages_render_for_the_manager_and_refuse_residents(world, client_for, url) -> None:
    factories.reception_day(world.project_a)
    factories.survey(world.project_a)
    assert client_for(world.users["manager_a"]).get(url).status_code == 200
    assert client_for(world.users["resident_a"]).get(url).status_code == 403


def test_manager_publishes_a_day_from_the_page_in_slots(world, client_for) -> None:
    date = timezone.localdate() + dt.timedelta(days=5)
    response = client_for(world.users["manager_a"]).post(
        "/feedback/reception-days/",
        {
            "intent": "day",
            "day-project": world.project_a.pk,
            "day-date": date.isoformat(),
            "day-place": "服务中心",
            "day-starts_at": "09:00",
            "day-ends_at": "10:30",
            "day-slot_minutes": 30,
            "day-capacity": 4,
        },
    )
    assert response.status_code == 302
    day = ReceptionDay.objects.get(date=date)
    assert [(f"{s.starts_at:%H:%M}", s.capacity) for s in day.slots.all()] == [("09:00", 4), ("09:30", 4), ("10:00", 4)]


def test_a_past_date_is_shown_beside_the_field(world, client_for) -> None:
    response = client_for(world.users["manager_a"]).post(
        "/feedback/reception-days/",
        {
            "intent": "day",
            "day-project": world.project_a.pk,
            "day-date": "2020-01-04",
            "day-place": "服务中心",
            "day-starts_at": "09:00",
            "day-ends_at": "10:00",
            "day-slot_minutes": 30,
            "day-capacity": 4,
        },
    )
    assert response.status_code == 422
    assert "Choose a date from today on." in response.content.decode()


def test_default_schedule_publishes_the_first_saturdays(world, client_for) -> None:
    response = client_for(world.users["manager_a"]).post(
        "/feedback/reception-days/",
        {"intent": "schedule", "plan-project": world.project_a.pk, "plan-place": "中心", "plan-weekday": 5,
         "plan-ordinal": 1, "plan-months": 3},
    )  # fmt: skip
    assert response.status_code == 302
    dates = list(ReceptionDay.objects.values_list("date", flat=True))
    assert dates and all(date.weekday() == 5 and date.day <= 7 for date in dates)


def test_manager_records_an_issue_as_a_work_order_and_the_day_as_held(world, client_for) -> None:
    day = factories.reception_day(world.project_a, days_ahead=0)
    booking = ReceptionBooking.objects.create(
        day=day, slot=day.slots.first(), unit=world.unit_a, booked_by=world.users["resident_a"], topic="电梯"
    )
    client = client_for(world.users["manager_a"])
    url = f"/feedback/reception-days/{day.pk}/"
    response = client.post(
        url,
        {"intent": "issue", "issue-booking": booking.pk, "issue-description": "2号电梯异响", "issue-create_work_order": "on",
         "issue-kind": "repair", "issue-category": "elevator"},
    )  # fmt: skip
    assert response.status_code == 302
    issue = ReceptionIssue.objects.get()
    assert issue.work_order.channel == "reception_day"
    assert issue.work_order.unit_id == world.unit_a.pk
    assert client.post(url, {"intent": "record", "summary": "来访3户"}).status_code == 302
    day.refresh_from_db()
    assert day.status == "held"
    page = client.get(url).content.decode()
    assert issue.work_order.number in page


def test_resident_books_and_cancels_on_the_phone_page(world, client_for) -> None:
    day = factories.reception_day(world.project_a)
    slot = day.slots.first()
    client = client_for(world.users["resident_a"])
    page = client.get("/feedback/my/reception-days/")
    assert page.status_code == 200
    response = client.post(
        "/feedback/my/reception-days/",
        {"intent": "book", "day": day.pk, f"day{day.pk}-slot": slot.pk, f"day{day.pk}-topic": "车位"},
    )
    assert response.status_code == 302
    booking = ReceptionBooking.objects.get()
    again = client.post(
        "/feedback/my/reception-days/",
        {"intent": "cancel", "day": day.pk, "booking": booking.pk},
    )
    assert again.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_resident_booking_without_topic_is_shown_beside_the_field(world, client_for) -> None:
    day = factories.reception_day(world.project_a)
    response = client_for(world.users["resident_a"]).post(
        "/feedback/my/reception-days/",
        {"intent": "book", "day": day.pk, f"day{day.pk}-slot": day.slots.first().pk, f"day{day.pk}-topic": ""},
    )
    assert response.status_code == 422
    assert not ReceptionBooking.objects.exists()


def test_resident_answers_a_survey_and_is_not_asked_again(world, client_for) -> None:
    survey = factories.survey(world.project_a)
    client = client_for(world.users["resident_a"])
    url = f"/feedback/my/surveys/{survey.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    assert "hfw_device" in form.cookies
    data = {f"q{q.pk}": 5 for q in survey.questions.filter(kind="satisfaction")}
    assert client.post(url, data).status_code == 302
    assert SurveyResponse.objects.get().channel == "online"
    listing = client.get("/feedback/my/surveys/").content.decode()
    assert 'data-testid="answered"' in listing
    assert client.get(url).status_code == 302


def test_survey_results_page_shows_the_rate_and_flags(world, client_for) -> None:
    survey = factories.survey(world.project_a, is_open=False)
    now = timezone.now()
    for unit in (world.unit_a, world.unit_a2):
        SurveyResponse.objects.create(survey=survey, unit=unit, channel="online", submitted_at=now, device_id="d")
    page = client_for(world.users["manager_a"]).get(f"/feedback/surveys/{survey.pk}/results/")
    assert page.status_code == 200
    resident = client_for(world.users["resident_a"]).get(f"/feedback/my/surveys/{survey.pk}/results/")
    assert resident.status_code == 200
    assert 'data-testid="flags"' not in resident.content.decode()


def test_return_visit_list_shows_work_orders_and_periodic_visits_overdue_first(world, client_for) -> None:
    now = timezone.now()
    order = WorkOrder.objects.create(
        project=world.project_a, kind="repair", title="水管", description="d", submitted_at=now - dt.timedelta(days=9),
        status="resolved", resolved_at=now - dt.timedelta(days=8),
    )  # fmt: skip
    visited = WorkOrder.objects.create(
        project=world.project_a, kind="complaint", title="噪音", description="d", submitted_at=now,
        status="resolved", resolved_at=now,
    )  # fmt: skip
    ReturnVisit.objects.create(work_order=visited, outcome="satisfied", visited_at=now)
    visit = PeriodicVisit.objects.create(project=world.project_a, unit=world.unit_a, due_on=timezone.localdate())
    client = client_for(world.users["manager_a"])
    page = client.get("/feedback/return-visits/").content.decode()
    assert page.index(order.number) < page.index(visited.number)
    response = client.post(
        "/feedback/return-visits/",
        {"intent": "visit", "visit": visit.pk, "method": "home_visit", "outcome": "satisfied"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.visited_at is not None
    partial = client.get("/feedback/return-visits/?source=periodic", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and order.number not in partial


def test_resident_pages_speak_chinese_by_default(world, client_for, chinese) -> None:
    factories.reception_day(world.project_a)
    factories.survey(world.project_a)
    client = client_for(world.users["resident_a"])
    assert "项目经理接待日" in client.get("/feedback/my/reception-days/").content.decode()
    page = client.get("/feedback/my/surveys/").content.decode()
    assert "填写问卷" in page


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_staff_list_pages_take_the_same_queries_for_more_rows(world, client_for) -> None:
    client = client_for(world.users["manager_a"])
    now = timezone.now()
    factories.reception_day(world.project_a, days_ahead=1)
    factories.reception_day(world.project_a, days_ahead=-40)
    factories.survey(world.project_a)
    PeriodicVisit.objects.create(project=world.project_a, unit=world.unit_a, due_on=timezone.localdate())
    WorkOrder.objects.create(
        project=world.project_a, kind="repair", title="t", description="d", submitted_at=now, status="resolved",
        resolved_at=now, unit=world.unit_a,
    )  # fmt: skip
    urls = ["/feedback/reception-days/", "/feedback/surveys/", "/feedback/return-visits/", "/feedback/my/surveys/"]
    few = {url: _queries(client, url) for url in urls}
    for offset in range(2, 8):
        factories.reception_day(world.project_a, days_ahead=offset)
        factories.reception_day(world.project_a, days_ahead=-40 - offset)
        factories.survey(world.project_a)
        PeriodicVisit.objects.create(
            project=world.project_a, unit=world.unit_a2, due_on=timezone.localdate() + dt.timedelta(days=offset)
        )
        WorkOrder.objects.create(
            project=world.project_a, kind="complaint", title="t", description="d", submitted_at=now,
            status="resolved", resolved_at=now, unit=world.unit_a2,
        )  # fmt: skip
    many = {url: _queries(client, url) for url in urls}
    assert many == few
