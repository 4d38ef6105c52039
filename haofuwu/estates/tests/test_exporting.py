"""Export of buildings, households and residents: scope, masking of personal data, and a round trip to import."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core.errors import NotFound, PermissionDenied, ValidationFailed
from haofuwu.core.models import AuditEntry
from haofuwu.estates.exporting import estates_export, export_rows
from haofuwu.estates.importing import estates_import
from haofuwu.estates.models import ResidentTagging


def rows_of(world, user: str, kind: str, project=None) -> list[list[object]]:
    scope = scope_for_user(world.users[user])
    return export_rows(scope, kind=kind, project_id=(project or world.project_a).pk)


def by_name(rows: list[list[object]]) -> dict[object, list[object]]:
    return {row[4]: row for row in rows[1:]}


def test_manager_exports_residents_with_full_phone_and_id_number(world):
    ResidentTagging.objects.create(resident=world.resident_a, tag="elderly_alone")
    rows = rows_of(world, "manager_a", "residents")
    assert rows[0][:7] == ["项目", "楼栋", "单元", "房号", "姓名", "手机", "身份证号"]
    zhang = by_name(rows)["张甲"]
    assert zhang[:9] == ["甲小区", "1号楼", "1", "101", "张甲", "13800000001", "370102198001010015", "业主", "独居老人"]
    assert "王乙" not in by_name(rows)  # project B is not in the manager's scope


@pytest.mark.parametrize("user", ["community_a", "engineer_a"])
def test_roles_without_export_permission_get_masked_personal_data(world, user):
    # The engineer sees phone numbers on screen (to call back) but may not take them away in a file.
    zhang = by_name(rows_of(world, user, "residents"))["张甲"]
    assert zhang[5:7] == ["138****0001", "3****************5"]


def test_regulators_may_not_export_residents(world):
    with pytest.raises(PermissionDenied):
        rows_of(world, "regulator_lixia", "residents")


def test_regulator_exports_buildings_and_units_of_their_district(world):
    scope = scope_for_user(world.users["regulator_lixia"])
    units = export_rows(scope, kind="units")
    assert {(row[0], row[4]) for row in units[1:]} == {("甲小区", "101"), ("甲小区", "102")}


def test_a_project_outside_the_scope_is_not_found(world):
    with pytest.raises(NotFound):
        rows_of(world, "manager_b", "units", project=world.project_a)


def test_unknown_format_or_kind_is_refused(world):
    scope = scope_for_user(world.users["manager_a"])
    with pytest.raises(ValidationFailed):
        estates_export(scope, kind="units", fmt="pdf")
    with pytest.raises(ValidationFailed):
        estates_export(scope, kind="cars", fmt="csv")


def test_csv_and_xlsx_files_and_the_audit_of_a_residents_export(world):
    scope = scope_for_user(world.users["manager_a"])
    csv_file = estates_export(
        scope, kind="residents", fmt="csv", project_id=world.project_a.pk, actor=world.users["manager_a"]
    )
    assert csv_file.file_name.endswith(".csv")
    text = csv_file.content.decode("utf-8-sig")
    assert "13800000001" in text and "王乙" not in text
    xlsx_file = estates_export(scope, kind="residents", fmt="xlsx", project_id=world.project_a.pk)
    sheet = load_workbook(io.BytesIO(xlsx_file.content)).active
    assert sheet["F2"].value == "13800000001"
    entry = AuditEntry.objects.get(action="residents.export")
    assert entry.data == {"project": world.project_a.pk, "rows": 2, "is_phone_full": True, "is_id_number_full": True}


@pytest.mark.parametrize("kind", ["buildings", "units"])
def test_an_export_imports_back_unchanged(world, kind):
    scope = scope_for_user(world.users["manager_a"])
    export = estates_export(scope, kind=kind, fmt="xlsx", project_id=world.project_a.pk)
    result = estates_import(
        actor=world.users["manager_a"],
        project_id=world.project_a.pk,
        kind=kind,
        file_name="export.xlsx",
        content=export.content,
        dry_run=True,
    )
    assert (result.failed, result.created, result.updated) == (0, 0, 0), result.errors
    assert result.unchanged == result.rows_total > 0
    assert result.warnings == []
