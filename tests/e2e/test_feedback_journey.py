"""Resident voice on a phone and at the desk: a resident books a reception slot and answers the satisfaction
survey; the manager records the day, and an issue raised there becomes a work order.

Locators use names, values and test ids, so the journey holds in Chinese and in English.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from haofuwu.feedback.models import ReceptionBooking, ReceptionDay, ReceptionIssue, SurveyResponse
from haofuwu.feedback.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_books_and_answers_then_the_manager_records_the_day(log_in, live_server, world, browser, phone_page):  # type: ignore[no-untyped-def]
    day = factories.reception_day(world.project_a, days_ahead=0)
    survey = factories.survey(world.project_a)
    base = live_server.url

    # On the phone: book the first slot with a topic.
    resident = phone_page
    log_in(resident, base, "resident_a")
    resident.goto(f"{base}/feedback/my/reception-days/")
    card = resident.locator(f'[data-testid="reception-day"][data-id="{day.pk}"]')
    card.locator(f'input[name="day{day.pk}-slot"]').first.check()
    card.locator(f'textarea[name="day{day.pk}-topic"]').fill("Bike shed light is broken")
    card.get_by_test_id("book").click()
    expect(card.get_by_test_id("my-booking")).to_contain_text("Bike shed light is broken")
    booking = ReceptionBooking.objects.get()
    assert (booking.unit_id, booking.status) == (world.unit_a.pk, "booked")
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390

    # On the phone: answer the open survey, every line "satisfied".
    resident.goto(f"{base}/feedback/my/surveys/")
    resident.get_by_test_id("answer-survey").click()
    expect(resident).to_have_url(re.compile(rf"/feedback/my/surveys/{survey.pk}/$"))
    for question in survey.questions.filter(kind="satisfaction"):
        resident.locator(f'input[name="q{question.pk}"][value="4"]').check()
    resident.get_by_test_id("submit-survey").click()
    expect(resident.get_by_test_id("answered")).to_be_visible()
    response = SurveyResponse.objects.get()
    assert (response.unit_id, response.channel) == (world.unit_a.pk, "online")
    assert response.answers.filter(level=4).count() == 7
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390

    # At the desk: the manager records the issue raised by the resident as a work order, then the day as held.
    context = browser.new_context(locale="zh-CN")
    manager = context.new_page()
    manager.set_default_timeout(15_000)
    log_in(manager, base, "manager_a")
    manager.goto(f"{base}/feedback/reception-days/{day.pk}/")
    form = manager.get_by_test_id("issue-form")
    form.locator('select[name="issue-booking"]').select_option(str(booking.pk))
    form.locator('textarea[name="issue-description"]').fill("Bike shed light is broken")
    form.locator('input[name="issue-create_work_order"]').check()
    form.locator('select[name="issue-category"]').select_option("electricity")
    form.locator('button[value="issue"]').click()
    link = manager.get_by_test_id("issue-work-order")
    expect(link).to_have_text(re.compile(r"^WO\d{7}$"))
    issue = ReceptionIssue.objects.get()
    assert issue.work_order is not None
    assert (issue.work_order.channel, issue.work_order.unit_id) == ("reception_day", world.unit_a.pk)
    manager.get_by_test_id("record-form").locator("button").click()
    expect(manager.get_by_test_id("day-status")).to_have_text(re.compile(r"Held|已举行"))
    assert ReceptionDay.objects.get().status == "held"
    booking.refresh_from_db()
    assert booking.status == "attended"
    context.close()
