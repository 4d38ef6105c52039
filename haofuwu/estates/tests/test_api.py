"""Estates API behaviour beyond permissions: masking, filters, validation, pagination and query counts."""

from __future__ import annotations

import pytest

from haofuwu.accounts.services import api_token_create
from haofuwu.core.audit import timeline
from haofuwu.estates.models import Resident
from haofuwu.estates.tests.factories import BuildingFactory, ResidentFactory, UnitFactory


@pytest.fixture
def api(world, client):  # type: ignore[no-untyped-def]
    tokens: dict[str, str] = {}

    def call(username: str, method: str, url: str, body: dict | None = None):  # type: ignore[no-untyped-def]
        if username not in tokens:
            tokens[username] = api_token_create(user=world.users[username])[1]
        raw = tokens[username]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        if body is None:
            return getattr(client, method)(url, **headers)
        return getattr(client, method)(url, body, content_type="application/json", **headers)

    return call


def test_security_guard_sees_residents_with_masked_phone_and_id_number(world, api) -> None:
    response = api("security_a", "get", f"/api/v1/residents?unit={world.unit_a.pk}")
    [item] = response.json()["items"]
    assert item["phone"] == "138****0001"
    assert item["id_number"] == "3****************5"


def test_engineer_sees_full_phone_but_masked_id_number(world, api) -> None:
    [item] = api("engineer_a", "get", f"/api/v1/residents?unit={world.unit_a.pk}").json()["items"]
    assert item["phone"] == "13800000001"
    assert item["id_number"].count("*") == 16


def test_manager_sees_full_personal_data(world, api) -> None:
    [item] = api("manager_a", "get", f"/api/v1/residents?unit={world.unit_a.pk}").json()["items"]
    assert (item["phone"], item["id_number"]) == ("13800000001", "370102198001010015")


def test_resident_lists_only_their_own_household(world, api) -> None:
    ResidentFactory(unit=world.unit_a, name="张甲之子", relation="family")
    items = api("resident_a", "get", "/api/v1/residents").json()["items"]
    assert {item["name"] for item in items} == {"张甲", "张甲之子"}
    assert all(item["phone"].isdigit() for item in items)
    units = api("resident_a", "get", "/api/v1/units").json()["items"]
    assert [unit["id"] for unit in units] == [world.unit_a.pk]


def test_regulator_sees_no_resident_personal_data(world, api) -> None:
    assert api("regulator_city", "get", "/api/v1/residents").json()["count"] == 0


def test_district_regulator_sees_only_projects_in_the_district(world, api) -> None:
    names = [item["name"] for item in api("regulator_lixia", "get", "/api/v1/projects").json()["items"]]
    assert names == ["甲小区"]
    assert api("regulator_city", "get", "/api/v1/projects").json()["count"] == 2


def test_filters_narrow_the_list(world, api) -> None:
    BuildingFactory(project=world.project_a, name="2号楼")
    body = api("admin", "get", f"/api/v1/buildings?project={world.project_a.pk}&search=2号").json()
    assert [item["name"] for item in body["items"]] == ["2号楼"]
    tagged = ResidentFactory(unit=world.unit_a2, name="孤老")
    tagged.tags.create(tag="elderly_alone")
    body = api("manager_a", "get", "/api/v1/residents?is_vulnerable=true").json()
    assert [item["name"] for item in body["items"]] == ["孤老"]
    body = api("manager_a", "get", "/api/v1/residents?tag=elderly_alone").json()
    assert body["items"][0]["tags"] == ["elderly_alone"]


def test_bad_filter_value_is_a_422_naming_the_parameter(world, api) -> None:
    response = api("admin", "get", "/api/v1/projects?district=999999")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "district"]


def test_page_size_is_capped(world, api) -> None:
    response = api("admin", "get", "/api/v1/units?page_size=201")
    assert response.status_code == 422
    body = api("admin", "get", "/api/v1/units?page_size=1&page=2").json()
    assert (body["count"], body["page"], len(body["items"])) == (3, 2, 1)


def test_huge_id_is_a_422_not_a_server_error(world, api) -> None:
    assert api("admin", "get", "/api/v1/projects/99999999999999999999").status_code == 422


def test_nul_character_is_refused_with_the_field(world, api) -> None:
    response = api("admin", "patch", f"/api/v1/projects/{world.project_a.pk}", {"street": "a\x00b"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "street"]


def test_duplicate_room_is_a_422_on_the_room_field_and_writes_nothing(world, api) -> None:
    response = api(
        "manager_a", "post", "/api/v1/units", {"building_id": world.building_a.pk, "floor": 1, "room": "101"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "room"]
    assert world.building_a.units.count() == 2


def test_resident_update_stores_encrypted_data_and_audits_it_masked(world, api) -> None:
    response = api("manager_a", "patch", f"/api/v1/residents/{world.resident_a.pk}", {"phone": "13912345678"})
    assert response.status_code == 200
    assert response.json()["phone"] == "13912345678"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM estates_resident WHERE id = %s", [world.resident_a.pk])
        stored = cursor.fetchone()[0]
    assert "13912345678" not in stored
    entry = timeline(Resident.objects.get(pk=world.resident_a.pk)).first()
    assert entry.action == "resident.update"
    assert entry.data == {"phone": "139****5678"}


def test_staff_assignment_outside_the_company_is_refused(world, api) -> None:
    response = api(
        "admin",
        "patch",
        f"/api/v1/staff/{world.staff_a.pk}",
        {"project_ids": [world.project_b.pk]},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "project_ids"]


def test_certificate_cannot_expire_before_issue(world, api) -> None:
    response = api(
        "manager_a",
        "post",
        f"/api/v1/staff/{world.staff_a.pk}/certificates",
        {"kind": "electrician", "issued_on": "2025-01-01", "expires_on": "2024-01-01"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "expires_on"]


LISTS = [
    "/api/v1/companies",
    "/api/v1/projects",
    "/api/v1/buildings",
    "/api/v1/units",
    "/api/v1/residents",
    "/api/v1/staff",
]


@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_does_not_grow_with_rows(world, api, django_assert_max_num_queries, url) -> None:
    # Token check, scope, count, page, and at most two prefetches; the same with 1 or 30 more rows.
    api("manager_a", "get", url)
    for extra in (1, 30):
        for _ in range(extra):
            unit = UnitFactory(building=world.building_a)
            ResidentFactory(unit=unit).tags.create(tag="elderly")
        with django_assert_max_num_queries(6):
            response = api("manager_a", "get", url + "?page_size=200")
        assert response.status_code == 200
