"""The standard API: scope of scorecards (district regulator, resident), detail with evidence, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haofuwu.core.tests.files import pdf_bytes
from haofuwu.estates.tests.factories import ProjectFactory
from haofuwu.standard import services
from haofuwu.standard.models import Scorecard
from haofuwu.standard.tests.helpers import NOW, evaluate_small


@pytest.fixture
def scored(world):
    evaluate_small([world.project_a, world.project_b])
    return world


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(item["project_id"] for item in response.json()["items"])


def test_lixia_regulator_sees_only_lixia_scorecards(scored, client_for):
    w = scored
    assert ids(client_for(w.users["regulator_lixia"]).get("/api/v1/scorecards")) == [w.project_a.pk]
    assert ids(client_for(w.users["regulator_city"]).get("/api/v1/scorecards")) == sorted(
        [w.project_a.pk, w.project_b.pk]
    )
    other = Scorecard.objects.get(project=w.project_b)
    assert client_for(w.users["regulator_lixia"]).get(f"/api/v1/scorecards/{other.pk}").status_code == 404


def test_resident_sees_only_their_projects_published_score(scored, client_for):
    w = scored
    # A running quarter's score is not published: evaluated before the period ended.
    evaluate_small([w.project_a], period="2026Q4", now=NOW)
    response = client_for(w.users["resident_a"]).get("/api/v1/scorecards")
    items = response.json()["items"]
    assert [(item["project_id"], item["period"]) for item in items] == [(w.project_a.pk, "2026Q3")]
    detail = client_for(w.users["resident_a"]).get(f"/api/v1/scorecards/{items[0]['id']}").json()
    # Residents see the scores but not the records behind them.
    assert all(result["record_ids"] == [] for result in detail["results"])
    running = Scorecard.objects.get(project=w.project_a, period="2026Q4")
    assert client_for(w.users["resident_a"]).get(f"/api/v1/scorecards/{running.pk}").status_code == 404
    assert ids(client_for(w.users["resident_b"]).get("/api/v1/scorecards")) == [w.project_b.pk]


def test_scorecard_detail_lists_failing_items_first_with_rules(scored, client_for):
    card = Scorecard.objects.get(project=scored.project_a)
    body = client_for(scored.users["manager_a"]).get(f"/api/v1/scorecards/{card.pk}").json()
    statuses = [result["status"] for result in body["results"]]
    assert statuses[0] == "fail"
    assert statuses.index("not_applicable") > statuses.index("pass")
    assert body["totals"]["sections"]["assurance"]["possible"] == 20.0
    assert {result["indicator_id"] for result in body["results"]} >= {"P-12", "A-01", "V-01"}


def test_scorecard_filters(scored, client_for):
    w = scored
    client = client_for(w.users["admin"])
    assert ids(client.get(f"/api/v1/scorecards?company_id={w.company_b.pk}")) == [w.project_b.pk]
    assert ids(client.get(f"/api/v1/scorecards?district={w.project_a.district}")) == [w.project_a.pk]
    assert ids(client.get("/api/v1/scorecards?period=2026Q2")) == []


def test_scorecard_list_query_count_does_not_grow(world, client_for):
    client = client_for(world.users["admin"])

    def count(n):
        evaluate_small([ProjectFactory(company=world.company_a) for _ in range(n)])
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/scorecards").status_code == 200
        return len(captured)

    assert count(1) == count(5)


def test_rectification_list_query_count_does_not_grow(world, client_for):
    client = client_for(world.users["admin"])

    def count(n):
        evaluate_small([ProjectFactory(company=world.company_a) for _ in range(n)], period=f"2026Q{n % 3 + 1}")
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/api/v1/rectifications").json()
        assert body["count"] > 0
        return len(captured)

    assert count(1) == count(4)


def test_evaluate_endpoint_rejects_a_bad_period_with_the_field(world, client_for):
    response = client_for(world.users["manager_a"]).post(
        "/api/v1/scorecards/evaluate",
        {"project_id": world.project_a.pk, "period": "2026Q9"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "period"]


def test_catalogue_indicators_of_an_unknown_code_is_404(world, client_for):
    assert client_for(world.users["admin"]).get("/api/v1/standard/catalogues/nope/indicators").status_code == 404


def test_evidence_list_query_count_does_not_grow(world, client_for, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.users["admin"])

    def count(n):
        for _ in range(n):
            services.evidence_upload(
                actor=world.users["manager_a"], project_id=world.project_a.pk, catalogue_code="test-small",
                indicator_id="A-01", upload=SimpleUploadedFile("plan.pdf", pdf_bytes()),
            )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/standard/evidence").status_code == 200
        return len(captured)

    assert count(1) == count(4)


def test_manager_evaluation_list_query_count_does_not_grow(world, client_for):
    from haofuwu.estates.models import StaffAssignment
    from haofuwu.estates.tests.factories import StaffFactory

    client = client_for(world.users["admin"])

    def count(n):
        for _ in range(n):
            staff = StaffFactory(company=world.company_a, trade="customer_service", is_manager=True)
            StaffAssignment.objects.create(staff=staff, project=world.project_a, started_on=dt.date(2025, 1, 1))
        services.manager_evaluation_run(year=2025, now=NOW)
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/api/v1/manager-evaluations").json()
        assert body["count"] == len(body["items"]) > 0
        return len(captured)

    assert count(1) == count(4)
