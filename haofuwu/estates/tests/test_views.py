"""The estates pages: lists with filters and a fixed query count, overviews, forms, scope and masking."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from haofuwu.core.models import AuditEntry
from haofuwu.estates.choices import ResidentTag
from haofuwu.estates.models import Building, Project, Resident, ResidentTagging, Staff, StaffCertificate, Unit
from haofuwu.estates.tests.factories import (
    BuildingFactory,
    ProjectFactory,
    ResidentFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "estates:company_list",
    "estates:project_list",
    "estates:building_list",
    "estates:unit_list",
    "estates:resident_list",
    "estates:staff_list",
]
# Session, user, scope, unread count, filter-form choices, count and page, prefetches: a bound that must not grow.
MAX_QUERIES = 14


@pytest.fixture(autouse=True)
def english(settings):  # type: ignore[no-untyped-def]
    """Django's own messages (form validation) come translated; these tests read them in English."""
    settings.LANGUAGE_CODE = "en"


def add_rows(world, n: int = 6) -> None:
    """More rows of every kind in project A, to show that the number of queries does not grow with them."""
    for i in range(n):
        building = BuildingFactory(project=world.project_a, name=f"{i + 10}号楼")
        unit = UnitFactory(building=building, room=f"{i + 1}01")
        resident = ResidentFactory(unit=unit)
        ResidentTagging.objects.create(resident=resident, tag=ResidentTag.ELDERLY_ALONE)
        ResidentTagging.objects.create(resident=resident, tag=ResidentTag.VOLUNTEER)
        staff = StaffFactory(company=world.company_a)
        staff.assignments.create(project=world.project_a)
        StaffCertificate.objects.create(staff=staff, kind="electrician", expires_on=dt.date(2030, 1, 1))
        ProjectFactory(company=world.company_a, name=f"甲二期{i}")
        ProjectFactory(name=f"丙小区{i}")  # with a new company each


def result_count(html: str) -> int:
    match = re.search(r'class="result-count">\s*(\d+)', html)
    assert match, "the page shows no result count"
    return int(match.group(1))


# Lists


@pytest.mark.parametrize("url_name", LIST_PAGES)
@pytest.mark.parametrize("user", ["admin", "company_admin_a"])
def test_list_page_query_count_does_not_grow_with_rows(
    world, client_for, django_assert_max_num_queries, url_name, user
):
    client = client_for(world.users[user])
    with django_assert_max_num_queries(MAX_QUERIES):
        first = client.get(reverse(url_name))
    assert first.status_code == 200
    add_rows(world)
    with django_assert_max_num_queries(MAX_QUERIES):
        second = client.get(reverse(url_name))
    assert second.status_code == 200
    grown = result_count(second.content.decode()) > result_count(first.content.decode())
    # A company administrator sees only their own company, so only that list stays the same length.
    assert grown or (user, url_name) == ("company_admin_a", "estates:company_list")


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_manager_sees_list_page_with_result_count(world, client_for, url_name):
    response = client_for(world.users["manager_a"]).get(reverse(url_name))
    assert response.status_code == 200
    assert result_count(response.content.decode()) >= 1
    assert response.templates[0].name == f"estates/{url_name.split(':')[1]}.html"


def test_project_list_shows_only_projects_in_scope(world, client_for):
    html = client_for(world.users["manager_a"]).get(reverse("estates:project_list")).content.decode()
    assert "甲小区" in html
    assert "乙小区" not in html
    assert result_count(html) == 1


def test_project_list_filters_by_search_and_district(world, client_for):
    client = client_for(world.users["regulator_city"])
    html = client.get(reverse("estates:project_list"), {"q": "乙"}).content.decode()
    assert "乙小区" in html and "甲小区" not in html
    html = client.get(reverse("estates:project_list"), {"district": "370102"}).content.decode()
    assert "甲小区" in html and "乙小区" not in html


def test_invalid_filter_value_is_ignored_with_message_beside_field(world, client_for):
    response = client_for(world.users["regulator_city"]).get(
        reverse("estates:project_list"), {"district": "999999", "q": "甲"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The bad district is dropped (not "no results"), the valid search still applies, and the field says why.
    assert "甲小区" in html and "乙小区" not in html
    assert re.search(r'id="id_district_error">[^<]*999999', html)


def test_filter_by_project_outside_scope_is_ignored_not_leaked(world, client_for):
    response = client_for(world.users["manager_a"]).get(reverse("estates:unit_list"), {"project": world.project_b.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "乙小区" not in html
    assert result_count(html) == 2  # project A's two households; the foreign project filter was dropped
    assert 'id="id_project_error">' in html and 'id="id_project_error"></small>' not in html


def test_unit_list_filters_by_status_and_room(world, client_for):
    Unit.objects.filter(pk=world.unit_a2.pk).update(status="vacant")
    client = client_for(world.users["manager_a"])
    html = client.get(reverse("estates:unit_list"), {"status": "vacant"}).content.decode()
    assert result_count(html) == 1 and ">102<" in html
    html = client.get(reverse("estates:unit_list"), {"q": "101"}).content.decode()
    assert result_count(html) == 1 and ">101<" in html


def test_list_answers_htmx_with_the_table_partial_only(world, client_for):
    response = client_for(world.users["manager_a"]).get(reverse("estates:building_list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "estates/partials/building_list.html"
    assert "<html" not in html and "1号楼" in html
    assert 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_list_paginates_fifty_rows_per_page(world, client_for):
    for i in range(55):
        UnitFactory(building=world.building_a, room=f"9{i:02d}")
    client = client_for(world.users["manager_a"])
    first = client.get(reverse("estates:unit_list"))
    assert result_count(first.content.decode()) == 57
    assert len(first.context["rows"]) == 50
    second = client.get(reverse("estates:unit_list"), {"page": 2})
    assert len(second.context["rows"]) == 7
    assert client.get(reverse("estates:unit_list"), {"page": "x"}).context["page"].number == 1


def test_resident_list_filters_vulnerable_and_shows_tags_as_badges(world, client_for):
    ResidentTagging.objects.create(resident=world.resident_a2, tag=ResidentTag.ELDERLY_ALONE)
    html = (
        client_for(world.users["manager_a"])
        .get(reverse("estates:resident_list"), {"vulnerable": "on"})
        .content.decode()
    )
    assert result_count(html) == 1
    assert "李甲" in html and "张甲" not in html
    assert '<span class="badge badge-care">Elderly living alone</span>' in html


def test_security_guard_sees_masked_phones_and_id_numbers(world, client_for):
    html = client_for(world.users["security_a"]).get(reverse("estates:resident_list")).content.decode()
    assert "138****0001" in html
    assert "13800000001" not in html
    assert "370102198001010015" not in html
    assert "3****************5" in html


def test_manager_sees_phones_in_full(world, client_for):
    html = client_for(world.users["manager_a"]).get(reverse("estates:resident_list")).content.decode()
    assert "13800000001" in html and "370102198001010015" in html


def test_staff_list_marks_expired_and_expiring_certificates(world, client_for):
    today = timezone.localdate()
    StaffCertificate.objects.create(staff=world.staff_a, kind="electrician", expires_on=today - dt.timedelta(days=1))
    StaffCertificate.objects.create(staff=world.staff_a, kind="elevator", expires_on=today + dt.timedelta(days=30))
    StaffCertificate.objects.create(staff=world.staff_a, kind="boiler", expires_on=today + dt.timedelta(days=200))
    html = client_for(world.users["manager_a"]).get(reverse("estates:staff_list")).content.decode()
    assert re.search(r'class="cert cert-expired" data-status="expired">Electrician', html)
    assert re.search(r'class="cert cert-expiring" data-status="expiring">Elevator', html)
    assert re.search(r'class="cert" data-status="valid">Boiler', html)
    assert "钱工" not in html  # company B's engineer


def test_resident_cannot_open_staff_lists(world, client_for):
    client = client_for(world.users["resident_a"])
    response = client.get(reverse("estates:project_list"))
    assert response.status_code == 403
    assert "Your role does not give access to this page." in response.content.decode()
    assert client.get(reverse("estates:resident_list")).status_code == 403


def test_anonymous_user_is_sent_to_login(world, client_for):
    response = client_for(None).get(reverse("estates:project_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Overviews


def test_project_overview_shows_facts_counts_and_buildings(world, client_for):
    ResidentTagging.objects.create(resident=world.resident_a, tag=ResidentTag.DISABILITY)
    Unit.objects.filter(pk=world.unit_a2.pk).update(status="vacant")
    response = client_for(world.users["manager_a"]).get(reverse("estates:project_detail", args=[world.project_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>甲小区</h1>" in html
    assert "甲物业服务有限公司" in html and "Lixia District" in html
    overview = response.context["overview"]
    assert (overview.buildings, overview.units, overview.residents, overview.vulnerable_residents) == (1, 2, 2, 1)
    assert sorted(item["value"] for item in response.context["units_by_status"]) == [1, 1]
    assert 'id="units-by-status-data"' in html and "echarts.min.js" in html
    assert reverse("estates:building_detail", args=[world.building_a.pk]) in html
    assert f"{reverse('estates:resident_list')}?project={world.project_a.pk}" in html


def test_project_overview_has_fixed_query_count(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["manager_a"])
    url = reverse("estates:project_detail", args=[world.project_a.pk])
    with django_assert_max_num_queries(16):
        client.get(url)
    add_rows(world)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "attr"),
    [
        ("estates:project_detail", "project_b"),
        ("estates:project_edit", "project_b"),
        ("estates:building_create", "project_b"),
        ("estates:building_detail", "building_b"),
        ("estates:building_edit", "building_b"),
        ("estates:unit_create", "building_b"),
        ("estates:unit_detail", "unit_b"),
        ("estates:unit_edit", "unit_b"),
        ("estates:resident_create", "unit_b"),
        ("estates:resident_detail", "resident_b"),
        ("estates:resident_edit", "resident_b"),
        ("estates:staff_detail", "staff_b"),
        ("estates:staff_edit", "staff_b"),
        ("estates:company_detail", "company_b"),
    ],
)
def test_manager_of_a_gets_404_for_project_b_pages(world, client_for, url_name, attr):
    response = client_for(world.users["manager_a"]).get(reverse(url_name, args=[getattr(world, attr).pk]))
    assert response.status_code == 404
    assert response.templates[0].name == "core/error.html"
    assert "乙小区" not in response.content.decode()


def test_manager_of_a_posting_to_project_b_gets_404_and_nothing_is_written(world, client_for):
    url = reverse("estates:building_create", args=[world.project_b.pk])
    response = client_for(world.users["manager_a"]).post(url, {"name": "偷建楼", "floors_above": 3, "entrances": 1})
    assert response.status_code == 404
    assert not Building.objects.filter(name="偷建楼").exists()


def test_building_detail_groups_households_by_entrance_and_floor(world, client_for):
    UnitFactory(building=world.building_a, entrance="2", floor=3, room="301")
    UnitFactory(building=world.building_a, entrance="1", floor=2, room="201")
    response = client_for(world.users["manager_a"]).get(reverse("estates:building_detail", args=[world.building_a.pk]))
    entrances = response.context["entrances"]
    assert [entrance for entrance, _floors in entrances] == ["1", "2"]
    first_entrance_floors = entrances[0][1]
    assert [floor for floor, _units in first_entrance_floors] == [2, 1]  # top floor first
    assert sorted(unit.room for unit in first_entrance_floors[1][1]) == ["101", "102"]
    assert response.context["unit_total"] == 4


# Forms and permissions


def test_edit_buttons_show_only_for_roles_that_may_write(world, client_for):
    url = reverse("estates:project_detail", args=[world.project_a.pk])
    edit_url = reverse("estates:project_edit", args=[world.project_a.pk])
    assert edit_url in client_for(world.users["manager_a"]).get(url).content.decode()
    for name in ("engineer_a", "regulator_city", "community_a"):
        html = client_for(world.users[name]).get(url).content.decode()
        assert edit_url not in html, name


def test_manager_adds_building_through_the_form(world, client_for):
    url = reverse("estates:building_create", args=[world.project_a.pk])
    response = client_for(world.users["manager_a"]).post(
        url,
        {
            "name": "2号楼",
            "floors_above": 11,
            "floors_below": 1,
            "entrances": 2,
            "elevator_count": 2,
            "floor_area": "0",
        },
    )
    building = Building.objects.get(project=world.project_a, name="2号楼")
    assert response.status_code == 302
    assert response["Location"] == reverse("estates:building_detail", args=[building.pk])
    assert (building.floors_above, building.entrances, building.elevator_count) == (11, 2, 2)
    assert AuditEntry.objects.filter(action="building.create", target_id=str(building.pk)).count() == 1


def test_duplicate_building_name_shows_error_and_writes_nothing(world, client_for):
    url = reverse("estates:building_create", args=[world.project_a.pk])
    response = client_for(world.users["manager_a"]).post(
        url,
        {"name": "1号楼", "floors_above": 6, "floors_below": 0, "entrances": 1, "elevator_count": 0, "floor_area": "0"},
    )
    assert response.status_code == 422
    (message,) = response.context["form"].errors["name"]
    assert "unique" in message
    assert f'id="id_name_error">{message}</small>' in response.content.decode()
    assert Building.objects.filter(project=world.project_a).count() == 1
    assert not AuditEntry.objects.filter(action="building.create").exists()


def test_household_with_negative_area_shows_field_error_and_writes_nothing(world, client_for):
    url = reverse("estates:unit_create", args=[world.building_a.pk])
    response = client_for(world.users["manager_a"]).post(
        url, {"entrance": "1", "floor": 3, "room": "301", "area": "-5", "status": "occupied"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["area"] == ["Ensure this value is greater than or equal to 0."]
    assert re.search(r'id="id_area_error">Ensure this value is greater than or equal to 0', response.content.decode())
    assert not Unit.objects.filter(room="301").exists()


def test_duplicate_room_found_by_the_service_is_shown_beside_the_room(world, client_for):
    url = reverse("estates:unit_create", args=[world.building_a.pk])
    response = client_for(world.users["manager_a"]).post(
        url, {"entrance": "1", "floor": 1, "room": "101", "area": "80", "status": "occupied"}
    )
    assert response.status_code == 422
    (message,) = response.context["form"].errors["room"]
    assert f'id="id_room_error">{message}</small>' in response.content.decode()
    assert Unit.objects.filter(building=world.building_a, room="101").count() == 1


def test_security_guard_posting_a_building_gets_403_and_nothing_is_written(world, client_for):
    url = reverse("estates:building_create", args=[world.project_a.pk])
    client = client_for(world.users["security_a"])
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "2号楼", "floors_above": 6, "entrances": 1})
    assert response.status_code == 403
    assert not Building.objects.filter(name="2号楼").exists()


def test_project_manager_edits_project_but_cannot_create_one(world, client_for):
    client = client_for(world.users["manager_a"])
    assert client.get(reverse("estates:project_create")).status_code == 403
    data = {
        "name": "甲小区",
        "district": "370102",
        "street": "甸柳街道",
        "community": "",
        "address": "济南市历下区测试路1号",
        "project_type": "residential",
        "floor_area": "120000",
        "household_count": 800,
        "has_elevators": "on",
        "service_phone": "0531-88880000",
    }
    response = client.post(reverse("estates:project_edit", args=[world.project_a.pk]), data)
    assert response.status_code == 302
    world.project_a.refresh_from_db()
    assert (world.project_a.street, world.project_a.household_count, world.project_a.has_elevators) == (
        "甸柳街道",
        800,
        True,
    )


def test_company_admin_creates_project_only_for_own_company(world, client_for):
    client = client_for(world.users["company_admin_a"])
    page = client.get(reverse("estates:project_create"))
    companies = list(page.context["form"].fields["company"].queryset)
    assert companies == [world.company_a]
    data = {"name": "甲三期", "district": "370102", "address": "路1号", "project_type": "residential"}
    data |= {"floor_area": "0", "household_count": 0}
    refused = client.post(reverse("estates:project_create"), {**data, "company": world.company_b.pk})
    assert refused.status_code == 422 and "company" in refused.context["form"].errors
    assert not Project.objects.filter(name="甲三期").exists()
    created = client.post(reverse("estates:project_create"), {**data, "company": world.company_a.pk})
    project = Project.objects.get(name="甲三期")
    assert created["Location"] == reverse("estates:project_detail", args=[project.pk])
    assert project.company == world.company_a


def test_resident_form_saves_tags_from_checkboxes(world, client_for):
    url = reverse("estates:resident_create", args=[world.unit_a.pk])
    response = client_for(world.users["manager_a"]).post(
        url,
        {
            "name": "张小甲",
            "phone": "13900000009",
            "id_number": "",
            "relation": "family",
            "tags": ["elderly_alone", "party_member"],
        },
    )
    assert response.status_code == 302
    resident = Resident.objects.get(name="张小甲")
    assert sorted(resident.tags.values_list("tag", flat=True)) == ["elderly_alone", "party_member"]
    assert resident.phone == "13900000009"


def test_resident_edit_replaces_tags_and_prefills_current_ones(world, client_for):
    ResidentTagging.objects.create(resident=world.resident_a, tag=ResidentTag.VOLUNTEER)
    client = client_for(world.users["manager_a"])
    url = reverse("estates:resident_edit", args=[world.resident_a.pk])
    assert client.get(url).context["form"].initial["tags"] == ["volunteer"]
    data = {"name": "张甲", "phone": "13800000001", "id_number": "370102198001010015", "relation": "owner"}
    response = client.post(url, {**data, "tags": ["disability"]})
    assert response.status_code == 302
    assert list(world.resident_a.tags.values_list("tag", flat=True)) == ["disability"]


def test_staff_form_assigns_projects_of_own_company_only(world, client_for):
    client = client_for(world.users["company_admin_a"])
    form = client.get(reverse("estates:staff_create")).context["form"]
    assert list(form.fields["projects"].queryset) == [world.project_a]
    data = {"company": world.company_a.pk, "name": "孙保安", "employee_no": "A-77", "trade": "security"}
    data |= {"is_active": "on", "phone": ""}
    refused = client.post(reverse("estates:staff_create"), {**data, "projects": [world.project_b.pk]})
    assert refused.status_code == 422 and "projects" in refused.context["form"].errors
    assert not Staff.objects.filter(employee_no="A-77").exists()
    created = client.post(reverse("estates:staff_create"), {**data, "projects": [world.project_a.pk]})
    staff = Staff.objects.get(employee_no="A-77")
    assert created.status_code == 302
    assert list(staff.assignments.values_list("project_id", flat=True)) == [world.project_a.pk]


def test_certificate_added_on_staff_page_and_bad_dates_refused(world, client_for):
    client = client_for(world.users["manager_a"])
    url = reverse("estates:staff_certificate_add", args=[world.staff_a.pk])
    refused = client.post(url, {"kind": "electrician", "issued_on": "2025-01-01", "expires_on": "2024-01-01"})
    assert refused.status_code == 422
    assert "cannot expire before it was issued" in refused.content.decode()
    assert not world.staff_a.certificates.exists()
    assert client.post(url, {"kind": "electrician", "expires_on": "2030-01-01"}).status_code == 302
    assert world.staff_a.certificates.get().expires_on == dt.date(2030, 1, 1)


# The resident's home


def test_resident_sees_own_home_with_members_in_full(world, client_for):
    ResidentFactory(unit=world.unit_a, name="张小妹", relation="family", phone="13800000099")
    Project.objects.filter(pk=world.project_a.pk).update(service_phone="0531-12345678")
    response = client_for(world.users["resident_a"]).get(reverse("estates:resident_home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "甲小区" in html and "room 101" in html
    assert "张甲" in html and "张小妹" in html and "13800000099" in html and "370102198001010015" in html
    assert "李甲" not in html  # a neighbour, not a household member
    assert 'href="tel:0531-12345678"' in html
    # Reporting works now; the modules not built yet stay visibly disabled, never fake links.
    assert reverse("workorders:resident_create") in html and reverse("workorders:resident_list") in html
    assert html.count('class="tile" aria-disabled="true"') == 3
    assert "Coming soon" in html


def test_resident_opens_own_household_but_gets_404_on_another(world, client_for):
    client = client_for(world.users["resident_a"])
    assert client.get(reverse("estates:unit_detail", args=[world.unit_a.pk])).status_code == 200
    assert client.get(reverse("estates:unit_detail", args=[world.unit_a2.pk])).status_code == 404
    assert client.get(reverse("estates:unit_detail", args=[world.unit_b.pk])).status_code == 404
    assert client.get(reverse("estates:resident_detail", args=[world.resident_a2.pk])).status_code == 404


def test_resident_cannot_edit_own_household(world, client_for):
    response = client_for(world.users["resident_a"]).post(
        reverse("estates:unit_edit", args=[world.unit_a.pk]),
        {"entrance": "1", "floor": 1, "room": "101", "area": "999", "status": "occupied"},
    )
    assert response.status_code == 403
    world.unit_a.refresh_from_db()
    assert world.unit_a.area != 999


def test_user_without_household_sees_explanation_on_home(world, client_for):
    html = client_for(world.users["nobody"]).get(reverse("estates:resident_home")).content.decode()
    assert "not linked to a household" in html


# Django admin


@pytest.fixture
def superuser_client(client):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_resident_admin_list_masks_phone_and_id_number(world, superuser_client):
    response = superuser_client.get(reverse("admin:estates_resident_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "138****0001" in html and "3****************5" in html
    assert "13800000001" not in html and "370102198001010015" not in html


def test_resident_admin_form_hides_the_lookup_digests(world, superuser_client):
    response = superuser_client.get(reverse("admin:estates_resident_change", args=[world.resident_a.pk]))
    assert response.status_code == 200
    assert "phone_index" not in response.context["adminform"].form.fields
    assert "id_number_index" not in response.context["adminform"].form.fields


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:estates_company_changelist",
        "admin:estates_project_changelist",
        "admin:estates_building_changelist",
        "admin:estates_unit_changelist",
        "admin:estates_staff_changelist",
        "admin:estates_staffcertificate_changelist",
        "admin:estates_importrun_changelist",
        "admin:core_auditentry_changelist",
        "admin:core_notification_changelist",
        "admin:accounts_user_changelist",
        "admin:accounts_apitoken_changelist",
        "admin:accounts_loginthrottle_changelist",
    ],
)
def test_admin_lists_open_for_platform_administrator(world, superuser_client, url_name):
    assert superuser_client.get(reverse(url_name)).status_code == 200


def test_audit_log_admin_is_read_only_and_filters_by_action(world, superuser_client):
    url = reverse("admin:core_auditentry_changelist")
    assert AuditEntry.objects.filter(action="role.assign").exists()
    response = superuser_client.get(url, {"action": "role.assign"})
    assert response.status_code == 200
    assert {entry.action for entry in response.context["cl"].result_list} == {"role.assign"}
    entry = AuditEntry.objects.first()
    assert superuser_client.get(reverse("admin:core_auditentry_add")).status_code == 403
    delete_url = reverse("admin:core_auditentry_delete", args=[entry.pk])
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_service_errors_go_beside_fields_and_all_goes_above_the_form(world):
    from haofuwu.accounts.selectors import scope_for_user
    from haofuwu.estates.forms import StaffForm

    form = StaffForm({}, scope=scope_for_user(world.users["company_admin_a"]), is_create=True)
    form.is_valid()
    form.add_service_errors(
        {"__all__": ["Conflicting change."], "project_ids": ["Wrong company."], "unknown": ["Odd."]},
        {"project_ids": "projects"},
    )
    assert form.non_field_errors() == ["Conflicting change.", "Odd."]
    assert "Wrong company." in form.errors["projects"]


# Company registration data


def test_company_admin_edits_the_company_and_the_change_is_audited(world, client_for):
    client = client_for(world.users["company_admin_a"])
    url = reverse("estates:company_edit", args=[world.company_a.pk])
    detail = client.get(reverse("estates:company_detail", args=[world.company_a.pk])).content.decode()
    assert url in detail
    response = client.post(
        url,
        {
            "name": world.company_a.name,
            "credit_code": world.company_a.credit_code,
            "qualification": "none",
            "address": "济南市历下区经十路1号",
            "phone": "0531-88888888",
            "legal_representative": "张三",
        },
    )
    assert response.status_code == 302
    world.company_a.refresh_from_db()
    assert world.company_a.address == "济南市历下区经十路1号"
    from haofuwu.core.audit import timeline

    assert timeline(world.company_a).first().action == "company.update"


def test_bad_credit_code_shows_beside_the_field_and_saves_nothing(world, client_for):
    client = client_for(world.users["company_admin_a"])
    response = client.post(
        reverse("estates:company_edit", args=[world.company_a.pk]),
        {"name": world.company_a.name, "credit_code": "IOSVZ", "qualification": "none"},
    )
    assert response.status_code == 422
    assert "unified social credit code" in response.content.decode().lower()
    world.company_a.refresh_from_db()
    assert world.company_a.credit_code != "IOSVZ"


def test_project_manager_may_read_but_not_edit_the_company(world, client_for):
    client = client_for(world.users["manager_a"])
    detail = client.get(reverse("estates:company_detail", args=[world.company_a.pk])).content.decode()
    assert reverse("estates:company_edit", args=[world.company_a.pk]) not in detail
    assert client.get(reverse("estates:company_edit", args=[world.company_a.pk])).status_code == 403
    assert client.get(reverse("estates:company_edit", args=[world.company_b.pk])).status_code == 404
