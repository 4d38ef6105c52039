"""The standard pages: scorecard with drill-down to work orders, league table scope, resident page, forms."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haofuwu.core.tests.files import pdf_bytes
from haofuwu.estates.tests.factories import ProjectFactory
from haofuwu.standard.models import Evidence, Rectification, Scorecard
from haofuwu.standard.tests.helpers import evaluate_small, urgent

PDF = pdf_bytes()


@pytest.fixture
def scored(world):
    miss = urgent(world.project_a, "2026-08-04", arrived=None)
    evaluate_small([world.project_a, world.project_b])
    world.miss = miss
    return world


def test_home_sends_each_role_to_its_page(scored, client_for):
    w = scored
    assert client_for(w.users["manager_a"]).get(reverse("standard:home")).url == reverse(
        "standard:project_scorecard", args=[w.project_a.pk]
    )
    assert client_for(w.users["regulator_lixia"]).get(reverse("standard:home")).url == reverse("standard:league")
    assert client_for(w.users["resident_a"]).get(reverse("standard:home")).url == reverse("standard:resident_score")


def test_scorecard_page_shows_score_failing_first_and_links(scored, client_for):
    w = scored
    response = client_for(w.users["manager_a"]).get(reverse("standard:project_scorecard", args=[w.project_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    card = Scorecard.objects.get(project=w.project_a)
    assert f"{card.score:.1f}" in body
    assert reverse("standard:indicator_detail", args=[card.pk, "P-12"]) in body
    assert 'id="radar"' in body


def test_indicator_page_links_work_orders_to_their_page(scored, client_for):
    w = scored
    card = Scorecard.objects.get(project=w.project_a)
    response = client_for(w.users["manager_a"]).get(reverse("standard:indicator_detail", args=[card.pk, "P-12"]))
    assert f'href="/work-orders/{w.miss.pk}/"' in response.content.decode()


def test_evidence_upload_form_puts_the_error_beside_the_field(scored, client_for, media):
    w = scored
    card = Scorecard.objects.get(project=w.project_a)
    url = reverse("standard:indicator_detail", args=[card.pk, "A-01"])
    bad = SimpleUploadedFile("plan.txt", b"hello")
    response = client_for(w.users["manager_a"]).post(url, {"action": "upload", "file": bad})
    assert response.status_code == 422
    assert "is not a PDF, JPEG, PNG or WebP file" in response.content.decode()
    good = SimpleUploadedFile("plan.pdf", PDF)
    response = client_for(w.users["manager_a"]).post(url, {"action": "upload", "file": good})
    assert response.status_code == 302
    assert Evidence.objects.filter(project=w.project_a, indicator_id="A-01").count() == 1


def test_league_table_of_a_district_regulator_lists_only_their_district(scored, client_for):
    w = scored
    body = client_for(w.users["regulator_lixia"]).get(reverse("standard:league")).content.decode()
    assert w.project_a.name in body and w.project_b.name not in body
    body = client_for(w.users["regulator_city"]).get(reverse("standard:league")).content.decode()
    assert w.project_a.name in body and w.project_b.name in body


def test_league_table_query_count_does_not_grow(world, client_for):
    client = client_for(world.users["admin"])

    def count(n):
        evaluate_small([ProjectFactory(company=world.company_a) for _ in range(n)])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("standard:league")).status_code == 200
        return len(captured)

    assert count(1) == count(4)


def test_resident_page_shows_their_projects_published_score(scored, client_for):
    w = scored
    body = client_for(w.users["resident_a"]).get(reverse("standard:resident_score")).content.decode()
    card = Scorecard.objects.get(project=w.project_a)
    assert w.project_a.name in body and f"{card.score:.1f}" in body
    assert w.project_b.name not in body


def test_rectification_answer_needs_a_note_and_then_waits_for_review(scored, client_for):
    w = scored
    task = Rectification.objects.filter(project=w.project_a).first()
    url = reverse("standard:rectification_detail", args=[task.pk])
    response = client_for(w.users["manager_a"]).post(url, {"action": "respond", "note": ""})
    assert response.status_code == 422
    response = client_for(w.users["manager_a"]).post(url, {"action": "respond", "note": "已补充"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "responded"
    response = client_for(w.users["regulator_lixia"]).post(
        url, {"action": "review", "decision": "reject", "reason": ""}
    )
    assert response.status_code == 422
    client_for(w.users["regulator_lixia"]).post(url, {"action": "review", "decision": "reject", "reason": "材料不全"})
    task.refresh_from_db()
    assert (task.status, task.review_reason) == ("open", "材料不全")
    list_page = client_for(w.users["manager_a"]).get(reverse("standard:rectification_list")).content.decode()
    assert task.indicator_id in list_page
    assert client_for(w.users["resident_a"]).get(url).status_code == 404


def test_company_and_manager_pages_render(scored, client_for):
    w = scored
    assert (
        client_for(w.users["company_admin_a"]).get(reverse("standard:company", args=[w.company_a.pk])).status_code
        == 200
    )
    assert (
        client_for(w.users["company_admin_a"]).get(reverse("standard:company", args=[w.company_b.pk])).status_code
        == 404
    )
    assert client_for(w.users["regulator_city"]).get(reverse("standard:managers")).status_code == 200


def test_pages_speak_chinese_by_default(scored, client_for, chinese):
    w = scored
    body = client_for(w.users["regulator_city"]).get(reverse("standard:league")).content.decode()
    assert "排行榜" in body and "星级分布" in body
    card = Scorecard.objects.get(project=w.project_a)
    body = (
        client_for(w.users["manager_a"])
        .get(reverse("standard:project_scorecard", args=[w.project_a.pk]))
        .content.decode()
    )
    assert "未上传佐证材料" in body and "好服务评分" in body
    assert str(card.pk)
