"""A resident on a 390 px phone signs up for a full activity, is promoted from the waiting list when someone
cancels, and is checked in at the door by the ticket QR — once: a second scan is refused.

Locators use test ids and values, so the journey holds in Chinese and in English.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from haofuwu.accounts.services import role_assign
from haofuwu.community import services
from haofuwu.community.models import Registration
from haofuwu.community.tests import factories
from haofuwu.estates.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_waitlist_promotion_and_a_single_qr_check_in_on_a_phone(log_in, live_server, world, browser, phone_page):  # type: ignore[no-untyped-def]
    activity = factories.activity(
        world.project_a, capacity=1, starts_in=dt.timedelta(minutes=30), title="Moon festival"
    )
    neighbour = UserFactory(username="neighbour")
    role_assign(actor=None, user=neighbour, role="resident", unit=world.unit_a2)
    taken = services.registration_create(actor=neighbour, activity_id=activity.pk)
    base = live_server.url

    # The resident finds the activity full and joins the waiting list.
    resident = phone_page
    log_in(resident, base, "resident_a")
    resident.goto(f"{base}/community/my/activities/")
    resident.locator(f'[data-testid="activity"][data-id="{activity.pk}"] a').click()
    resident.get_by_test_id("sign-up").click()
    expect(resident.get_by_test_id("my-registration")).to_have_attribute("data-status", "waitlisted")
    expect(resident.get_by_test_id("waitlist-position")).to_contain_text("1")
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390

    # The neighbour cancels; the resident's place is confirmed and the ticket QR appears.
    services.registration_cancel(actor=neighbour, activity_id=activity.pk, registration_id=taken.pk)
    resident.reload()
    expect(resident.get_by_test_id("my-registration")).to_have_attribute("data-status", "confirmed")
    qr = resident.get_by_test_id("ticket-qr")
    expect(qr.locator("svg")).to_be_visible()
    ticket = qr.get_attribute("data-ticket")
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390

    # At the door, the security guard's phone opens the scanned ticket and checks the resident in.
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    guard = context.new_page()
    guard.set_default_timeout(15_000)
    log_in(guard, base, "security_a")
    guard.goto(f"{base}/community/tickets/{ticket}/")
    guard.get_by_test_id("check-in").click()
    expect(guard.get_by_test_id("ticket-status")).to_have_text(re.compile(r"Checked in|已签到"))
    registration = Registration.objects.get(ticket=ticket)
    assert (registration.status, registration.check_in_method) == ("attended", "ticket_qr")
    first_time = registration.checked_in_at

    # A second scan of the same ticket is refused and changes nothing.
    guard.goto(f"{base}/community/tickets/{ticket}/")
    with guard.expect_response(lambda r: r.request.method == "POST") as posted:
        guard.get_by_test_id("check-in").click()
    assert posted.value.status == 409
    expect(guard.locator(".message-error")).to_contain_text(re.compile(r"Already checked in|签到"))
    registration.refresh_from_db()
    assert registration.checked_in_at == first_time
    assert guard.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
