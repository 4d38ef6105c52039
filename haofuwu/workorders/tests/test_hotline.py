"""The 12345 case import: parsing, matching, the import service, its API endpoint and its command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from openpyxl import Workbook

from haofuwu.accounts.services import role_assign
from haofuwu.core.errors import PermissionDenied, ValidationFailed
from haofuwu.estates.spreadsheets import UnreadableSpreadsheet
from haofuwu.estates.tests.factories import BuildingFactory, ProjectFactory, UnitFactory, UserFactory
from haofuwu.workorders import hotline
from haofuwu.workorders.api_hotline import hotline_import_create
from haofuwu.workorders.choices import Category, Channel, Kind
from haofuwu.workorders.hotline import (
    HouseholdAddress,
    ProjectRef,
    guess_category,
    guess_kind,
    hotline_import,
    match_project,
    parse_datetime,
    parse_household,
)
from haofuwu.workorders.models import WorkOrder
from haofuwu.workorders.sla import SHANGHAI

HEADER = "工单编号,受理时间,诉求内容,地址,办结时限"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def csv(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\n".join([header, *lines]).encode(encoding)


# Parsing


@pytest.mark.parametrize(
    ("raw", "end_of_day", "expected"),
    [
        ("2026-09-01 10:20", False, at("2026-09-01T10:20")),
        ("2026/9/1 10:20", False, at("2026-09-01T10:20")),
        ("2026/09/01 10:20:30", False, at("2026-09-01T10:20:30")),
        ("2026年9月1日 10:20", False, at("2026-09-01T10:20")),
        ("2026-09-01T10:20:00+08:00", False, at("2026-09-01T10:20")),
        ("２０２６－０９－０１　１０：２０", False, at("2026-09-01T10:20")),
        (dt.datetime(2026, 9, 1, 10, 20), False, at("2026-09-01T10:20")),
        (dt.date(2026, 9, 5), True, at("2026-09-05T23:59:59")),
        ("2026-09-05", True, at("2026-09-05T23:59:59")),
        ("2026-09-05", False, at("2026-09-05T00:00")),
        # Excel keeps dates as days since 1899-12-30 when a cell is not formatted as a date.
        (46266.5, False, at("2026-09-01T12:00")),
        ("46266.5", False, at("2026-09-01T12:00")),
    ],
)
def test_parse_datetime_reads_the_ways_sheets_write_times(raw, end_of_day, expected):
    assert parse_datetime(raw, end_of_day=end_of_day) == expected


@pytest.mark.parametrize("raw", ["tomorrow", "2026-13-01", "2026-02-30 10:00", "12", "5个工作日", "10:20"])
def test_parse_datetime_refuses_what_is_not_a_time(raw):
    with pytest.raises(hotline.CellError):
        parse_datetime(raw)


@pytest.mark.parametrize(
    ("content", "kind", "category"),
    [
        ("3号楼楼上漏水，物业不管", Kind.COMPLAINT, Category.WATER),
        ("小区水管爆裂", Kind.COMPLAINT, Category.WATER),
        ("电梯经常停运", Kind.COMPLAINT, Category.ELEVATOR),
        ("夜间施工噪音扰民", Kind.COMPLAINT, Category.NOISE),
        ("小区停车收费不合理", Kind.COMPLAINT, Category.PARKING),
        ("楼道垃圾无人清理", Kind.COMPLAINT, Category.CLEANING),
        ("绿化带的树被砍了", Kind.COMPLAINT, Category.GREENING),
        ("邻居违规装修", Kind.COMPLAINT, Category.DECORATION),
        ("咨询物业费收费标准", Kind.ENQUIRY, Category.OTHER),
        ("独居老人求助，门锁坏了", Kind.HELP, Category.OTHER),
    ],
)
def test_kind_and_category_are_guessed_from_keywords(content, kind, category):
    assert (guess_kind(content), guess_category(content)) == (kind, category)


PROJECTS = [
    ProjectRef(1, "阳光花园", community="文化东路社区", address="历下区文化东路1号"),
    ProjectRef(2, "阳光花园二期", community="文化东路社区", address="历下区文化东路9号"),
    ProjectRef(3, "山水苑", community="甸柳社区", address="历下区和平路5号"),
    ProjectRef(4, "山水苑", community="舜玉社区", address="市中区舜玉路7号"),
]


@pytest.mark.parametrize(
    ("text", "project_id", "error"),
    [
        ("济南市历下区阳光花园3号楼2单元301", 1, ""),
        # The longest name wins: 阳光花园二期 is not 阳光花园.
        ("阳光花园二期5号楼楼下", 2, ""),
        ("阳 光 花 园二期", 2, ""),
        # No name: the street address.
        ("历下区文化东路9号3-2-301", 2, ""),
        # Two projects of one name: tell them apart by their address, else refuse to guess.
        ("山水苑（市中区舜玉路7号）", 4, ""),
        ("山水苑1号楼", None, "several projects"),
        # A community spans projects: it decides nothing alone.
        ("文化东路社区某楼", None, "several projects"),
        ("甸柳社区居民反映", 3, ""),
        ("泉城路100号", None, "No project"),
        ("", None, "No project"),
    ],
)
def test_match_project_prefers_names_then_addresses_and_refuses_ties(text, project_id, error):
    match = match_project(text, PROJECTS)
    assert (match.project.id if match.project else None) == project_id
    assert error in match.error


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3号楼2单元301", HouseholdAddress("3", "2", "301")),
        ("3号楼2单元301室", HouseholdAddress("3", "2", "301")),
        ("3栋2单元1502", HouseholdAddress("3", "2", "1502")),
        ("3#2单元301", HouseholdAddress("3", "2", "301")),
        ("3-2-301", HouseholdAddress("3", "2", "301")),
        ("3栋301", HouseholdAddress("3", "", "301")),
        ("12号楼1101室", HouseholdAddress("12", "", "1101")),
        ("3-301", HouseholdAddress("3", "", "301")),
        ("3号楼楼道", HouseholdAddress("3", "", "")),
        ("联系电话0531-88888888", None),
        ("小区北门", None),
    ],
)
def test_parse_household_reads_the_usual_spellings(text, expected):
    assert parse_household(text) == expected


# The service


@pytest.fixture
def units(world):
    """甲小区 gets 3号楼 with 2单元301 and 302 in two entrances (1单元302 and 2单元302)."""
    building = BuildingFactory(project=world.project_a, name="3号楼")
    return {
        "3-2-301": UnitFactory(building=building, entrance="2", room="301"),
        "3-1-302": UnitFactory(building=building, entrance="1", room="302"),
        "3-2-302": UnitFactory(building=building, entrance="2", room="302"),
    }


def run(world, user: str, content: bytes, **options):
    return hotline_import(actor=world.users[user], file_name="cases.csv", content=content, **options)


def test_dry_run_reports_each_row_and_writes_nothing(world, units):
    content = csv(
        "C001,2026-09-01 10:20,楼上漏水,济南市历下区甲小区3号楼2单元301,2026-09-04 17:30",
        "C002,2026/9/1 11:00,电梯坏了,甲小区3栋302,",
        "C003,2026/9/1 12:00,门口垃圾,甲小区北门,",
        "C004,2026/9/1 12:00,噪音,泉城路100号,",
    )
    result = run(world, "manager_a", content)
    report = result.as_dict()
    assert WorkOrder.objects.count() == 0
    assert (report["is_dry_run"], report["is_written"]) == (True, False)
    assert (report["rows_total"], report["created"], report["exists"], report["failed"]) == (4, 3, 0, 1)
    assert (report["unit_matched"], report["project_only"]) == (1, 2)
    rows = {row["case_number"]: row for row in report["rows"]}
    assert rows["C001"]["unit_id"] == units["3-2-301"].pk
    assert rows["C001"]["unit"] == "3号楼2单元301"
    assert (rows["C001"]["project"], rows["C001"]["status"], rows["C001"]["message"]) == ("甲小区", "created", "")
    # 302 is in two entrances: only the building is matched, and the row says so.
    assert rows["C002"]["unit_id"] is None and rows["C002"]["unit"] == "3号楼"
    assert "several entrances" in rows["C002"]["message"]
    assert "Only the project matched" in rows["C003"]["message"]
    assert rows["C004"]["status"] == "error"
    assert "No project of yours" in rows["C004"]["message"]
    assert rows["C004"]["row"] == 5


def test_commit_registers_cases_with_their_deadlines_and_rerun_skips_them(world, units):
    content = csv(
        "C001,2026-09-01 10:20,楼上漏水，咨询维修费用,甲小区3号楼2单元301,2026-09-04 17:30",
        "C002,2026/9/1 10:20,楼道垃圾没人清理，卫生太差了，希望物业尽快处理并回复,甲小区北门,",
    )
    result = run(world, "manager_a", content, dry_run=False)
    assert result.is_written
    first, second = (WorkOrder.objects.get(hotline_case_number=number) for number in ("C001", "C002"))
    assert first.channel == Channel.HOTLINE_12345
    assert (first.kind, first.category, first.unit_id) == (Kind.ENQUIRY, Category.WATER, units["3-2-301"].pk)
    assert first.submitted_at == at("2026-09-01T10:20")
    # The sheet's deadline is earlier than five working days, so it is the resolution deadline.
    assert first.hotline_deadline == first.resolution_due_at == at("2026-09-04T17:30")
    assert (second.kind, second.category, second.unit_id) == (Kind.COMPLAINT, Category.CLEANING, None)
    assert second.public_area == "甲小区北门"
    assert second.title == "楼道垃圾没人清理，卫生太差了，希望物业尽快处理并回复"[:30]
    assert second.description.startswith("楼道垃圾没人清理")
    # No deadline on the sheet: 5 working days of 08:30–17:30 from Tuesday 10:20 is next Tuesday 10:20 (P-25).
    assert second.hotline_deadline is None
    assert second.resolution_due_at == at("2026-09-08T10:20")
    rows = {row.case_number: row for row in result.rows}
    assert rows["C001"].work_order_id == first.pk

    again = run(world, "manager_a", content, dry_run=False).as_dict()
    assert WorkOrder.objects.count() == 2
    assert (again["created"], again["exists"], again["failed"]) == (0, 2, 0)
    assert {row["status"] for row in again["rows"]} == {"exists"}
    assert {row["message"] for row in again["rows"]} == {"Already registered."}
    assert {row["work_order_id"] for row in again["rows"]} == {first.pk, second.pk}


def test_commit_is_all_or_nothing_unless_only_valid_rows(world):
    content = csv(
        "C001,2026-09-01 10:20,漏水,甲小区1号楼101,",
        "C002,not a date,漏水,甲小区1号楼102,",
    )
    refused = run(world, "manager_a", content, dry_run=False)
    assert (refused.is_written, refused.failed) == (False, 1)
    assert WorkOrder.objects.count() == 0
    rows = refused.as_dict()["rows"]
    assert rows[0]["status"] == "created" and rows[0]["work_order_id"] is None
    assert "受理时间" in rows[1]["message"] and "not a date" in rows[1]["message"]

    partial = run(world, "manager_a", content, dry_run=False, only_valid_rows=True)
    assert (partial.is_written, partial.failed) == (True, 1)
    assert list(WorkOrder.objects.values_list("hotline_case_number", "unit_id")) == [("C001", world.unit_a.pk)]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (",2026-09-01 10:20,漏水,甲小区", "工单编号: this value is required"),
        ("C1,,漏水,甲小区", "受理时间: this value is required"),
        ("C1,2026-09-01 10:20,,甲小区", "诉求内容: this value is required"),
        ("C1,2099-09-01 10:20,漏水,甲小区", "in the future"),
        ("C1,2026-09-01 10:20,漏水,甲小区,2026-08-01", "before the case was received"),
        ("C1,2026-09-01 10:20,漏水,甲小区,soon", "“soon” is not a date and time"),
        ("C" + "1" * 41 + ",2026-09-01 10:20,漏水,甲小区", "at most 40 characters"),
    ],
)
def test_bad_rows_are_errors_with_the_reason(world, line, reason):
    report = run(world, "manager_a", csv(line)).as_dict()
    assert report["failed"] == 1
    assert reason in report["rows"][0]["message"]


def test_repeated_case_numbers_in_a_file_are_all_refused(world):
    content = csv("C1,2026-09-01 10:20,漏水,甲小区", "C1,2026-09-01 11:20,漏水,甲小区")
    report = run(world, "manager_a", content).as_dict()
    assert [row["status"] for row in report["rows"]] == ["error", "error"]
    assert "rows 2, 3" in report["rows"][0]["message"]


def test_project_found_in_the_content_when_the_address_names_none(world):
    report = run(world, "manager_a", csv("C1,2026-09-01 10:20,甲小区1号楼101漏水,历下区")).as_dict()
    row = report["rows"][0]
    assert (row["project"], row["unit_id"]) == ("甲小区", world.unit_a.pk)
    assert "found in the content" in row["message"]


def test_rows_of_projects_outside_the_actors_reach_are_errors(world):
    content = csv("C1,2026-09-01 10:20,漏水,甲小区1号楼101", "C2,2026-09-01 10:20,漏水,乙小区1号楼101")
    report = run(world, "manager_a", content).as_dict()
    assert [row["status"] for row in report["rows"]] == ["created", "error"]
    # 乙小区 is invisible to manager A: the row does not even say that it exists.
    assert report["rows"][1]["project"] == ""

    # A manager of 甲小区 who also works as community worker at 乙小区 sees it but may not register its cases.
    user = UserFactory(username="manager_a_and_community_b")
    role_assign(actor=None, user=user, role="project_manager", project=world.project_a)
    role_assign(actor=None, user=user, role="community_worker", project=world.project_b)
    report = hotline_import(actor=user, file_name="x.csv", content=content).as_dict()
    assert report["rows"][1]["project"] == "乙小区"
    assert "乙小区 is not in your projects" in report["rows"][1]["message"]


@pytest.mark.parametrize("user", ["manager_a", "company_admin_a", "admin", "customer_service_a"])
def test_roles_that_create_work_orders_import(world, user):
    if user == "customer_service_a":
        world.users[user] = UserFactory(username=user)
        role_assign(actor=None, user=world.users[user], role="staff", trade="customer_service", project=world.project_a)
    result = run(world, user, csv("C1,2026-09-01 10:20,漏水,甲小区1号楼101"), dry_run=False)
    assert result.is_written
    assert WorkOrder.objects.get().unit_id == world.unit_a.pk


@pytest.mark.parametrize("user", ["regulator_city", "regulator_lixia", "engineer_a", "community_a", "resident_a"])
def test_other_roles_may_not_import(world, user):
    with pytest.raises(PermissionDenied):
        run(world, user, csv("C1,2026-09-01 10:20,漏水,甲小区1号楼101"), dry_run=False)
    assert WorkOrder.objects.count() == 0


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_excel_datetimes_english_headers_and_a_title_row(world):
    content = _xlsx(
        [
            ["12345热线工单导出"],
            ["Case number", "Received at", "Content", "Address", "Deadline"],
            [20260901001, dt.datetime(2026, 9, 1, 10, 20), "电梯坏了", "甲小区1号楼101", dt.date(2026, 9, 3)],
        ]
    )
    result = hotline_import(actor=world.users["manager_a"], file_name="c.xlsx", content=content, dry_run=False)
    order = WorkOrder.objects.get()
    assert result.is_written
    assert order.hotline_case_number == "20260901001"
    assert order.submitted_at == at("2026-09-01T10:20")
    assert order.hotline_deadline == at("2026-09-03T23:59:59")


def test_gb18030_csv_is_read(world):
    content = csv("C1,2026-09-01 10:20,漏水,甲小区1号楼101", encoding="gb18030")
    assert run(world, "manager_a", content).as_dict()["created"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a spreadsheet"),
        ("姓名,电话\n张三,138".encode(), "No header row"),
        ("工单编号,诉求内容\nC1,漏水".encode(), "Required columns are missing: 受理时间、地址"),
        (HEADER.encode(), "no data rows"),
        (b"PK\x03\x04garbage", "could not be read"),
    ],
)
def test_unreadable_files_are_one_clear_error(world, content, message):
    with pytest.raises(UnreadableSpreadsheet) as error:
        run(world, "manager_a", content)
    assert message in error.value.message
    assert error.value.field == "file"


def test_the_endpoint_returns_the_report(world):
    request = RequestFactory().post("/api/v1/hotline-imports")
    request.user = world.users["manager_a"]
    upload = SimpleUploadedFile("cases.csv", csv("C1,2026-09-01 10:20,漏水,甲小区1号楼101"), "text/csv")
    report = hotline_import_create(request, file=upload, dry_run=False, only_valid_rows=False)
    assert (report["created"], report["is_written"]) == (1, True)
    assert report["rows"][0]["work_order_id"] == WorkOrder.objects.get().pk


def test_the_endpoint_refuses_a_file_over_the_upload_limit(world, settings):
    settings.UPLOAD_MAX_MB = 1
    request = RequestFactory().post("/api/v1/hotline-imports")
    request.user = world.users["manager_a"]
    upload = SimpleUploadedFile("cases.csv", b"x" * (1024 * 1024 + 1), "text/csv")
    with pytest.raises(ValidationFailed):
        hotline_import_create(request, file=upload)


# The command


def test_command_dry_run_then_commit(world, tmp_path, capsys):
    path = tmp_path / "cases.csv"
    path.write_bytes(csv("C1,2026-09-01 10:20,漏水,甲小区1号楼101", "C2,2026-09-01 10:20,漏水,甲小区北门"))
    call_command("import_12345", str(path), "--as", "manager_a")
    out = capsys.readouterr().out
    assert "(dry run): 2 rows, 2 created (1 matched to a household, 1 to the project only)" in out
    assert "row 3 C2 [created] 甲小区: Only the project matched" in out
    assert WorkOrder.objects.count() == 0
    call_command("import_12345", str(path), "--commit", "--as", "manager_a")
    assert WorkOrder.objects.count() == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.csv"], "Cannot read"),
        (["{bad}"], "not a spreadsheet"),
        (["{good}", "--as", "nobody_at_all"], "No active user"),
        (["{good}", "--as", "regulator_city"], "Only a project manager"),
        (["{bad_row}", "--commit", "--as", "manager_a"], "1 rows have errors; nothing was written."),
    ],
)
def test_command_exits_2_with_one_line(world, tmp_path, arguments, message):
    files = {
        "{bad}": b"\x00\x01\x02garbage",
        "{good}": csv("C1,2026-09-01 10:20,漏水,甲小区1号楼101"),
        "{bad_row}": csv("C1,yesterday,漏水,甲小区1号楼101"),
    }
    for name, content in files.items():
        (tmp_path / name.strip("{}")).write_bytes(content)
    arguments = [str(tmp_path / arg.strip("{}")) if arg in files else arg for arg in arguments]
    arguments = [str(tmp_path / arg) if arg == "missing.csv" else arg for arg in arguments]
    with pytest.raises(CommandError) as error:
        call_command("import_12345", *arguments)
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.django_db
def test_command_without_an_administrator_names_one(tmp_path):
    ProjectFactory()
    path = tmp_path / "cases.csv"
    path.write_bytes(csv("C1,2026-09-01 10:20,漏水,x"))
    with pytest.raises(CommandError, match="no platform administrator"):
        call_command("import_12345", str(path))
