"""The energy pages: dashboard, meter detail, benchmarking, ingestion keys, the readings import."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from haofuwu.energy.ingest.service import readings_ingest
from haofuwu.energy.models import IngestKey, Reading
from haofuwu.energy.tests.factories import make_meter

pytestmark = pytest.mark.django_db


def _some_data(world):  # type: ignore[no-untyped-def]
    meter = make_meter(world.project_a, external_id="LIGHT-1")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    readings_ingest(
        project_id=world.project_a.pk,
        readings=[{"meter": "LIGHT-1", "ts": (now - dt.timedelta(hours=h)).isoformat(), "value": 2} for h in range(48)],
    )
    return meter


def test_a_manager_lands_on_the_project_dashboard_with_its_figures(world, client_for) -> None:
    meter = _some_data(world)
    client = client_for(world.users["manager_a"])
    response = client.get("/energy/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/energy/projects/{world.project_a.pk}/"
    assert response.context["summary"].managed_electricity_kwh == 96.0
    assert meter.name in response.content.decode()
    assert client.get(f"/energy/meters/{meter.pk}/").status_code == 200


def test_residents_see_no_energy_data(world, client_for) -> None:
    meter = _some_data(world)
    client = client_for(world.users["resident_a"])
    assert client.get(f"/energy/projects/{world.project_a.pk}/").status_code == 404
    assert client.get(f"/energy/meters/{meter.pk}/").status_code == 404


def test_a_regulator_compares_projects(world, client_for) -> None:
    _some_data(world)
    response = client_for(world.users["regulator_city"]).get("/energy/")
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["rows"]}
    assert set(rows) == {"甲小区", "乙小区"}
    assert rows["甲小区"].kwh == 96.0
    assert rows["乙小区"].kwh is None


def test_a_manager_creates_a_key_shown_once_and_staff_may_not(world, client_for) -> None:
    url = f"/energy/projects/{world.project_a.pk}/keys/"
    response = client_for(world.users["manager_a"]).post(url, {"name": "1号楼网关"})
    assert response.status_code == 200
    raw = response.context["new_key"]
    assert raw.startswith("hfi_") and raw in response.content.decode()
    assert client_for(world.users["manager_a"]).get(url).content.decode().count(raw) == 0
    assert client_for(world.users["engineer_a"]).get(url).status_code == 403
    key = IngestKey.objects.get()
    client_for(world.users["manager_a"]).post(f"/energy/projects/{world.project_a.pk}/keys/{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_a_readings_file_is_imported_with_a_row_level_report(world, client_for) -> None:
    make_meter(world.project_a, external_id="W-1", kind="water")
    when = timezone.localtime() - dt.timedelta(days=1)
    csv = (
        "表号,时间,读数\n"
        f"W-1,{when:%Y-%m-%d %H:00},1.5\n"
        f"W-1,{when:%Y-%m-%d %H:15},abc\n"
        f"W-9,{when:%Y-%m-%d %H:30},2\n"
        f"W-1,{when:%Y-%m-%d %H:45},2.5\n"
    ).encode()
    client = client_for(world.users["manager_a"])
    upload = io.BytesIO(csv)
    upload.name = "readings.csv"
    response = client.post(f"/energy/projects/{world.project_a.pk}/import/", {"file": upload})
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.rows, result.stored) == (4, 2)
    assert [(row, rejection.reason) for row, rejection in result.errors] == [(3, "not_a_number"), (4, "unknown_meter")]
    assert Reading.objects.count() == 2


def test_an_unreadable_file_is_a_422_beside_the_field(world, client_for) -> None:
    client = client_for(world.users["manager_a"])
    upload = io.BytesIO(b"meter;when;how much\nx;y;z\n")
    upload.name = "readings.csv"
    response = client.post(f"/energy/projects/{world.project_a.pk}/import/", {"file": upload})
    assert response.status_code == 422
    assert "表号" in response.context["form"].errors["file"][0]


def test_the_template_downloads_as_a_workbook(world, client_for) -> None:
    make_meter(world.project_a, external_id="E-7")
    response = client_for(world.users["manager_a"]).get(f"/energy/projects/{world.project_a.pk}/import/template.xlsx")
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def test_the_meter_list_costs_the_same_queries_for_many_meters(world, client, django_assert_max_num_queries) -> None:
    from haofuwu.accounts.services import api_token_create

    token = api_token_create(user=world.users["manager_a"])[1]
    for _n in range(30):
        make_meter(world.project_a)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/meters?page_size=100", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json()["count"] == 30


def test_the_dashboard_speaks_chinese_by_default(world, client_for, chinese) -> None:
    _some_data(world)
    response = client_for(world.users["manager_a"]).get(f"/energy/projects/{world.project_a.pk}/")
    text = response.content.decode()
    assert "公共区域用电（千瓦时）" in text
    assert "未解决的异常" in text


def test_usage_of_a_building_and_a_scope_sums_only_their_meters(world, client_for) -> None:
    lights = _some_data(world)  # 48 hours × 2 kWh on a public-lighting meter without a building
    lights.building = world.building_a
    lights.save()
    other = make_meter(world.project_a, external_id="PUMP-1", scope="pumps")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    readings_ingest(
        project_id=world.project_a.pk,
        readings=[{"meter": "PUMP-1", "ts": (now - dt.timedelta(hours=h)).isoformat(), "value": 5} for h in range(4)],
    )
    client = client_for(world.users["manager_a"])
    base = f"/api/v1/energy/usage?project={world.project_a.pk}&resolution=month"

    def total(query: str) -> float:
        body = client.get(base + query).json()
        return sum(point["consumption"] for point in body["points"])

    assert total("") == 96 + 20
    assert total("&scope=public_lighting") == 96
    assert total(f"&building={world.building_a.pk}") == 96
    assert total("&kind=water") == 0
    assert other.pk
