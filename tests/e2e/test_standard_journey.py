"""Browser journeys through the Good Service score: a district regulator drills from the league table to the
records behind an indicator; a resident reads their project's score on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from haofuwu.standard import services
from haofuwu.standard.catalogue import catalogue_by_key
from haofuwu.standard.periods import parse_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scored(world):  # type: ignore[no-untyped-def]
    catalogue = catalogue_by_key("jinan-2025")
    assert catalogue is not None, "jinan-2025 is not shipped"
    services.scorecards_evaluate(
        project_ids=[world.project_a.pk, world.project_b.pk], period=parse_period("2026Q3"), catalogue=catalogue
    )
    return world


def test_district_regulator_drills_from_league_table_to_an_indicator(log_in, live_server, scored, page):  # type: ignore[no-untyped-def]
    log_in(page, live_server.url, "regulator_lixia")
    page.goto(f"{live_server.url}/standard/")
    expect(page).to_have_url(re.compile(r"/standard/league/"))
    league = page.get_by_test_id("league")
    expect(league.get_by_role("link", name="甲小区")).to_be_visible()
    expect(league.get_by_role("link", name="乙小区")).to_have_count(0)  # another district
    expect(page.locator("#grades canvas")).to_have_count(1)

    league.get_by_role("link", name="甲小区").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("甲小区")
    expect(page.locator("#radar canvas")).to_have_count(1)
    page.locator("table a").first.click()
    expect(page.get_by_role("heading", level=2, name="抽查问题")).to_be_visible()


def test_resident_reads_the_projects_score_on_a_phone(log_in, live_server, scored, phone_page):  # type: ignore[no-untyped-def]
    log_in(phone_page, live_server.url, "resident_a")
    phone_page.goto(f"{live_server.url}/standard/")
    expect(phone_page).to_have_url(re.compile(r"/standard/our-score/"))
    expect(phone_page.get_by_role("heading", level=2, name="甲小区")).to_be_visible()
    expect(phone_page.get_by_test_id("score")).to_have_text(re.compile(r"^\d+\.\d$"))
    expect(phone_page.get_by_text("乙小区")).to_have_count(0)
