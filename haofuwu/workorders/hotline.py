"""Import of 12345 hotline cases (12345工单) from the city's export, as work orders of the matched projects.

Three layers, from pure to ORM, like the estates import (``haofuwu.estates.importing``):

1. **Parsing** (:func:`parse_cases`): header matched (Chinese or English), cells converted — case number, received
   at, content, address, deadline — pure, on the rows :mod:`haofuwu.estates.spreadsheets` read.
2. **Matching** (:func:`match_project`, :func:`parse_household`, :func:`match_household`): which project the address
   names (by name, then address, then community), then which building and household (``3号楼2单元301``,
   ``3-2-301``, ``3栋301``) — pure, on plain :class:`ProjectRef`/:class:`UnitRef` values.
3. **The service** (:func:`hotline_import`): authorises, loads the actor's projects, households and the case numbers
   already registered once each, plans every row, and on commit registers each case through
   ``services.work_order_submit`` (channel 12345, so the 5-working-day rule of P-25 applies unless the sheet's
   deadline is earlier). A dry run writes nothing; a commit writes every row or none unless ``only_valid_rows``.
   A case number already registered is reported as "exists", not as an error, so re-running a file is harmless.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import DomainError, PermissionDenied
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.estates.spreadsheets import Table, UnreadableSpreadsheet, is_blank, read_table
from haofuwu.workorders import selectors, services
from haofuwu.workorders.choices import Category, Channel, Kind, Urgency
from haofuwu.workorders.models import WorkOrder

MAX_DATA_ROWS = 5_000
HEADER_SEARCH_ROWS = 10
TITLE_CHARS = 30
# Field limits of WorkOrder: longer text is cut (content, address) or refused (the case number identifies the case).
MAX_CASE_NUMBER = 40
MAX_DESCRIPTION = 2000
MAX_PUBLIC_AREA = 100
# Project names, addresses and communities shorter than this match far too much text to identify a project.
MIN_KEY_CHARS = 2

# Messages (English source, translated when the report is made).
NOT_ALLOWED = gettext_lazy(
    "Only a project manager, company administrator, customer service or platform administrator can import 12345 cases."
)
NO_HEADER_ROW = gettext_lazy(
    "No header row was found in the first %(rows)s rows. The columns are 工单编号, 受理时间, 诉求内容, 地址 and "
    "办结时限 (or case number, received at, content, address, deadline)."
)
MISSING_HEADERS = gettext_lazy("Required columns are missing: %(columns)s.")
NO_DATA_ROWS = gettext_lazy("The file has a header row but no data rows.")
TOO_MANY_DATA_ROWS = gettext_lazy("The file has %(count)s data rows; at most %(limit)s can be imported at once.")
UNKNOWN_COLUMN = gettext_lazy("Unknown column; it was ignored.")
REPEATED_COLUMN = gettext_lazy("This column appears twice; the second one was ignored.")
REQUIRED = gettext_lazy("%(column)s: this value is required.")
CASE_NUMBER_TOO_LONG = gettext_lazy("%(column)s: at most %(limit)s characters.")
NOT_A_DATETIME = gettext_lazy("%(column)s: “%(value)s” is not a date and time; write it as 2026-09-01 10:20.")
IN_THE_FUTURE = gettext_lazy("%(column)s: the time is in the future.")
DEADLINE_BEFORE_RECEIVED = gettext_lazy("%(column)s: the deadline is before the case was received.")
DUPLICATE_CASE = gettext_lazy("The same case number appears in rows %(rows)s.")
NO_PROJECT = gettext_lazy("No project of yours matches this address.")
SEVERAL_PROJECTS = gettext_lazy("The address matches several projects: %(projects)s.")
NOT_YOUR_PROJECT = gettext_lazy("%(project)s is not in your projects: you may not register its 12345 cases.")
ALREADY_REGISTERED = gettext_lazy("Already registered.")
CONTENT_CUT = gettext_lazy("The content was cut to %(limit)s characters.")
MATCHED_BY_CONTENT = gettext_lazy("The project was found in the content, not the address.")
ONLY_PROJECT = gettext_lazy("Only the project matched: the address names no building and room.")
NO_BUILDING = gettext_lazy("Only the project matched: it has no building %(building)s.")
NO_HOUSEHOLD = gettext_lazy("Only the building matched: it has no household %(household)s.")
SEVERAL_HOUSEHOLDS = gettext_lazy("Only the building matched: %(household)s is in several entrances; say which.")


class RowStatus:
    CREATED = "created"
    EXISTS = "exists"
    ERROR = "error"


def _norm(value: Any) -> str:
    """Compare text as people mean it: full-width digits, letters and dashes folded, case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).casefold()


# 1. Parsing


@dataclass(frozen=True)
class Column:
    """One column of the city's export: its key, Chinese header and the other names it goes by."""

    key: str
    label: str
    aliases: tuple[str, ...]
    is_required: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("case_number", "工单编号", ("case number", "case no", "case id", "工单号", "案件编号", "编号", "工单号码")),
    Column("received_at", "受理时间", ("received at", "received", "来电时间", "登记时间", "受理日期", "创建时间")),
    Column("content", "诉求内容", ("content", "description", "内容", "诉求", "反映内容", "来电内容", "问题描述")),
    Column("address", "地址", ("address", "诉求地址", "事发地址", "发生地址", "详细地址", "地点")),
    Column(
        "deadline",
        "办结时限",
        ("deadline", "due", "due at", "办理时限", "办结期限", "截止时间", "办结时间要求"),
        is_required=False,
    ),
)
LABELS = {column.key: column.label for column in COLUMNS}


def _header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.key, column.label, *column.aliases):
            lookup.setdefault(_norm(name).replace("_", ""), column.key)
    return lookup


HEADERS = _header_lookup()


def _match_header(cell: Any) -> str | None:
    if is_blank(cell):
        return None
    text = unicodedata.normalize("NFKC", str(cell)).strip().replace("*", "").replace("_", "")
    variants = [_norm(text)]
    match = re.match(r"^(.*?)\s*\((.*?)\)\s*$", text)
    if match:
        # "工单编号 (case number)": either part may be the name.
        variants += [_norm(match.group(1)), _norm(match.group(2))]
    return next((HEADERS[variant] for variant in variants if variant in HEADERS), None)


@dataclass
class CaseRow:
    """One data row of the sheet: converted values, or the reasons it cannot be used."""

    number: int
    case_number: str = ""
    received_at: dt.datetime | None = None
    content: str = ""
    address: str = ""
    deadline: dt.datetime | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ParsedCases:
    """What parsing a file gave: every data row (good or not) and warnings about the header."""

    header_row: int
    rows: list[CaseRow]
    warnings: list[dict[str, Any]]


class CellError(ValueError):
    """A cell's value cannot be used."""


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        # Case numbers typed into a number cell: 20260901001.0 is 20260901001.
        return str(int(raw))
    # PostgreSQL refuses NUL in text; no person typed one.
    return str(raw).replace("\x00", "").strip()


_DATETIME = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:\s*(?P<hour>\d{1,2})[:：时](?P<minute>\d{1,2})(?:[:：分](?P<second>\d{1,2})(?:\.\d+)?秒?)?分?)?$"
)
# Excel stores a date as days since 1899-12-30; these bounds (1970–2099) keep plain numbers from passing as dates.
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_EXCEL_MIN, _EXCEL_MAX = 25_569, 73_051


def _aware(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_current_timezone())
    return value


def parse_datetime(raw: Any, *, end_of_day: bool = False) -> dt.datetime:
    """A time as the sheet holds it: an Excel date, ``2026-09-01 10:20``, ``2026/9/1 10:20``, ``2026年9月1日``.

    A date without a time is the start of that day, or its last second for a deadline (``end_of_day``): a case due
    on 5 September may be closed until that day ends (an Excel date cell reads as midnight, so a deadline at
    midnight is taken as that day's end too). Times without an offset are in the site's time zone.
    """
    if isinstance(raw, dt.datetime):
        if end_of_day and raw.time() == dt.time.min:
            # Excel gives a cell holding only a date as midnight of that day.
            raw = raw.replace(hour=23, minute=59, second=59)
        return _aware(raw)
    if isinstance(raw, dt.date):
        return _aware(dt.datetime.combine(raw, dt.time.max.replace(microsecond=0) if end_of_day else dt.time.min))
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _from_excel(float(raw))
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    try:
        return _from_excel(float(text))
    except (CellError, ValueError):
        pass
    spelled = re.sub(r"[/.]", "-", text.replace("年", "-").replace("月", "-").replace("日", " ").replace("T", " "))
    match = _DATETIME.match(spelled.strip())
    if match is None:
        try:
            # ISO 8601 with an offset, as other systems export it.
            return _aware(dt.datetime.fromisoformat(text))
        except ValueError:
            raise CellError(text) from None
    parts = {name: int(value) for name, value in match.groupdict().items() if value is not None}
    has_time = "hour" in parts
    try:
        value = dt.datetime(
            parts["year"],
            parts["month"],
            parts["day"],
            parts.get("hour", 23 if end_of_day else 0),
            parts.get("minute", 59 if end_of_day and not has_time else 0),
            parts.get("second", 59 if end_of_day and not has_time else 0),
        )
    except ValueError:
        raise CellError(text) from None
    return _aware(value)


def _from_excel(serial: float) -> dt.datetime:
    if not _EXCEL_MIN <= serial <= _EXCEL_MAX:
        raise CellError(str(serial))
    return _aware(_EXCEL_EPOCH + dt.timedelta(days=serial))


def _find_header(table: Table) -> int:
    best_index, best_count = -1, 0
    for index, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        count = len({key for key in map(_match_header, cells) if key})
        if count > best_count:
            best_index, best_count = index, count
    if best_index < 0:
        raise UnreadableSpreadsheet(str(NO_HEADER_ROW) % {"rows": HEADER_SEARCH_ROWS})
    return best_index


def parse_cases(table: Table, *, now: dt.datetime) -> ParsedCases:
    """Match the header and convert every row; file-level problems raise :class:`UnreadableSpreadsheet`."""
    if not table.rows:
        raise UnreadableSpreadsheet(str(NO_DATA_ROWS))
    header_index = _find_header(table)
    header_number, header = table.rows[header_index]
    positions: dict[int, str] = {}
    warnings: list[dict[str, Any]] = []
    for position, cell in enumerate(header):
        key = _match_header(cell)
        if key is None or key in positions.values():
            if not is_blank(cell):
                message = UNKNOWN_COLUMN if key is None else REPEATED_COLUMN
                warnings.append({"row": header_number, "column": _text(cell)[:50], "message": str(message)})
            continue
        positions[position] = key
    missing = [column.label for column in COLUMNS if column.is_required and column.key not in positions.values()]
    if missing:
        raise UnreadableSpreadsheet(str(MISSING_HEADERS) % {"columns": "、".join(missing)})
    data = table.rows[header_index + 1 :]
    # A second header row (English names under the Chinese ones) is not data.
    if data and sum(1 for cell in data[0][1] if _match_header(cell)) >= 3:
        data = data[1:]
    if not data:
        raise UnreadableSpreadsheet(str(NO_DATA_ROWS))
    if len(data) > MAX_DATA_ROWS:
        raise UnreadableSpreadsheet(str(TOO_MANY_DATA_ROWS) % {"count": len(data), "limit": MAX_DATA_ROWS})
    rows = [_parse_row(number, cells, positions, now) for number, cells in data]
    _mark_duplicates(rows)
    return ParsedCases(header_row=header_number, rows=rows, warnings=warnings)


def _parse_row(number: int, cells: Sequence[Any], positions: dict[int, str], now: dt.datetime) -> CaseRow:
    raw = {key: (cells[position] if position < len(cells) else None) for position, key in positions.items()}
    row = CaseRow(number=number)
    row.case_number = unicodedata.normalize("NFKC", _text(raw.get("case_number")))
    row.content = _text(raw.get("content"))
    row.address = _text(raw.get("address"))
    for key in ("case_number", "received_at", "content"):
        if is_blank(raw.get(key)):
            row.errors.append(str(REQUIRED) % {"column": LABELS[key]})
    if len(row.case_number) > MAX_CASE_NUMBER:
        row.errors.append(str(CASE_NUMBER_TOO_LONG) % {"column": LABELS["case_number"], "limit": MAX_CASE_NUMBER})
    if len(row.content) > MAX_DESCRIPTION:
        row.content = row.content[: MAX_DESCRIPTION - 1] + "…"
        row.notes.append(str(CONTENT_CUT) % {"limit": MAX_DESCRIPTION})
    for key in ("received_at", "deadline"):
        if is_blank(raw.get(key)):
            continue
        try:
            value = parse_datetime(raw[key], end_of_day=key == "deadline")
        except CellError:
            row.errors.append(str(NOT_A_DATETIME) % {"column": LABELS[key], "value": _text(raw[key])[:30]})
            continue
        setattr(row, key, value)
    if row.received_at is not None and row.received_at > now:
        row.errors.append(str(IN_THE_FUTURE) % {"column": LABELS["received_at"]})
    if row.received_at is not None and row.deadline is not None and row.deadline < row.received_at:
        row.errors.append(str(DEADLINE_BEFORE_RECEIVED) % {"column": LABELS["deadline"]})
    return row


def _mark_duplicates(rows: list[CaseRow]) -> None:
    # Every copy is refused, as in the estates import: which of them is right is for the person who made the file.
    by_number: dict[str, list[CaseRow]] = defaultdict(list)
    for row in rows:
        if row.case_number:
            by_number[row.case_number].append(row)
    for copies in by_number.values():
        if len(copies) > 1:
            message = str(DUPLICATE_CASE) % {"rows": ", ".join(str(row.number) for row in copies)}
            for row in copies:
                row.errors.append(message)


# Kind and category from the content: simple keyword rules a clerk can predict; staff correct them on the order.
CATEGORY_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (Category.WATER, ("漏水", "水管", "渗水", "跑水", "停水")),
    (Category.ELEVATOR, ("电梯",)),
    (Category.NOISE, ("噪音", "噪声", "扰民")),
    (Category.PARKING, ("停车", "车位")),
    (Category.CLEANING, ("卫生", "垃圾")),
    (Category.GREENING, ("绿化", "树")),
    (Category.DECORATION, ("装修",)),
)


def guess_category(content: str) -> str:
    """The first category whose keyword the content mentions, else other."""
    return next(
        (category for category, words in CATEGORY_KEYWORDS if any(word in content for word in words)), Category.OTHER
    )


def guess_kind(content: str) -> str:
    """12345 cases are complaints unless the caller only asks (咨询) or asks for help (求助)."""
    if "咨询" in content:
        return Kind.ENQUIRY
    if "求助" in content:
        return Kind.HELP
    return Kind.COMPLAINT


def make_title(content: str) -> str:
    return " ".join(content.split())[:TITLE_CHARS]


# 2. Matching


@dataclass(frozen=True)
class ProjectRef:
    id: int
    name: str
    community: str = ""
    address: str = ""


@dataclass(frozen=True)
class ProjectMatch:
    """The project an address names (``project``), or why none (``error``); ``end`` is where its name ends in the
    normalised text and ``start`` where it begins, so the household is looked for around it."""

    project: ProjectRef | None = None
    error: str = ""
    start: int = 0
    end: int = 0


# A project's name says more than its street address, which says more than its community (社区 spans projects).
_NAME, _ADDRESS, _COMMUNITY = 3, 2, 1


def match_project(text: str, projects: Iterable[ProjectRef]) -> ProjectMatch:
    """The project whose name (else street address, else community) the text contains; the longest wins, so
    “阳光花园二期” beats “阳光花园”. Two projects equally well matched are an error, not a guess."""
    haystack = _norm(text)
    if not haystack:
        return ProjectMatch(error=str(NO_PROJECT))
    scored: list[tuple[tuple[int, int, int], ProjectRef, int]] = []
    for project in projects:
        found: list[tuple[int, int, int]] = []
        for level, key in ((_NAME, project.name), (_ADDRESS, project.address), (_COMMUNITY, project.community)):
            needle = _norm(key)
            position = haystack.find(needle) if len(needle) >= MIN_KEY_CHARS else -1
            if position >= 0:
                found.append((level, len(needle), position))
        if found:
            level, length, position = max(found)
            # Between two projects of the same name, the one whose address (or community) is also named wins.
            scored.append(((level, length, len(found)), project, position))
    if not scored:
        return ProjectMatch(error=str(NO_PROJECT))
    scored.sort(key=lambda item: item[0], reverse=True)
    top_score = scored[0][0]
    tied = [project for score, project, _position in scored if score == top_score]
    if len(tied) > 1:
        names = "、".join(sorted(project.name for project in tied))
        return ProjectMatch(error=str(SEVERAL_PROJECTS) % {"projects": names})
    _score, project, position = scored[0]
    return ProjectMatch(project=project, start=position, end=position + top_score[1])


@dataclass(frozen=True)
class HouseholdAddress:
    """Building, entrance (blank when not said) and room as an address writes them."""

    building: str
    entrance: str
    room: str


_DASH = r"[-－—–]"
_HOUSEHOLD_PATTERNS = (
    # 3号楼2单元301室, 3栋2单元301, 3#2单元301, 3号2单元301
    re.compile(r"(?P<building>\d+)(?:号楼|栋|幢|座|#楼?|号)(?P<entrance>\d+)单元(?P<room>\d{2,5})(?:室|号|户)?"),
    # 3-2-301
    re.compile(rf"(?<![\d-])(?P<building>\d+){_DASH}(?P<entrance>\d+){_DASH}(?P<room>\d{{2,5}})(?![\d-])"),
    # 3号楼301, 3栋301
    re.compile(r"(?P<building>\d+)(?:号楼|栋|幢|座|#楼?)(?P<room>\d{3,5})(?:室|号|户)?"),
    # 3-301 (not a phone number: the room has at most five digits and nothing follows)
    re.compile(rf"(?<![\d-])(?P<building>\d+){_DASH}(?P<room>\d{{3,5}})(?![\d-])"),
)
# Only a building named: 3号楼 (then the order is about the building; the room is for the staff to find out).
_BUILDING_ONLY = re.compile(r"(?P<building>\d+)(?:号楼|栋|幢|座)")


def parse_household(text: str) -> HouseholdAddress | None:
    """The first building/entrance/room the (normalised) text spells in one of the usual ways."""
    for pattern in _HOUSEHOLD_PATTERNS:
        match = pattern.search(text)
        if match:
            groups = match.groupdict()
            return HouseholdAddress(groups["building"], groups.get("entrance") or "", groups["room"])
    match = _BUILDING_ONLY.search(text)
    if match:
        return HouseholdAddress(match.group("building"), "", "")
    return None


@dataclass(frozen=True)
class UnitRef:
    id: int
    building_id: int
    building_name: str
    entrance: str
    room: str

    @property
    def label(self) -> str:
        return f"{self.building_name}{self.entrance}单元{self.room}"


@dataclass(frozen=True)
class HouseholdMatch:
    """The household (and building) found, with a note when less than a household matched."""

    unit: UnitRef | None = None
    building_id: int | None = None
    building_name: str = ""
    note: str = ""


_BUILDING_NAME = re.compile(r"(\d+)(?:号楼|号|栋|幢|座|#楼?)?")


def _building_number(name: str) -> str | None:
    match = _BUILDING_NAME.fullmatch(_norm(name))
    return str(int(match.group(1))) if match else None


def _same_number(left: str, right: str) -> bool:
    left, right = _norm(left).removesuffix("单元").removesuffix("室"), _norm(right).removesuffix("室")
    if left.isdigit() and right.isdigit():
        return int(left) == int(right)
    return left == right


def match_household(text: str, match: ProjectMatch, units: Sequence[UnitRef]) -> HouseholdMatch:
    """The household of the project the address spells, looked for after the project's name, then before it."""
    haystack = _norm(text)
    address = parse_household(haystack[match.end :]) or parse_household(haystack[: match.start])
    if address is None:
        return HouseholdMatch(note=str(ONLY_PROJECT))
    buildings: dict[int, str] = {}
    for unit in units:
        if _building_number(unit.building_name) == str(int(address.building)):
            buildings[unit.building_id] = unit.building_name
    if len(buildings) != 1:
        return HouseholdMatch(note=str(NO_BUILDING) % {"building": f"{address.building}号楼"})
    building_id, building_name = next(iter(buildings.items()))
    if not address.room:
        return HouseholdMatch(building_id=building_id, building_name=building_name, note=str(ONLY_PROJECT))
    found = [
        unit
        for unit in units
        if unit.building_id == building_id
        and _same_number(unit.room, address.room)
        and (not address.entrance or _same_number(unit.entrance, address.entrance))
    ]
    household = f"{address.entrance}单元{address.room}" if address.entrance else address.room
    if not found:
        return HouseholdMatch(
            building_id=building_id, building_name=building_name, note=str(NO_HOUSEHOLD) % {"household": household}
        )
    if len(found) > 1:
        return HouseholdMatch(
            building_id=building_id,
            building_name=building_name,
            note=str(SEVERAL_HOUSEHOLDS) % {"household": household},
        )
    return HouseholdMatch(unit=found[0], building_id=building_id, building_name=building_name)


# 3. The service


@dataclass
class ReportRow:
    """One row of the report: where the case went (or would go) and what happened to it."""

    row: int
    case_number: str
    status: str
    message: str = ""
    project_id: int | None = None
    project: str = ""
    unit_id: int | None = None
    unit: str = ""
    kind: str = ""
    category: str = ""
    work_order_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "case_number": self.case_number,
            "project_id": self.project_id,
            "project": self.project,
            "unit_id": self.unit_id,
            "unit": self.unit,
            "kind": self.kind,
            "category": self.category,
            "status": self.status,
            "message": self.message,
            "work_order_id": self.work_order_id,
        }


@dataclass
class HotlineImportResult:
    """The report of one import. For a dry run or a refused commit (``is_written`` false) the counts and the
    ``created`` rows say what a commit would do."""

    file_name: str
    is_dry_run: bool
    is_written: bool = False
    rows: list[ReportRow] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def failed(self) -> int:
        return self._count(RowStatus.ERROR)

    def as_dict(self) -> dict[str, Any]:
        created = [row for row in self.rows if row.status == RowStatus.CREATED]
        return {
            "file_name": self.file_name,
            "is_dry_run": self.is_dry_run,
            "is_written": self.is_written,
            "rows_total": len(self.rows),
            "created": len(created),
            "exists": self._count(RowStatus.EXISTS),
            "failed": self.failed,
            "unit_matched": sum(1 for row in created if row.unit_id is not None),
            "project_only": sum(1 for row in created if row.unit_id is None),
            "rows": [row.as_dict() for row in self.rows],
            "warnings": self.warnings,
        }


@dataclass
class _Planned:
    """A row ready to be registered: the report row and the arguments of ``work_order_submit``."""

    report: ReportRow
    submit: dict[str, Any]


def may_register(scope: Scope, project_id: int, company_id: int) -> bool:
    """Whether the user registers cases for the project: its manager, its company's administrator, its customer
    service, or a platform administrator (the roles that create work orders on a resident's behalf)."""
    if "manage" in services.relations_for_project(scope, project_id, company_id):
        return True
    return project_id in scope.project_ids and "customer_service" in scope.trades


def _may_register_somewhere(scope: Scope) -> bool:
    return bool(
        scope.is_platform_admin
        or scope.company_ids
        or scope.managed_project_ids
        or (scope.project_ids and "customer_service" in scope.trades)
    )


def _clean_file_name(file_name: str) -> str:
    name = os.path.basename(str(file_name).replace("\\", "/"))
    return "".join(char for char in name if char >= " ")[:200] or "upload"


class _Refused(Exception):
    """Raised inside the commit to roll every row back when one fails and ``only_valid_rows`` is not set."""


def hotline_import(
    *,
    actor: Any,
    file_name: str,
    content: bytes,
    dry_run: bool = True,
    only_valid_rows: bool = False,
    now: dt.datetime | None = None,
) -> HotlineImportResult:
    """Register the 12345 cases of a spreadsheet as work orders of the projects their addresses name.

    A dry run writes nothing and reports, row by row, the project and household each case would go to. A commit
    registers every row or none (one transaction) unless ``only_valid_rows``, which registers the good rows and
    reports the others. Case numbers already registered are reported as ``exists``. File-level problems (not a
    spreadsheet, missing columns, no data) raise :class:`UnreadableSpreadsheet`; a user who may register cases
    for none of their projects gets :class:`PermissionDenied`.
    """
    scope = scope_for_user(actor)
    if not _may_register_somewhere(scope):
        raise PermissionDenied(str(NOT_ALLOWED))
    now = now or timezone.now()
    table = read_table(
        content,
        max_rows=MAX_DATA_ROWS + HEADER_SEARCH_ROWS + 2,
        max_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024,
    )
    parsed = parse_cases(table, now=now)
    result = HotlineImportResult(file_name=_clean_file_name(file_name), is_dry_run=dry_run, warnings=parsed.warnings)
    planned = _plan(scope, parsed.rows, result)
    if dry_run or (result.failed and not only_valid_rows):
        # A dry run, or a commit refused before writing anything because some rows have errors.
        return result
    try:
        with transaction.atomic():
            _register(actor, planned, only_valid_rows=only_valid_rows)
            written = [row for row in result.rows if row.status == RowStatus.CREATED]
            audit.record(
                actor,
                "work_order.hotline_import",
                None,
                {
                    "file": result.file_name,
                    "created": len(written),
                    "exists": sum(1 for row in result.rows if row.status == RowStatus.EXISTS),
                    "failed": result.failed,
                },
            )
            result.is_written = bool(written) or not result.failed
    except _Refused:
        # Nothing was written: the rows registered before the failure are back to "would be created".
        for item in planned:
            if item.report.status == RowStatus.CREATED:
                item.report.work_order_id = None
    return result


def _plan(scope: Scope, rows: list[CaseRow], result: HotlineImportResult) -> list[_Planned]:
    """Match every row to a project and household and decide its status; three queries whatever the rows."""
    visible = list(estates.project_list_for_user(scope).values("id", "name", "community", "address", "company_id"))
    projects = [ProjectRef(p["id"], p["name"], p["community"], p["address"]) for p in visible]
    companies = {p["id"]: p["company_id"] for p in visible}
    registered = dict(
        WorkOrder.objects.filter(hotline_case_number__in=[row.case_number for row in rows if row.case_number])
        .order_by()
        .values_list("hotline_case_number", "pk")
    )
    matches: dict[int, tuple[ProjectMatch, bool]] = {}
    for row in rows:
        if row.errors:
            continue
        match = match_project(row.address, projects)
        by_content = False
        if match.project is None and row.content:
            # 12345 operators often write the address into the content only.
            alternative = match_project(row.content, projects)
            if alternative.project is not None:
                match, by_content = alternative, True
        matches[row.number] = (match, by_content)
    wanted = {match.project.id for match, _ in matches.values() if match.project is not None}
    units: dict[int, list[UnitRef]] = defaultdict(list)
    if wanted:
        for values in (
            estates.unit_list_for_user(scope)
            .filter(building__project_id__in=wanted)
            .values("id", "building_id", "building__name", "building__project_id", "entrance", "room")
        ):
            units[values["building__project_id"]].append(
                UnitRef(
                    values["id"], values["building_id"], values["building__name"], values["entrance"], values["room"]
                )
            )
    # The report links to an order already registered only when the importing user may see it.
    visible_orders: set[int] = set()
    if registered:
        orders = selectors.work_order_list_for_user(scope).filter(pk__in=registered.values())
        visible_orders = set(orders.values_list("pk", flat=True))
    planned: list[_Planned] = []
    for row in rows:
        report = ReportRow(row=row.number, case_number=row.case_number, status=RowStatus.ERROR)
        result.rows.append(report)
        if row.case_number in registered:
            # Before any other check: a file run again must not turn into errors for what it already did.
            existing = registered[row.case_number]
            report.status, report.message = RowStatus.EXISTS, str(ALREADY_REGISTERED)
            report.work_order_id = existing if existing in visible_orders else None
            continue
        if row.errors:
            report.message = "; ".join(row.errors)
            continue
        match, by_content = matches[row.number]
        if match.project is None:
            report.message = match.error
            continue
        project = match.project
        report.project_id, report.project = project.id, project.name
        if not may_register(scope, project.id, companies[project.id]):
            report.message = str(NOT_YOUR_PROJECT) % {"project": project.name}
            continue
        text = row.content if by_content else row.address
        household = match_household(text, match, units[project.id])
        kind, category = guess_kind(row.content), guess_category(row.content)
        report.status, report.kind, report.category = RowStatus.CREATED, kind, category
        if household.unit is not None:
            report.unit_id, report.unit = household.unit.id, household.unit.label
        elif household.building_name:
            report.unit = household.building_name
        notes = [*row.notes, *([str(MATCHED_BY_CONTENT)] if by_content else []), household.note]
        report.message = "; ".join(note for note in notes if note)
        public_area = "" if household.unit else (row.address or project.name)[:MAX_PUBLIC_AREA]
        planned.append(
            _Planned(
                report,
                {
                    "project_id": project.id,
                    "kind": kind,
                    "category": category,
                    "urgency": Urgency.NORMAL,
                    "title": make_title(row.content),
                    "description": row.content,
                    "channel": Channel.HOTLINE_12345,
                    "building_id": None if household.unit else household.building_id,
                    "unit_id": household.unit.id if household.unit else None,
                    "public_area": public_area,
                    "hotline_case_number": row.case_number,
                    "hotline_deadline": row.deadline,
                    "submitted_at": row.received_at,
                    # One summary per project after the import instead of a text message per case.
                    "notify_managers": False,
                },
            )
        )
    return planned


def _register(actor: Any, planned: list[_Planned], *, only_valid_rows: bool) -> None:
    """Submit every planned row; a row the service refuses becomes an error (and, unless ``only_valid_rows``,
    stops the commit, which the caller then rolls back)."""
    for item in planned:
        try:
            with transaction.atomic():
                order = services.work_order_submit(actor=actor, **item.submit)
        except IntegrityError:
            # Another import registered the same case number between our check and our insert.
            item.report.status, item.report.message = RowStatus.EXISTS, str(ALREADY_REGISTERED)
            continue
        except DomainError as error:
            if (
                error.field == "hotline_case_number"
                and WorkOrder.objects.filter(hotline_case_number=item.submit["hotline_case_number"]).exists()
            ):
                item.report.status, item.report.message = RowStatus.EXISTS, str(ALREADY_REGISTERED)
                continue
            item.report.status, item.report.message = RowStatus.ERROR, error.message
            if not only_valid_rows:
                raise _Refused from None
            continue
        item.report.work_order_id = order.pk
    created: dict[int, int] = {}
    for item in planned:
        if item.report.work_order_id is not None:
            created[item.submit["project_id"]] = created.get(item.submit["project_id"], 0) + 1
    for project_id, count in created.items():
        transaction.on_commit(
            lambda project_id=project_id, count=count: services.project_managers_notify(
                project_id=project_id,
                title=gettext("%(count)d new 12345 cases imported") % {"count": count},
                link="/work-orders/board/?channel=hotline_12345",
            )
        )
