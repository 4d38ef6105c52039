"""Browser journeys through the registry: a project manager at a desk, a resident on a phone.

The UI has no zh-hans catalogue of its own yet, but Django's catalogues translate some shared words (Username,
Log in), so the locators accept either language; assertions are on data and on the ``lang`` attribute.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_opens_project_overview_and_switches_language(log_in, live_server, world, page):
    log_in(page, live_server.url, "manager_a")

    expect(page).to_have_url(re.compile(r"/estates/projects/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_role("link", name="甲小区").click()

    expect(page).to_have_url(re.compile(rf"/estates/projects/{world.project_a.pk}/$"))
    expect(page.get_by_role("heading", level=1, name="甲小区")).to_be_visible()
    buildings = page.get_by_role("table").filter(has=page.get_by_role("link", name="1号楼"))
    expect(buildings).to_be_visible()
    expect(buildings.get_by_role("row")).to_have_count(2)  # header and the one building

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    main_menu = page.get_by_role("navigation", name="Main")
    expect(main_menu.get_by_role("link", name="Projects")).to_be_visible()
    expect(main_menu.get_by_role("link", name="Residents")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="甲小区")).to_be_visible()  # still the same page

    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1, name="甲小区")).to_be_visible()


def test_manager_filters_households_without_reloading_the_page(log_in, live_server, world, page):
    log_in(page, live_server.url, "manager_a")
    page.goto(f"{live_server.url}/estates/households/")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="102")).to_be_visible()
    search = page.get_by_role("searchbox")
    search.fill("101")
    search.press("Enter")
    # htmx swaps the results and pushes the filter into the address bar.
    expect(page).to_have_url(re.compile(r"q=101"))
    expect(results.get_by_role("link", name="101")).to_be_visible()
    expect(results.get_by_role("link", name="102")).to_have_count(0)


def test_resident_sees_own_home_on_a_phone(log_in, live_server, world, phone_page):
    log_in(phone_page, live_server.url, "resident_a")

    expect(phone_page).to_have_url(re.compile(r"/estates/me/$"))
    household = phone_page.get_by_role("article").filter(has=phone_page.get_by_role("heading", name="甲小区"))
    expect(household).to_be_visible()
    expect(household).to_contain_text("101")
    expect(household).to_contain_text("张甲")
    expect(household).to_contain_text("13800000001")  # their own phone, in full
    # Reporting and following requests work; the modules not built yet are visibly disabled.
    expect(phone_page.locator('a.tile[href$="/work-orders/my/new/"]')).to_be_visible()
    expect(phone_page.locator('[aria-disabled="true"]')).to_have_count(3)
    # Designed for 390 px: nothing pushes the page sideways.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
