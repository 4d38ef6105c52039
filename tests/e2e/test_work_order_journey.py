"""A repair from the resident's phone to the resident's rating, through the manager's and the engineer's pages.

The pages are in English source text (no zh-hans catalogue yet) while Django translates a few shared words, so the
locators use names, values and test ids; the assertions are on data and on each page's SLA state.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from haofuwu.core.tests.files import has_gps, photo_bytes
from haofuwu.workorders.models import WorkOrder

# A phone photo: JPEG with the GPS position the camera wrote.
JPEG = photo_bytes("JPEG", size=(640, 480))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def desk_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_leak_reported_dispatched_resolved_confirmed_and_rated(
    log_in, live_server, world, browser, phone_page, settings, tmp_path
):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    world.staff_a.user = world.users["engineer_a"]
    world.staff_a.save()
    photo = tmp_path / "leak.jpg"
    photo.write_bytes(JPEG)
    base = live_server.url

    # The resident reports the leak from their phone, with a photo.
    resident = phone_page
    log_in(resident, base, "resident_a")
    resident.goto(f"{base}/work-orders/my/")
    resident.get_by_test_id("report-button").click()
    expect(resident).to_have_url(re.compile(r"/work-orders/my/new/$"))
    resident.locator('select[name="category"]').select_option("water")
    resident.locator('textarea[name="description"]').fill("Kitchen pipe is leaking under the sink")
    photo_input = resident.locator('input[name="photos"]')
    expect(photo_input).to_have_attribute("capture", "environment")
    photo_input.set_input_files(str(photo))
    resident.locator("#report-form button[type=submit]").click()

    expect(resident).to_have_url(re.compile(r"/work-orders/my/\d+/$"))
    order = WorkOrder.objects.get()
    assert order.photos.count() == 1
    expect(resident.get_by_test_id("status")).to_have_class(re.compile(r"status-submitted"))
    promise = resident.get_by_test_id("promise")
    expect(promise).to_have_attribute("data-state", "running")
    expect(promise).to_contain_text(re.compile(r"\d{1,2}:\d{2}"))  # the deadline it will be taken on by
    expect(resident.locator(".photos img")).to_have_count(1)
    # The photo is served to its reporter (not a broken link), stored without the GPS position.
    resident.wait_for_function("document.querySelector('.photos img').naturalWidth > 0")
    stored = order.photos.get()
    assert not has_gps(stored.image.read())
    photo_url = f"{base}/work-orders/photos/{stored.pk}/"
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390

    # A district regulator may read the work order, but not open the resident's photo.
    regulator_context, regulator = desk_page(browser)
    log_in(regulator, base, "regulator_lixia")
    assert regulator.request.get(photo_url).status == 404
    regulator.goto(f"{base}/work-orders/{order.pk}/")
    expect(regulator.locator(".photos img")).to_have_count(0)
    regulator_context.close()

    # The manager dispatches it to the engineer from the detail page.
    manager_context, manager = desk_page(browser)
    log_in(manager, base, "manager_a")
    manager.goto(f"{base}/work-orders/board/")
    expect(manager.locator(f'[data-testid="wo-card"][data-id="{order.pk}"]')).to_be_visible()
    manager.goto(f"{base}/work-orders/{order.pk}/")
    manager.wait_for_function(
        "document.querySelector('.photos img') && document.querySelector('.photos img').naturalWidth > 0"
    )
    assert manager.request.get(photo_url).headers["x-content-type-options"] == "nosniff"
    expect(manager.get_by_test_id("clock-response")).to_have_attribute("data-state", "running")
    dispatch = manager.locator('form[data-action="dispatch"]')
    dispatch.locator('select[name="dispatch-assignee"]').select_option(str(world.staff_a.pk))
    dispatch.locator("button[type=submit]").click()
    expect(manager.get_by_test_id("status")).to_have_class(re.compile(r"status-dispatched"))
    expect(manager.get_by_test_id("assignee")).to_have_text("赵工")
    expect(manager.get_by_test_id("clock-response")).to_have_attribute("data-state", "met")
    manager_context.close()

    # The engineer finds it in their tasks, starts work on site and resolves it with a note.
    engineer_context, engineer = desk_page(browser)
    log_in(engineer, base, "engineer_a")
    engineer.goto(f"{base}/work-orders/mine/")
    card = engineer.locator(f'[data-testid="wo-card"][data-id="{order.pk}"]')
    expect(card).to_be_visible()
    card.locator("h3 a").click()
    expect(engineer.get_by_test_id("clock-arrival")).to_have_attribute("data-state", "running")
    engineer.locator('form[data-action="start"] button[type=submit]').click()
    expect(engineer.get_by_test_id("status")).to_have_class(re.compile(r"status-in_progress"))
    expect(engineer.get_by_test_id("clock-arrival")).to_have_attribute("data-state", "met")
    resolve = engineer.locator('form[data-action="resolve"]')
    resolve.locator('textarea[name="resolve-note"]').fill("Replaced the trap seal")
    resolve.locator("button[type=submit]").click()
    expect(engineer.get_by_test_id("status")).to_have_class(re.compile(r"status-resolved"))
    expect(engineer.get_by_test_id("clock-resolution")).to_have_attribute("data-state", "met")
    expect(engineer.get_by_test_id("resolution-note")).to_have_text("Replaced the trap seal")
    engineer_context.close()

    # The resident sees it fixed, confirms, and gives five stars.
    resident.reload()
    expect(resident.get_by_test_id("status")).to_have_class(re.compile(r"status-resolved"))
    expect(resident.get_by_test_id("promise")).to_have_attribute("data-state", "met")
    expect(resident.get_by_test_id("timeline")).to_contain_text("Replaced the trap seal")
    resident.get_by_test_id("confirm").click()
    expect(resident.get_by_test_id("status")).to_have_class(re.compile(r"status-closed"))
    rating = resident.get_by_test_id("rating-form")
    rating.locator('label[for="star-5"]').click()
    rating.locator('textarea[name="comment"]').fill("Quick and tidy")
    rating.locator('button[name="intent"][value="rate"]').click()
    expect(resident.get_by_test_id("rating")).to_contain_text("★★★★★")
    order.refresh_from_db()
    assert (order.status, order.rating, order.assignee_id) == ("closed", 5, world.staff_a.pk)
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390
