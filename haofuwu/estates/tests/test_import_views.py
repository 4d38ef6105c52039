"""Pages, API and commands of spreadsheet import and export."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from haofuwu.accounts.services import api_token_create
from haofuwu.estates.models import Building, ImportRun, Unit
from haofuwu.estates.spreadsheets import XLSX_CONTENT_TYPE

GOOD_UNITS = "楼栋,单元,房号,面积,状态\r\n1号楼,1,301,89.5,自住\r\n1号楼,1,302,90,出租\r\n".encode()
BAD_UNITS = "楼栋,单元,房号,面积,状态\r\n1号楼,1,301,89.5,自住\r\n1号楼,1,302,abc,出租\r\n".encode("gb18030")


def upload(content: bytes, name: str = "units.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


# Pages


def test_import_page_offers_only_writable_projects(world, client_for):
    response = client_for(world.users["company_admin_a"]).get(reverse("estates:import"))
    assert response.status_code == 200
    choices = dict(response.context["form"].fields["project"].choices)
    assert choices == {world.project_a.pk: "甲小区"}
    assert response.context["form"]["dry_run"].value() is True


@pytest.mark.parametrize("user", ["resident_a", "regulator_city", "security_a", "community_a"])
def test_import_page_is_refused_to_roles_that_cannot_import(world, client_for, user):
    assert client_for(world.users[user]).get(reverse("estates:import")).status_code == 403


def test_import_page_requires_login(world, client_for):
    response = client_for(None).get(reverse("estates:import"))
    assert response.status_code == 302


def test_dry_run_upload_shows_the_report_and_writes_nothing(world, client_for):
    client = client_for(world.users["manager_a"])
    data = {"project": world.project_a.pk, "kind": "units", "file": upload(BAD_UNITS), "dry_run": "on"}
    response = client.post(reverse("estates:import"), data)
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.is_dry_run, result.created, result.failed) == (True, 1, 1)
    body = response.content.decode()
    assert "abc" in body and 'data-testid="import-errors"' in body
    assert not Unit.objects.filter(room="301").exists()
    errors = client.get(reverse("estates:import_run_errors", args=[result.run_id]))
    assert errors["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(errors.content)).active
    assert [cell.value for cell in sheet[2]][:3] == [3, "面积", "abc"]


def test_commit_upload_writes_and_shows_in_history(world, client_for):
    client = client_for(world.users["manager_a"])
    data = {"project": world.project_a.pk, "kind": "units", "file": upload(GOOD_UNITS)}
    response = client.post(reverse("estates:import"), data)
    assert response.context["result"].created == 2
    assert Unit.objects.filter(building=world.building_a, room__in=["301", "302"]).count() == 2
    history = client.get(reverse("estates:import_history"), {"project": world.project_a.pk})
    assert history.status_code == 200
    assert "units.csv" in history.content.decode()
    run = ImportRun.objects.get()
    assert client.get(reverse("estates:import_run", args=[run.pk])).status_code == 200
    assert client_for(world.users["manager_b"]).get(reverse("estates:import_run", args=[run.pk])).status_code == 404


def test_garbage_upload_is_an_error_beside_the_file_field(world, client_for):
    client = client_for(world.users["manager_a"])
    data = {"project": world.project_a.pk, "kind": "units", "file": upload(b"\x00\x01garbage", "x.docx")}
    response = client.post(reverse("estates:import"), data)
    assert response.status_code == 400
    assert "not a spreadsheet" in response.context["form"].errors["file"][0]


def test_posting_another_companys_project_is_refused_by_the_form(world, client_for):
    client = client_for(world.users["manager_a"])
    data = {"project": world.project_b.pk, "kind": "units", "file": upload(GOOD_UNITS)}
    response = client.post(reverse("estates:import"), data)
    assert response.status_code == 400
    assert "project" in response.context["form"].errors


@pytest.mark.parametrize("kind", ["buildings", "units", "residents"])
def test_template_download_is_a_chinese_workbook_with_instructions(world, client_for, kind):
    response = client_for(world.users["manager_a"]).get(reverse("estates:import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[1] == "说明"
    assert workbook.worksheets[0]["A1"].value == ("楼栋*")


def test_unknown_template_is_not_found(world, client_for):
    response = client_for(world.users["manager_a"]).get("/estates/import/template/cars.xlsx")
    assert response.status_code == 404


def test_export_page_and_files(world, client_for):
    client = client_for(world.users["manager_a"])
    assert client.get(reverse("estates:export_page"), {"project": world.project_a.pk}).status_code == 200
    response = client.get(reverse("estates:export", args=["residents", "csv"]), {"project": world.project_a.pk})
    assert response.status_code == 200
    assert "13800000001" in response.content.decode("utf-8-sig")
    assert response["Cache-Control"] == "private, no-store"
    masked = client_for(world.users["community_a"]).get(reverse("estates:export", args=["residents", "csv"]))
    text = masked.content.decode("utf-8-sig")
    assert "138****0001" in text and "13800000001" not in text


@pytest.mark.parametrize("query", [{"project": "abc"}, {"project": "999999"}])
def test_export_of_an_unknown_project_is_not_found(world, client_for, query):
    response = client_for(world.users["manager_a"]).get(reverse("estates:export", args=["units", "xlsx"]), query)
    assert response.status_code == 404


# API


def bearer(world, user: str) -> dict[str, str]:
    _token, raw = api_token_create(user=world.users[user])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def api_import(client, world, user: str, content: bytes, project=None, **fields):
    url = f"/api/v1/projects/{(project or world.project_a).pk}/imports"
    data = {"kind": "units", "file": upload(content), **fields}
    return client.post(url, data, **bearer(world, user))


def test_api_import_is_a_dry_run_by_default_and_reports_rows(world, client):
    response = api_import(client, world, "manager_a", BAD_UNITS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["is_dry_run"], body["created"], body["failed"]) == (True, 1, 1)
    assert body["errors"] == [{"row": 3, "column": "面积", "value": "abc", "message": "Not a number."}]
    assert not Unit.objects.filter(room="301").exists()


def test_api_import_commit_and_only_valid_rows(world, client):
    refused = api_import(client, world, "manager_a", BAD_UNITS, dry_run="false").json()
    assert (refused["is_written"], Unit.objects.filter(room="301").exists()) == (False, False)
    body = api_import(client, world, "manager_a", BAD_UNITS, dry_run="false", only_valid_rows="true").json()
    assert (body["is_written"], body["created"]) == (True, 1)
    assert Unit.objects.filter(room="301").exists()
    runs = client.get(f"/api/v1/projects/{world.project_a.pk}/imports", **bearer(world, "manager_a")).json()
    assert runs["count"] == 2
    detail = client.get(f"/api/v1/imports/{body['run_id']}", **bearer(world, "manager_a"))
    assert detail.json()["errors"][0]["row"] == 3


@pytest.mark.parametrize(
    ("user", "project", "status"),
    [("manager_b", "a", 404), ("regulator_lixia", "a", 403), ("resident_a", "a", 403), ("manager_a", "b", 404)],
)
def test_api_import_permissions(world, client, user, project, status):
    target = world.project_a if project == "a" else world.project_b
    response = api_import(client, world, user, GOOD_UNITS, project=target, dry_run="false")
    assert response.status_code == status
    assert response.json()["detail"]
    assert not Unit.objects.filter(room="301").exists()


@pytest.mark.parametrize(
    ("content", "fields"),
    [(b"\x00garbage", {}), (b"", {}), (GOOD_UNITS, {"kind": "cars"}), (GOOD_UNITS, {"dry_run": "perhaps"})],
)
def test_api_bad_input_is_422_not_500(world, client, content, fields):
    response = api_import(client, world, "manager_a", content, **fields)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"]


def test_api_import_requires_authentication(world, client):
    url = f"/api/v1/projects/{world.project_a.pk}/imports"
    assert client.post(url, {"kind": "units", "file": upload(GOOD_UNITS)}).status_code == 401


def test_api_template_and_export(world, client):
    headers = bearer(world, "manager_a")
    template = client.get("/api/v1/imports/templates/residents", **headers)
    assert (template.status_code, template["Content-Type"]) == (200, XLSX_CONTENT_TYPE)
    assert client.get("/api/v1/imports/templates/cars", **headers).status_code == 422
    export = client.get("/api/v1/exports/residents", {"project": world.project_a.pk, "format": "csv"}, **headers)
    assert export.status_code == 200
    assert "13800000001" in export.content.decode("utf-8-sig")
    assert client.get("/api/v1/exports/units", {"project": world.project_b.pk}, **headers).status_code == 404
    assert client.get("/api/v1/exports/units", {"format": "pdf"}, **headers).status_code == 422
    regulator = bearer(world, "regulator_lixia")
    assert client.get("/api/v1/exports/residents", **regulator).status_code == 403


# Commands


def test_cli_dry_run_prints_the_report(world, tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_bytes(BAD_UNITS)
    call_command("import_estates", str(path), "--project", str(world.project_a.pk), "--kind", "units")
    out = capsys.readouterr().out
    assert "dry run" in out and "row 3, 面积 [abc]: Not a number." in out
    assert not Unit.objects.filter(room="301").exists()


def test_cli_commit_of_a_file_with_errors_exits_2(world, tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(BAD_UNITS)
    with pytest.raises(CommandError) as caught:
        call_command("import_estates", str(path), "--project", str(world.project_a.pk), "--kind", "units", "--commit")
    assert caught.value.returncode == 2
    assert "nothing was written" in str(caught.value)
    assert not Unit.objects.filter(room="301").exists()


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01 not a spreadsheet", "楼栋,姓名\r\n1号楼,张三\r\n".encode()],
    ids=["garbage", "missing-columns"],
)
def test_cli_bad_file_exits_2(world, tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        call_command("import_estates", str(path), "--project", str(world.project_a.pk), "--kind", "units", "--commit")
    assert caught.value.returncode == 2


def test_cli_commit_as_a_user(world, tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes("楼栋,地上层数\r\n2号楼,18\r\n".encode())
    args = [str(path), "--project", str(world.project_a.pk), "--kind", "buildings", "--commit"]
    call_command("import_estates", *args, "--as", "manager_a")
    assert Building.objects.filter(project=world.project_a, name="2号楼").exists()
    with pytest.raises(CommandError) as caught:
        call_command("import_estates", *args, "--as", "manager_b")
    assert caught.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("import_estates", str(tmp_path / "missing.csv"), "--project", "1", "--kind", "units")


def test_cli_without_a_platform_admin_requires_as(world, tmp_path):
    world.users["admin"].role_assignments.all().delete()
    path = tmp_path / "b.csv"
    path.write_bytes("楼栋\r\n2号楼\r\n".encode())
    with pytest.raises(CommandError, match="--as") as caught:
        call_command("import_estates", str(path), "--project", str(world.project_a.pk), "--kind", "buildings")
    assert caught.value.returncode == 2


def test_cli_export(world, tmp_path):
    path = tmp_path / "residents.xlsx"
    call_command("export_estates", "--project", str(world.project_a.pk), "--kind", "residents", "-o", str(path))
    sheet = load_workbook(path).active
    assert sheet["F2"].value == "13800000001"
    masked = tmp_path / "masked.csv"
    call_command("export_estates", "--kind", "residents", "--format", "csv", "-o", str(masked), "--as", "community_a")
    assert "138****0001" in masked.read_text(encoding="utf-8-sig")
