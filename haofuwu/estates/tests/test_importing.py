"""The spreadsheet import: row validation, the row-level report, all-or-nothing commits, re-runs and permissions."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from haofuwu.core.errors import NotFound, PermissionDenied, ValidationFailed
from haofuwu.core.models import AuditEntry
from haofuwu.estates import importing
from haofuwu.estates.importing import (
    CellError,
    estates_import,
    floor_from_room,
    id_number_check_character,
    id_number_problem,
    normalise_phone,
)
from haofuwu.estates.models import Building, ImportRun, Resident, ResidentTagging, Unit


def with_check_digit(first_17: str) -> str:
    return first_17 + id_number_check_character(first_17)


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.strip().replace("\n", "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(world, content: bytes, *, kind: str, user: str = "manager_a", project=None, **options):
    options.setdefault("dry_run", False)
    return estates_import(
        actor=world.users[user],
        project_id=(project or world.project_a).pk,
        kind=kind,
        file_name="upload.csv",
        content=content,
        **options,
    )


# Pure rules


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("11010519491231002X", None),  # the example of GB 11643-1999
        (with_check_digit("37010219800101001"), None),
        (with_check_digit("37010220000229123"), None),  # 29 February of a leap year
        ("110105194912310021", importing.ID_CHECK_DIGIT),
        ("11010519491231002", importing.ID_LENGTH),
        ("110105491231002", importing.ID_OLD_FORMAT),
        ("11010519491231002Y", importing.ID_CHARACTERS),
        ("1101051949123100XX", importing.ID_CHARACTERS),
        (with_check_digit("37010219810229123"), importing.ID_BIRTH_DATE),  # 1981 is not a leap year
        (with_check_digit("37010218990101123"), importing.ID_BIRTH_DATE),
        (with_check_digit("37010230000101123"), importing.ID_BIRTH_DATE),  # born in the future
    ],
)
def test_id_number_validation_follows_gb_11643(value, problem):
    assert id_number_problem(value) == (str(problem) if problem else None)


def test_id_number_cell_accepts_lowercase_x_and_spaces_but_not_a_number():
    column = importing.RESIDENTS.column("id_number")
    assert importing.convert(column, " 110105 19491231 002x ") == "11010519491231002X"
    with pytest.raises(CellError, match="stored as a number"):
        importing.convert(column, 370102198001010000)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13912345678", "13912345678"),
        (13912345678, "13912345678"),
        (13912345678.0, "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("0531-88888888", "0531-88888888"),
        ("053188888888", "0531-88888888"),
        ("010-12345678", "010-12345678"),
        ("(0531)8888888", "0531-8888888"),
        ("0531-88888888-123", "0531-88888888-123"),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12912345678", "1391234567", "139123456789", "88888888", "abc", "0531-888"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(CellError, match="Not a phone number"):
        normalise_phone(raw)


@pytest.mark.parametrize(("room", "floor"), [("301", 3), ("1502", 15), ("B1", None), ("01", None), ("12345", None)])
def test_floor_is_read_from_chinese_room_numbers(room, floor):
    assert floor_from_room(room) == floor


@pytest.mark.parametrize(
    ("column_key", "raw", "expected"),
    [
        ("status", "出租", "rented"),
        ("status", "vacant", "vacant"),
        ("status", " 装修中 ", "decorating"),
        ("area", "89.5㎡", Decimal("89.50")),
        ("area", 89.50000000000001, Decimal("89.50")),
        ("area", "1,200", Decimal("1200.00")),
        ("floor", 3.0, 3),
        ("floor", "-1", -1),
    ],
)
def test_unit_cells_are_converted(column_key, raw, expected):
    assert importing.convert(importing.UNITS.column(column_key), raw) == expected


@pytest.mark.parametrize(
    ("column_key", "raw", "message"),
    [
        ("status", "卖了", "Unknown value"),
        ("area", "89.555", "two decimal places"),
        ("area", "-5", "at least 0"),
        ("area", "lots", "Not a number"),
        ("area", "1e400", "Not a number"),
        ("floor", "3.5", "whole number"),
        ("floor", "300", "at most 200"),
        ("room", "x" * 21, "At most 20 characters"),
    ],
)
def test_bad_unit_cells_say_why(column_key, raw, message):
    with pytest.raises(CellError, match=message):
        importing.convert(importing.UNITS.column(column_key), raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2015-06-01", dt.date(2015, 6, 1)),
        ("2015/6/1", dt.date(2015, 6, 1)),
        ("2015年6月1日", dt.date(2015, 6, 1)),
        ("20150601", dt.date(2015, 6, 1)),
        (dt.datetime(2015, 6, 1, 0, 0), dt.date(2015, 6, 1)),
        (42156, dt.date(2015, 6, 1)),  # an Excel serial date
    ],
)
def test_dates_are_read_in_the_ways_people_write_them(raw, expected):
    assert importing.convert(importing.RESIDENTS.column("moved_in_on"), raw) == expected


def test_tags_accept_chinese_labels_codes_and_several_separators():
    column = importing.RESIDENTS.column("tags")
    assert importing.convert(column, "独居老人、党员;volunteer，残疾人") == [
        "disability",
        "elderly_alone",
        "party_member",
        "volunteer",
    ]
    with pytest.raises(CellError, match="Unknown tag 富豪"):
        importing.convert(column, "独居老人、富豪")


# The service


BAD_UNITS = """
楼栋,单元,楼层,房号,面积,状态,颜色
1号楼,1,3,301,89.5,自住,红
1号楼,1,,302,abc,出租,
9号楼,1,1,101,80,空置,
1号楼,1,3,303,90,卖了,
,1,1,104,80,自住,
1号楼,2单元,15,1502,120,装修中,
1号楼,1,3,301,89.5,出租,
"""


def test_bad_rows_are_reported_with_row_column_value_and_reason_and_nothing_is_written(world):
    before = Unit.objects.count()
    result = run(world, csv_bytes(BAD_UNITS), kind="units")
    assert not result.is_written and result.is_refused
    assert Unit.objects.count() == before
    reported = {(issue.row, issue.column, issue.value) for issue in result.errors}
    assert reported == {
        (2, "楼栋、单元和房号", ""),  # 301 twice
        (3, "面积", "abc"),
        (4, "楼栋", "9号楼"),
        (5, "状态", "卖了"),
        (6, "楼栋", ""),
        (8, "楼栋、单元和房号", ""),
    }
    messages = {issue.row: issue.message for issue in result.errors}
    assert "no building “9号楼”" in messages[4]
    assert messages[6] == "This value is required."
    assert "rows 2, 8" in messages[2]
    assert result.failed == 6
    assert result.created == 1  # 1502 would be created
    assert [(w.column, w.message) for w in result.warnings] == [("颜色", "Unknown column; it was ignored.")]
    log = ImportRun.objects.get(pk=result.run_id)
    assert (log.is_dry_run, log.rows_created, log.rows_failed) == (False, 0, 6)
    assert not AuditEntry.objects.filter(action="estates.import").exists()


def test_only_valid_rows_writes_the_good_rows_and_reports_the_others(world):
    result = run(world, csv_bytes(BAD_UNITS), kind="units", only_valid_rows=True)
    assert result.is_written
    assert (result.created, result.failed) == (1, 6)
    unit = Unit.objects.get(building=world.building_a, room="1502")
    assert (unit.entrance, unit.floor, unit.area, unit.status) == ("2", 15, Decimal("120.00"), "decorating")
    assert not Unit.objects.filter(room__in=["301", "302", "303"]).exists()
    entry = AuditEntry.objects.get(action="estates.import")
    assert entry.data == {
        "kind": "units",
        "run": result.run_id,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "failed": 6,
    }


def test_dry_run_writes_only_the_log_row(world):
    content = csv_bytes("楼栋,地上层数\n2号楼,18\n3号楼,11")
    result = run(world, content, kind="buildings", dry_run=True)
    assert (result.is_dry_run, result.is_written, result.created) == (True, False, 2)
    assert not Building.objects.filter(name__in=["2号楼", "3号楼"]).exists()
    assert ImportRun.objects.filter(pk=result.run_id, is_dry_run=True, rows_created=2).exists()


def test_rerun_updates_instead_of_duplicating(world):
    content = csv_bytes("楼栋,地上层数,单元数,建筑面积\n2号楼,18,2,12000.5\n3号楼,11,1,")
    first = run(world, content, kind="buildings")
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    again = run(world, content, kind="buildings")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = run(world, csv_bytes("楼栋,地上层数\n2号楼,20\n3 号楼,11"), kind="buildings")
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Building.objects.filter(project=world.project_a).count() == 3
    building = Building.objects.get(project=world.project_a, name="2号楼")
    # A column left out of the file keeps its value.
    assert (building.floors_above, building.entrances, building.floor_area) == (20, 2, Decimal("12000.50"))


def residents_csv(rows: list[str]) -> bytes:
    return csv_bytes("\n".join(["楼栋,单元,房号,姓名,手机,身份证号,关系,标签,入住日期", *rows]), "gb18030")


def test_residents_in_gb18030_csv_are_created_with_indexes_tags_and_birth_year(world):
    id_number = with_check_digit("37010219490101002")
    content = residents_csv(
        [
            f"1号楼,1,101,赵大爷,139 1234 5678,{id_number.lower()},业主,独居老人、党员,2015/6/1",
            "1号楼,1,102,钱阿姨,0531-88888888,,租户,,",
        ]
    )
    result = run(world, content, kind="residents")
    assert (result.created, result.failed) == (2, 0), result.errors
    zhao = Resident.objects.get(name="赵大爷")
    assert (zhao.unit, zhao.phone, zhao.id_number) == (world.unit_a, "13912345678", id_number)
    assert (zhao.birth_year, zhao.moved_in_on, zhao.relation) == (1949, dt.date(2015, 6, 1), "owner")
    assert zhao.phone_index and zhao.id_number_index
    assert sorted(ResidentTagging.objects.filter(resident=zhao).values_list("tag", flat=True)) == [
        "elderly_alone",
        "party_member",
    ]
    assert Resident.objects.get(name="钱阿姨").relation == "tenant"


def test_residents_are_matched_again_by_id_number_then_phone_then_name(world):
    id_number = with_check_digit("37010219490101002")
    run(world, residents_csv([f"1号楼,1,101,赵大爷,13912345678,{id_number},业主,独居老人,"]), kind="residents")
    count = Resident.objects.count()
    # Same ID number, a new phone and a tag change: one update, no new person.
    result = run(world, residents_csv([f"1号楼,1,101,赵大爷,13912345679,{id_number},业主,残疾人,"]), kind="residents")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    zhao = Resident.objects.get(name="赵大爷")
    assert zhao.phone == "13912345679"
    assert list(zhao.tags.values_list("tag", flat=True)) == ["disability"]
    # The existing resident of the fixture is found by phone (their ID number there is not even valid).
    result = run(world, residents_csv(["1号楼,1,101,张甲,13800000001,,家属,,"]), kind="residents")
    assert (result.created, result.updated) == (0, 1)
    assert Resident.objects.get(pk=world.resident_a.pk).relation == "family"
    # A row with the name only finds the same person by name.
    result = run(world, residents_csv(["1号楼,1,102,李甲,,,家属,,"]), kind="residents")
    assert (result.created, result.updated) == (0, 1)
    assert Resident.objects.count() == count
    # The same file twice changes nothing.
    content = residents_csv([f"1号楼,1,101,赵大爷,13912345679,{id_number},业主,残疾人,"])
    assert run(world, content, kind="residents").unchanged == 1


def test_resident_errors_are_masked_and_name_the_household(world):
    content = residents_csv(
        [
            "1号楼,1,101,孙某某,12345678901,110105194912310021,业主,,",
            "1号楼,1,999,周某,13912345678,,业主,,",
        ]
    )
    result = run(world, content, kind="residents", dry_run=True)
    by_column = {(issue.row, issue.column): issue for issue in result.errors}
    assert by_column[(2, "手机")].value == "123****8901"
    assert by_column[(2, "身份证号")].value == "1****************1"
    assert "check digit" in by_column[(2, "身份证号")].message
    assert "no household 1号楼1单元999" in by_column[(3, "房号")].message


def test_xlsx_with_title_row_english_headers_and_the_example_row(world):
    content = xlsx_bytes(
        [
            ["甲小区楼栋信息表"],
            ["name", "floors_above", "Floor area (㎡)"],
            ["3号楼", 18, 12000.5],  # the template's example row, left in
            ["5号楼", 6, 3000],
        ]
    )
    result = run(world, content, kind="buildings")
    assert (result.created, result.failed) == (1, 0)
    assert [warning.message for warning in result.warnings] == ["The template's example row was skipped."]
    assert Building.objects.get(project=world.project_a, name="5号楼").floor_area == Decimal("3000.00")


def test_the_template_imports_back_as_a_clean_dry_run(world):
    Building.objects.create(project=world.project_a, name="3号楼")
    result = run(world, importing.import_template("buildings"), kind="buildings", dry_run=True)
    assert (result.rows_total, result.failed) == (1, 0)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage", "not a spreadsheet"),
        (b"", "empty"),
        (csv_bytes("楼栋,单元,姓名\n1号楼,1,张三"), "Required columns are missing: 房号"),
        (csv_bytes("foo,bar\n1,2"), "No header row"),
        (csv_bytes("楼栋,单元,房号"), "no data rows"),
    ],
)
def test_a_file_that_cannot_be_imported_is_one_clear_error(world, content, fragment):
    with pytest.raises(ValidationFailed) as caught:
        run(world, content, kind="units")
    assert fragment in caught.value.message
    assert caught.value.as_detail()[0]["loc"] == ["body", "file"]
    assert not ImportRun.objects.exists()


def test_row_cap(world, monkeypatch):
    # The limit is looked up where it is used: the parser and the service.
    monkeypatch.setattr(importing.parsing, "MAX_DATA_ROWS", 5)
    monkeypatch.setattr(importing.service, "MAX_DATA_ROWS", 5)
    with pytest.raises(ValidationFailed, match="at most 5"):
        run(world, csv_bytes("楼栋\n" + "\n".join(f"{n}号楼" for n in range(2, 9))), kind="buildings")


def test_project_column_must_name_the_project(world):
    result = run(world, csv_bytes("项目,楼栋\n甲小区,2号楼\n乙小区,3号楼"), kind="buildings", dry_run=True)
    assert [(issue.row, issue.column) for issue in result.errors] == [(3, "项目")]


@pytest.mark.parametrize("user", ["resident_a", "regulator_lixia", "regulator_city", "security_a", "community_a"])
def test_roles_without_import_permission_are_refused(world, user):
    with pytest.raises(PermissionDenied):
        run(world, csv_bytes("楼栋\n2号楼"), kind="buildings", user=user)
    assert not Building.objects.filter(name="2号楼").exists()


@pytest.mark.parametrize("user", ["manager_b", "company_admin_b", "nobody"])
def test_a_project_outside_the_scope_is_not_found(world, user):
    with pytest.raises(NotFound):
        run(world, csv_bytes("楼栋\n2号楼"), kind="buildings", user=user)
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("user", ["company_admin_a", "admin"])
def test_company_and_platform_administrators_may_import(world, user):
    assert run(world, csv_bytes("楼栋\n2号楼"), kind="buildings", user=user).created == 1


def test_unknown_kind_is_a_validation_error(world):
    with pytest.raises(ValidationFailed) as caught:
        run(world, csv_bytes("楼栋\n2号楼"), kind="cars")
    assert caught.value.field == "kind"


def _residents_file(count: int) -> bytes:
    lines = []
    for n in range(count):
        room = f"{n // 4 + 1}{n % 4 + 1:02d}"
        first_17 = f"370102198{n % 10}0101{n:03d}"[:17]
        lines.append(f"1号楼,1,{room},居民{n},139{n:08d},{with_check_digit(first_17)},业主,独居老人,")
    return residents_csv(lines)


def _units_for(world, count: int) -> None:
    rooms = {f"{n // 4 + 1}{n % 4 + 1:02d}" for n in range(count)}
    existing = set(Unit.objects.filter(building=world.building_a).values_list("room", flat=True))
    Unit.objects.bulk_create(
        [Unit(building=world.building_a, room=room, floor=int(room[:-2])) for room in sorted(rooms - existing)]
    )


@pytest.mark.parametrize("count", [10, 200])
def test_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries, count):
    _units_for(world, 200)
    content = _residents_file(count)
    with django_assert_max_num_queries(20):
        result = run(world, content, kind="residents")
    assert (result.created, result.failed) == (count, 0), result.errors[:3]
    assert ResidentTagging.objects.filter(tag="elderly_alone").count() == count
    with django_assert_max_num_queries(20):
        again = run(world, content, kind="residents")
    assert again.unchanged == count
