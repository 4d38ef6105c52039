"""The shipped catalogues load, name only metrics with a known app, and evaluate a project."""

from __future__ import annotations

import pytest

from haofuwu.core import metrics
from haofuwu.standard import selectors, services
from haofuwu.standard.catalogue import catalogue_by_key, invalid_catalogues
from haofuwu.standard.periods import parse_period
from haofuwu.standard.tests.helpers import NOW

SHIPPED = {"jinan-2025": "2026Q3", "cpmi-2004": "2024Q3"}


def test_no_shipped_catalogue_is_invalid():
    assert invalid_catalogues() == {}


@pytest.mark.parametrize(("code", "period"), sorted(SHIPPED.items()))
def test_shipped_catalogue_evaluates_a_project(world, code, period):
    catalogue = catalogue_by_key(code)
    assert catalogue is not None, f"{code} is not shipped"
    (card,) = services.scorecards_evaluate(
        project_ids=[world.project_a.pk], period=parse_period(period), catalogue=catalogue, now=NOW
    )
    assert card.results.count() == len(catalogue.indicators)
    # Every metric either exists or is reported as no data by the app that will provide it.
    for result in selectors.scorecard_results(card):
        if result.metric and metrics.get(result.metric) is None:
            assert result.status in ("no_data", "not_applicable")
            if result.status == "no_data":
                assert result.provided_by in result.explanation


def test_jinan_2025_covers_every_section_dimension_and_category():
    catalogue = catalogue_by_key("jinan-2025")
    assert catalogue is not None, "jinan-2025 is not shipped"
    assert len(catalogue.indicators) >= 80
    used = {(i.section, d, i.category) for i in catalogue.indicators for d in i.dimensions}
    assert {s for s, _d, _c in used} == {g.code for g in catalogue.sections}
    assert {d for _s, d, _c in used} == {g.code for g in catalogue.dimensions}
    assert {c for _s, _d, c in used} == {g.code for g in catalogue.categories}
