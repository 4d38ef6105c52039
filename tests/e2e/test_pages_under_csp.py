"""The pages whose scripts moved out of the templates still work under the Content-Security-Policy in a real
browser: charts are drawn, selects submit their form, and no violation is reported (the `page` fixture fails on
one)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_charts_and_select_menus_work_without_inline_script(log_in, live_server, world, page):  # type: ignore[no-untyped-def]
    base = live_server.url
    log_in(page, base, "manager_a")
    assert "script-src 'self'" in page.request.get(f"{base}/estates/projects/").headers["content-security-policy"]

    page.goto(f"{base}/estates/projects/{world.project_a.pk}/")
    expect(page.locator("#units-by-status canvas")).to_have_count(1)

    page.goto(f"{base}/energy/projects/{world.project_a.pk}/")
    expect(page.locator("#trend-chart canvas").first).to_be_visible()
    expect(page.locator("#heatmap-chart canvas").first).to_be_visible()

    # The export page's project menu submits itself when changed (data-submit-on-change, core/app.js).
    page.goto(f"{base}/estates/export/")
    page.locator("#export-project").select_option(str(world.project_a.pk))
    expect(page).to_have_url(re.compile(rf"project={world.project_a.pk}"))


def test_the_error_pages_back_link_works_without_inline_script(log_in, live_server, world, page):  # type: ignore[no-untyped-def]
    base = live_server.url
    log_in(page, base, "resident_a")
    page.goto(f"{base}/estates/projects/")
    page.goto(f"{base}/work-orders/{999999}/")
    back = page.locator("[data-history-back]")
    if back.count():
        back.click()
        expect(page).not_to_have_url(re.compile(r"/work-orders/999999/"))
