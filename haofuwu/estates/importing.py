"""Spreadsheet import of buildings, households and residents, with a row-level report.

Three layers, from pure to ORM:

1. **Row specs** (:data:`SPECS`): the columns of each kind, Chinese and English headers, types and limits.
2. **Parsing** (:func:`parse_table`): headers matched, every cell converted and checked, duplicate keys found —
   pure, on the rows :mod:`haofuwu.estates.spreadsheets` read, giving :class:`ParsedRow` values and row issues.
3. **The service** (:func:`estates_import`): authorises, loads the project's existing rows once into dicts, plans
   creates and updates in memory, and writes them with ``bulk_create``/``bulk_update`` — a constant number of
   queries whatever the number of rows. A commit is all-or-nothing unless ``only_valid_rows`` is set.

Re-running a file updates instead of duplicating. Keys: a building by name; a household by (building, entrance,
room); a resident by household and then ID number, else phone, else exact name (see :func:`_match_resident`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haofuwu.accounts.roles import IMPORT_ESTATES
from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import READ_ONLY, Conflict, PermissionDenied, ValidationFailed
from haofuwu.core.masking import mask_id_number, mask_name, mask_phone
from haofuwu.estates import selectors
from haofuwu.estates.choices import ImportKind, Relation, ResidentTag, UnitStatus
from haofuwu.estates.models import Building, ImportRun, Project, Resident, ResidentTagging, Unit
from haofuwu.estates.services import resident_fill_indexes
from haofuwu.estates.spreadsheets import Sheet, Table, UnreadableSpreadsheet, is_blank, read_table, write_xlsx

MAX_DATA_ROWS = 20_000
# Header rows may sit below a title row ("某某小区房屋信息表"), as in many registers kept in Excel.
HEADER_SEARCH_ROWS = 10
# A report of every error of a 20,000-row file helps nobody; the first ones show the pattern.
MAX_REPORTED_ISSUES = 2_000
BATCH_SIZE = 500
CENT = Decimal("0.01")

# Messages (English source, translated at the time the report is made).
UNKNOWN_KIND = gettext_lazy("Choose what to import: buildings, units or residents.")
MISSING_HEADERS = gettext_lazy(
    "Required columns are missing: %(columns)s. The header row must name the columns; download the template to "
    "see them."
)
NO_HEADER_ROW = gettext_lazy(
    "No header row was found in the first %(rows)s rows. Download the template to see the column names."
)
NO_DATA_ROWS = gettext_lazy("The file has a header row but no data rows.")
TOO_MANY_DATA_ROWS = gettext_lazy("The file has %(count)s data rows; at most %(limit)s can be imported at once.")
UNKNOWN_COLUMN = gettext_lazy("Unknown column; it was ignored.")
EXAMPLE_ROW_SKIPPED = gettext_lazy("The template's example row was skipped.")
REPEATED_COLUMN = gettext_lazy("This column appears twice; the second one was ignored.")
REQUIRED = gettext_lazy("This value is required.")
TOO_LONG = gettext_lazy("At most %(limit)s characters.")
NOT_A_WHOLE_NUMBER = gettext_lazy("Not a whole number.")
NOT_A_NUMBER = gettext_lazy("Not a number.")
TOO_SMALL = gettext_lazy("Must be at least %(limit)s.")
TOO_LARGE = gettext_lazy("Must be at most %(limit)s.")
TOO_MANY_DECIMALS = gettext_lazy("At most two decimal places.")
NOT_A_DATE = gettext_lazy("Not a date; write it as 2024-03-01.")
NOT_A_YEAR = gettext_lazy("Not a year between %(low)s and %(high)s.")
UNKNOWN_CHOICE = gettext_lazy("Unknown value; use one of: %(choices)s.")
UNKNOWN_TAGS = gettext_lazy("Unknown tag %(tags)s; use: %(choices)s.")
BAD_PHONE = gettext_lazy(
    "Not a phone number: use an 11-digit mobile number or a landline with area code (0531-88888888)."
)
ID_AS_NUMBER = gettext_lazy(
    "The ID number was stored as a number and lost its last digits. Format the column as text and type it again."
)
ID_LENGTH = gettext_lazy("An ID number has 18 characters.")
ID_OLD_FORMAT = gettext_lazy("15-digit ID numbers are no longer valid; use the 18-digit number.")
ID_CHARACTERS = gettext_lazy("An ID number has 17 digits followed by a digit or X.")
ID_BIRTH_DATE = gettext_lazy("The date of birth in the ID number is not a valid date.")
ID_CHECK_DIGIT = gettext_lazy("The check digit is wrong (GB 11643); the number has a typing error.")
NO_FLOOR = gettext_lazy("Give the floor; it cannot be read from the room number.")
WRONG_PROJECT = gettext_lazy("This row is for project “%(row)s”, but you are importing into “%(project)s”.")
DUPLICATE_KEY = gettext_lazy("The same %(key)s appears in rows %(rows)s.")
NO_BUILDING = gettext_lazy("There is no building “%(name)s” in this project; import the buildings first.")
NO_UNIT = gettext_lazy("There is no household %(label)s in this project; import the households first.")
CONCURRENT_CHANGE = gettext_lazy("The project's registry changed while importing; run the import again.")
NOTHING_WRITTEN = gettext_lazy(
    "Nothing was written: %(count)s rows have errors. Correct them, or import only the valid rows."
)


# 1. Row specs


class ColumnType:
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    YEAR = "year"
    DATE = "date"
    CHOICE = "choice"
    TAGS = "tags"
    PHONE = "phone"
    ID_NUMBER = "id_number"


@dataclass(frozen=True)
class Column:
    """One column of an import: its key (the English header), Chinese header and aliases, type and limits."""

    key: str
    label: str
    type: str = ColumnType.TEXT
    is_required: bool = False
    aliases: tuple[str, ...] = ()
    max_length: int | None = None
    min_value: int | Decimal | None = None
    max_value: int | Decimal | None = None
    # Accepted spellings (normalised) → stored code, for CHOICE and TAGS.
    choices: dict[str, str] = field(default_factory=dict)
    # The labels offered in the template's drop-down list.
    choice_labels: tuple[str, ...] = ()
    # How to mask the value in a report: "phone", "id_number", "name" or "" for no personal data.
    personal: str = ""
    example: Any = ""
    note: str = ""


@dataclass(frozen=True)
class Spec:
    """The columns of one kind of import and the columns that identify a row."""

    kind: str
    title: str
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...]
    key_label: str

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


def _norm(value: Any) -> str:
    """Compare names as people mean them: full-width digits and letters folded, case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).casefold()


def _choice_map(choice_class: Any, chinese: dict[str, str]) -> dict[str, str]:
    """Codes and Chinese labels (including common synonyms), all normalised, → code."""
    mapping = {_norm(value): value for value in choice_class.values}
    mapping.update({_norm(label): code for label, code in chinese.items()})
    return mapping


# Chinese labels are the file format (what property offices write), so they are literals here, not translations.
UNIT_STATUS_LABELS = {
    "自住": UnitStatus.OCCUPIED,
    "出租": UnitStatus.RENTED,
    "空置": UnitStatus.VACANT,
    "装修中": UnitStatus.DECORATING,
    "未交付": UnitStatus.UNDELIVERED,
}
UNIT_STATUS_SYNONYMS = {"已入住": UnitStatus.OCCUPIED, "入住": UnitStatus.OCCUPIED, "装修": UnitStatus.DECORATING}
RELATION_LABELS = {"业主": Relation.OWNER, "租户": Relation.TENANT, "家属": Relation.FAMILY}
RELATION_SYNONYMS = {
    "户主": Relation.OWNER,
    "产权人": Relation.OWNER,
    "房主": Relation.OWNER,
    "租客": Relation.TENANT,
    "承租人": Relation.TENANT,
    "家庭成员": Relation.FAMILY,
    "成员": Relation.FAMILY,
}
TAG_LABELS = {
    "独居老人": ResidentTag.ELDERLY_ALONE,
    "高龄老人": ResidentTag.ELDERLY,
    "残疾人": ResidentTag.DISABILITY,
    "困难家庭": ResidentTag.HARDSHIP,
    "留守儿童": ResidentTag.LEFT_BEHIND_CHILD,
    "优抚对象": ResidentTag.SPECIAL_CARE,
    "党员": ResidentTag.PARTY_MEMBER,
    "志愿者": ResidentTag.VOLUNTEER,
}
TAG_SYNONYMS = {
    "空巢老人": ResidentTag.ELDERLY_ALONE,
    "老年人": ResidentTag.ELDERLY,
    "残障人士": ResidentTag.DISABILITY,
    "低保户": ResidentTag.HARDSHIP,
    "低保": ResidentTag.HARDSHIP,
    "退役军人": ResidentTag.SPECIAL_CARE,
    "军属": ResidentTag.SPECIAL_CARE,
    "共产党员": ResidentTag.PARTY_MEMBER,
}
TAG_SEPARATORS = re.compile(r"[、,;，；/|\s]+")

PROJECT_COLUMN = Column(
    "project", "项目", aliases=("小区", "项目名称", "小区名称"), note="可不填；填写时必须与导入时选择的项目名称一致。"
)
BUILDING_COLUMN = Column(
    "building",
    "楼栋",
    is_required=True,
    aliases=("楼号", "楼栋名称", "楼宇"),
    max_length=50,
    example="3号楼",
    note="必填。必须是本项目已有的楼栋名称；只写数字时按“N号楼”查找。",
)
ENTRANCE_COLUMN = Column(
    "entrance", "单元", aliases=("单元号",), max_length=10, example="2", note="不填视为 1 单元；“2单元”与“2”相同。"
)
ROOM_COLUMN = Column(
    "room", "房号", is_required=True, aliases=("房间号", "室号", "门牌号"), max_length=20, example="301", note="必填。"
)

BUILDINGS = Spec(
    kind=ImportKind.BUILDINGS,
    title="楼栋",
    key_columns=("name",),
    key_label="楼栋",
    columns=(
        PROJECT_COLUMN,
        Column(
            "name",
            "楼栋",
            is_required=True,
            aliases=("楼栋名称", "楼号", "building"),
            max_length=50,
            example="3号楼",
            note="必填，同一项目内不重复；按名称更新已有楼栋。",
        ),
        Column(
            "floors_above", "地上层数", ColumnType.INT, min_value=1, max_value=200, example=18, note="1–200，不填为 1。"
        ),
        Column("floors_below", "地下层数", ColumnType.INT, min_value=0, max_value=20, example=2, note="0–20。"),
        Column("entrances", "单元数", ColumnType.INT, min_value=1, max_value=50, example=2, note="1–50，不填为 1。"),
        Column("elevator_count", "电梯数", ColumnType.INT, min_value=0, max_value=200, example=4, note="0–200。"),
        Column("completed_year", "竣工年份", ColumnType.YEAR, example=2015, note="四位年份，如 2015。"),
        Column(
            "floor_area",
            "建筑面积",
            ColumnType.DECIMAL,
            min_value=Decimal(0),
            max_value=Decimal("999999999.99"),
            example=Decimal("12000.50"),
            note="平方米，最多两位小数。",
        ),
    ),
)

UNITS = Spec(
    kind=ImportKind.UNITS,
    title="房屋",
    key_columns=("building", "entrance", "room"),
    key_label="楼栋、单元和房号",
    columns=(
        PROJECT_COLUMN,
        BUILDING_COLUMN,
        ENTRANCE_COLUMN,
        Column(
            "floor",
            "楼层",
            ColumnType.INT,
            min_value=-20,
            max_value=200,
            example=3,
            note="-20–200；不填时从房号读出（301 → 3 层，1502 → 15 层）。",
        ),
        ROOM_COLUMN,
        Column(
            "area",
            "面积",
            ColumnType.DECIMAL,
            aliases=("建筑面积", "房屋面积"),
            min_value=Decimal(0),
            max_value=Decimal("999999.99"),
            example=Decimal("89.50"),
            note="平方米，最多两位小数。",
        ),
        Column(
            "status",
            "状态",
            ColumnType.CHOICE,
            aliases=("房屋状态",),
            choices=_choice_map(UnitStatus, {**UNIT_STATUS_LABELS, **UNIT_STATUS_SYNONYMS}),
            choice_labels=tuple(UNIT_STATUS_LABELS),
            example="自住",
            note="自住、出租、空置、装修中、未交付（或英文代码 occupied、rented、vacant、decorating、undelivered）；不填为自住。",
        ),
    ),
)

RESIDENTS = Spec(
    kind=ImportKind.RESIDENTS,
    title="住户",
    key_columns=("building", "entrance", "room", "person"),
    key_label="住户（同一房屋内的身份证号、手机或姓名）",
    columns=(
        PROJECT_COLUMN,
        BUILDING_COLUMN,
        ENTRANCE_COLUMN,
        ROOM_COLUMN,
        Column(
            "name",
            "姓名",
            is_required=True,
            aliases=("住户姓名", "业主姓名"),
            max_length=50,
            personal="name",
            example="张三",
            note="必填。",
        ),
        Column(
            "phone",
            "手机",
            ColumnType.PHONE,
            aliases=("手机号", "手机号码", "电话", "联系电话"),
            personal="phone",
            example="13800000000",
            note="11 位手机号，或带区号的固定电话（0531-88888888）。",
        ),
        Column(
            "id_number",
            "身份证号",
            ColumnType.ID_NUMBER,
            aliases=("身份证号码", "证件号码", "身份证"),
            personal="id_number",
            example="11010519491231002X",
            note="18 位居民身份证号，校验位按 GB 11643 检查；请把该列设为文本格式。",
        ),
        Column(
            "relation",
            "关系",
            ColumnType.CHOICE,
            aliases=("与业主关系", "身份", "住户类型"),
            choices=_choice_map(Relation, {**RELATION_LABELS, **RELATION_SYNONYMS}),
            choice_labels=tuple(RELATION_LABELS),
            example="业主",
            note="业主、租户、家属（或 owner、tenant、family）；不填为业主。",
        ),
        Column(
            "tags",
            "标签",
            ColumnType.TAGS,
            aliases=("人员标签", "特殊人群"),
            choices=_choice_map(ResidentTag, {**TAG_LABELS, **TAG_SYNONYMS}),
            choice_labels=tuple(TAG_LABELS),
            example="独居老人、党员",
            note="用顿号、逗号或分号分隔：" + "、".join(TAG_LABELS) + "。",
        ),
        Column(
            "birth_year",
            "出生年份",
            ColumnType.YEAR,
            example=1949,
            note="四位年份；不填时从身份证号读出。",
        ),
        Column("moved_in_on", "入住日期", ColumnType.DATE, example=dt.date(2015, 6, 1), note="如 2015-06-01。"),
        Column("note", "备注", max_length=200, example="", note="最多 200 字。"),
    ),
)

SPECS: dict[str, Spec] = {spec.kind: spec for spec in (BUILDINGS, UNITS, RESIDENTS)}


# 2. Parsing


class CellError(ValueError):
    """A cell's value cannot be used; the message says why."""


@dataclass
class RowIssue:
    """One problem in the file: spreadsheet row number (0 for the file as a whole), column, masked value, reason."""

    row: int
    column: str
    value: str
    message: str
    level: str = "error"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "level": self.level,
        }


@dataclass
class ParsedRow:
    """The converted values of one data row; only columns present in the file and filled in are in ``values``."""

    number: int
    values: dict[str, Any]
    key: tuple[Any, ...] = ()


@dataclass
class ParsedTable:
    """What parsing a file gave: the good rows, the bad rows' issues, warnings about the header."""

    header_row: int
    columns: list[str]
    rows: list[ParsedRow]
    issues: list[RowIssue]
    warnings: list[RowIssue]
    rows_total: int

    @property
    def failed_rows(self) -> set[int]:
        return {issue.row for issue in self.issues}


def _header_variants(value: Any) -> list[str]:
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("*", "").replace("_", "")
    variants = [_norm(text)]
    match = re.match(r"^(.*?)\s*\((.*?)\)\s*$", text)
    if match:
        # "楼栋 (building)", "建筑面积(㎡)": either part may be the name.
        variants += [_norm(match.group(1)), _norm(match.group(2))]
    return [variant for variant in variants if variant]


def _header_lookup(spec: Spec) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in spec.columns:
        for name in (column.key, column.label, *column.aliases):
            lookup.setdefault(_norm(name.replace("_", "")), column.key)
            lookup.setdefault(_norm(name), column.key)
    return lookup


def _match_header(lookup: dict[str, str], cell: Any) -> str | None:
    if is_blank(cell):
        return None
    for variant in _header_variants(cell):
        if variant in lookup:
            return lookup[variant]
    return None


def _find_header(spec: Spec, table: Table) -> tuple[int, list[Any]]:
    """The row among the first few with the most recognised column names."""
    lookup = _header_lookup(spec)
    best_index, best_count = -1, 0
    for index, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        count = sum(1 for cell in cells if _match_header(lookup, cell))
        if count > best_count:
            best_index, best_count = index, count
    if best_index < 0:
        raise UnreadableSpreadsheet(str(NO_HEADER_ROW) % {"rows": HEADER_SEARCH_ROWS})
    return best_index, table.rows[best_index][1]


def parse_table(spec: Spec, table: Table, *, project_name: str = "") -> ParsedTable:
    """Match the header, convert every cell and find duplicate keys; file-level problems raise
    :class:`UnreadableSpreadsheet`, row-level problems become issues."""
    if not table.rows:
        raise UnreadableSpreadsheet(str(NO_DATA_ROWS))
    lookup = _header_lookup(spec)
    header_index, header = _find_header(spec, table)
    header_number = table.rows[header_index][0]
    positions: dict[int, str] = {}
    warnings: list[RowIssue] = []
    for position, cell in enumerate(header):
        key = _match_header(lookup, cell)
        if key is None:
            if not is_blank(cell):
                warnings.append(RowIssue(header_number, str(cell)[:50], "", str(UNKNOWN_COLUMN), "warning"))
            continue
        if key in positions.values():
            warnings.append(RowIssue(header_number, str(cell)[:50], "", str(REPEATED_COLUMN), "warning"))
            continue
        positions[position] = key
    missing = [column.label for column in spec.columns if column.is_required and column.key not in positions.values()]
    if missing:
        raise UnreadableSpreadsheet(str(MISSING_HEADERS) % {"columns": "、".join(missing)})

    data = table.rows[header_index + 1 :]
    # A second header row (English keys under Chinese labels) is skipped, not reported as bad data.
    if data and sum(1 for cell in data[0][1] if _match_header(lookup, cell)) >= max(2, len(positions) // 2):
        data = data[1:]
    if not data:
        raise UnreadableSpreadsheet(str(NO_DATA_ROWS))
    if len(data) > MAX_DATA_ROWS:
        raise UnreadableSpreadsheet(str(TOO_MANY_DATA_ROWS) % {"count": len(data), "limit": MAX_DATA_ROWS})

    rows: list[ParsedRow] = []
    issues: list[RowIssue] = []
    for number, cells in data:
        if _is_example_row(spec, cells, positions):
            warnings.append(RowIssue(number, "", "", str(EXAMPLE_ROW_SKIPPED), "warning"))
            continue
        row, row_issues = _parse_row(spec, number, cells, positions, project_name)
        issues += row_issues
        if not row_issues:
            rows.append(row)
    issues += _duplicate_issues(spec, rows)
    failed = {issue.row for issue in issues}
    rows = [row for row in rows if row.number not in failed]
    return ParsedTable(
        header_row=header_number,
        columns=[positions[position] for position in sorted(positions)],
        rows=rows,
        issues=issues,
        warnings=warnings,
        rows_total=len(data),
    )


def _is_example_row(spec: Spec, cells: list[Any], positions: dict[int, str]) -> bool:
    """The template's example row, left in by mistake, is not data (it would import 张三 into 3号楼)."""
    compared = 0
    for position, key in positions.items():
        example = spec.column(key).example
        if example == "":
            continue
        raw = cells[position] if position < len(cells) else None
        try:
            if is_blank(raw) or convert(spec.column(key), raw) != convert(spec.column(key), example):
                return False
        except CellError:
            return False
        compared += 1
    return compared >= 2


def _parse_row(
    spec: Spec, number: int, cells: list[Any], positions: dict[int, str], project_name: str
) -> tuple[ParsedRow, list[RowIssue]]:
    values: dict[str, Any] = {}
    issues: list[RowIssue] = []
    for position, key in positions.items():
        column = spec.column(key)
        raw = cells[position] if position < len(cells) else None
        try:
            value = convert(column, raw)
        except CellError as error:
            issues.append(RowIssue(number, column.label, mask_value(column, raw), str(error)))
            continue
        if value is None:
            if column.is_required:
                issues.append(RowIssue(number, column.label, "", str(REQUIRED)))
            continue
        values[key] = value
    project = values.pop("project", None)
    if project is not None and project_name and _norm(project) != _norm(project_name):
        issues.append(
            RowIssue(
                number,
                PROJECT_COLUMN.label,
                str(project)[:50],
                str(WRONG_PROJECT) % {"row": project, "project": project_name},
            )
        )
    if spec.kind in (ImportKind.UNITS, ImportKind.RESIDENTS):
        values["entrance"] = normalise_entrance(values.get("entrance", "1"))
        if "room" in values:
            values["room"] = normalise_room(values["room"])
    if spec.kind == ImportKind.UNITS and "floor" not in values and "room" in values:
        floor = floor_from_room(values["room"])
        if floor is None:
            issues.append(RowIssue(number, spec.column("floor").label, "", str(NO_FLOOR)))
        else:
            values["floor"] = floor
    if spec.kind == ImportKind.RESIDENTS and "birth_year" not in values and values.get("id_number"):
        values["birth_year_from_id"] = int(values["id_number"][6:10])
    row = ParsedRow(number=number, values=values)
    if not issues:
        row.key = row_key(spec, values)
    return row, issues


def row_key(spec: Spec, values: dict[str, Any]) -> tuple[Any, ...]:
    """What identifies the row in the project; two rows of one file with the same key are an error."""
    if spec.kind == ImportKind.BUILDINGS:
        return (_norm(values["name"]),)
    household = (_norm(values["building"]), _norm(values["entrance"]), _norm(values["room"]))
    if spec.kind == ImportKind.UNITS:
        return household
    if values.get("id_number"):
        return (*household, "id", values["id_number"])
    if values.get("phone"):
        return (*household, "phone", values["phone"])
    return (*household, "name", _norm(values["name"]))


def _duplicate_issues(spec: Spec, rows: list[ParsedRow]) -> list[RowIssue]:
    by_key: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for row in rows:
        by_key[row.key].append(row.number)
    issues = []
    for numbers in by_key.values():
        if len(numbers) > 1:
            # Every copy is refused: which of them is right is for the person who made the file to say.
            message = str(DUPLICATE_KEY) % {"key": spec.key_label, "rows": ", ".join(map(str, numbers))}
            issues += [RowIssue(number, spec.key_label, "", message) for number in numbers]
    return issues


def mask_value(column: Column, raw: Any) -> str:
    """The cell as the report shows it: personal data masked, long text cut."""
    text = "" if raw is None else _text(raw)
    if column.personal == "phone":
        return mask_phone(text)
    if column.personal == "id_number":
        return mask_id_number(text)
    if column.personal == "name":
        return mask_name(text)
    return text[:50]


# Cell conversion: each returns the value, None for an empty cell, or raises CellError.


def convert(column: Column, raw: Any) -> Any:
    if is_blank(raw):
        return None
    converter = CONVERTERS[column.type]
    return converter(column, raw)


def _text(raw: Any) -> str:
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    # Control characters (NUL among them, which PostgreSQL refuses) never belong in a register.
    return "".join(char for char in str(raw) if char >= " " or char == "\t").strip()


def _convert_text(column: Column, raw: Any) -> str | None:
    text = " ".join(_text(raw).split())
    if not text:
        return None
    if column.max_length and len(text) > column.max_length:
        raise CellError(str(TOO_LONG) % {"limit": column.max_length})
    return text


def _number_text(raw: Any) -> str:
    text = unicodedata.normalize("NFKC", _text(raw)).replace(",", "").replace(" ", "")
    for unit in ("平方米", "平米", "㎡", "m²", "m2", "层", "部", "个"):
        text = text.removesuffix(unit)
    return text


def _check_range(column: Column, value: int | Decimal) -> None:
    if column.min_value is not None and value < column.min_value:
        raise CellError(str(TOO_SMALL) % {"limit": column.min_value})
    if column.max_value is not None and value > column.max_value:
        raise CellError(str(TOO_LARGE) % {"limit": column.max_value})


def _convert_int(column: Column, raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellError(str(NOT_A_WHOLE_NUMBER))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise CellError(str(NOT_A_WHOLE_NUMBER))
        value = int(raw)
    else:
        text = _number_text(raw)
        if not re.fullmatch(r"[+-]?\d{1,9}(\.0+)?", text):
            raise CellError(str(NOT_A_WHOLE_NUMBER))
        value = int(text.split(".")[0])
    _check_range(column, value)
    return value


def _convert_decimal(column: Column, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(str(NOT_A_NUMBER))
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(str(NOT_A_NUMBER))
        value = Decimal(repr(raw))
    else:
        text = _number_text(raw)
        if len(text) > 24 or not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            raise CellError(str(NOT_A_NUMBER))
        value = Decimal(text)
    # The range comes first: it keeps quantize() below away from numbers too large for the decimal context.
    _check_range(column, value)
    cents = value.quantize(CENT)
    # Excel formula results carry binary noise (89.50000000000001); what a person typed has two decimals.
    if value != cents and not (isinstance(raw, float) and abs(value - cents) < Decimal("1e-6")):
        raise CellError(str(TOO_MANY_DECIMALS))
    return cents


def _convert_year(column: Column, raw: Any) -> int:
    low, high = 1900, timezone.localdate().year + (5 if column.key == "completed_year" else 0)
    text = _number_text(raw).removesuffix("年")
    if isinstance(raw, (dt.date, dt.datetime)):
        value = raw.year
    elif re.fullmatch(r"\d{4}(\.0+)?", text):
        value = int(text[:4])
    else:
        raise CellError(str(NOT_A_YEAR) % {"low": low, "high": high})
    if not low <= value <= high:
        raise CellError(str(NOT_A_YEAR) % {"low": low, "high": high})
    return value


DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# Excel stores dates as days since 1899-12-30 (the 1900 leap-year bug included); a CSV may carry the raw serial.
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _convert_date(column: Column, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool) and 1 <= raw <= 150_000:
        value = EXCEL_EPOCH + dt.timedelta(days=int(raw))
    else:
        text = unicodedata.normalize("NFKC", _text(raw)).split(" ")[0]
        match = DATE_PATTERN.match(text) or (re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text))
        if not match:
            raise CellError(str(NOT_A_DATE))
        try:
            value = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise CellError(str(NOT_A_DATE)) from None
    if not dt.date(1900, 1, 1) <= value <= dt.date(2100, 12, 31):
        raise CellError(str(NOT_A_DATE))
    return value


def _choice_list(column: Column) -> str:
    return "、".join(column.choice_labels)


def _convert_choice(column: Column, raw: Any) -> str:
    code = column.choices.get(_norm(_text(raw)))
    if code is None:
        raise CellError(str(UNKNOWN_CHOICE) % {"choices": _choice_list(column)})
    return code


def _convert_tags(column: Column, raw: Any) -> list[str] | None:
    parts = [part for part in TAG_SEPARATORS.split(unicodedata.normalize("NFKC", _text(raw))) if part]
    if not parts:
        return None
    unknown = [part for part in parts if _norm(part) not in column.choices]
    if unknown:
        raise CellError(str(UNKNOWN_TAGS) % {"tags": "、".join(unknown[:5]), "choices": _choice_list(column)})
    return sorted({column.choices[_norm(part)] for part in parts})


MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$")
THREE_DIGIT_AREA_CODES = re.compile(r"^0(10|2\d)")


def normalise_phone(raw: Any) -> str:
    """A mainland mobile number (11 digits, ``1[3-9]…``) or a landline with area code, in one canonical spelling,
    so that the same number always gives the same blind index; raises :class:`CellError` otherwise."""
    text = unicodedata.normalize("NFKC", _text(raw))
    text = re.sub(r"[\s()（）]", "", text)
    compact = text.replace("-", "")
    for prefix in ("+86", "0086", "86"):
        if compact.startswith(prefix) and len(compact) == len(prefix) + 11:
            compact = compact[len(prefix) :]
            break
    if MOBILE.match(compact):
        return compact
    match = LANDLINE.match(text)
    if match:
        area, number, extension = match.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    if re.fullmatch(r"0\d{9,11}", compact):
        # No separator: Beijing, Tianjin, Shanghai, Chongqing and the 02x cities have 3-digit area codes.
        split = 3 if THREE_DIGIT_AREA_CODES.match(compact) else 4
        number = compact[split:]
        if 7 <= len(number) <= 8:
            return f"{compact[:split]}-{number}"
    raise CellError(str(BAD_PHONE))


def _convert_phone(column: Column, raw: Any) -> str:
    return normalise_phone(raw)


# GB 11643-1999: weights 2^(17-i) mod 11 for the first 17 digits; the remainder of the sum picks the check character.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"


def id_number_check_character(first_17: str) -> str:
    return ID_CHECK_CHARACTERS[
        sum(int(digit) * weight for digit, weight in zip(first_17, ID_WEIGHTS, strict=True)) % 11
    ]


def id_number_problem(value: str) -> str | None:
    """Why an 18-character PRC resident ID number is invalid (GB 11643), or None when it is valid."""
    if len(value) == 15 and value.isdigit():
        return str(ID_OLD_FORMAT)
    if len(value) != 18:
        return str(ID_LENGTH)
    if not (value[:17].isdigit() and value[:17].isascii() and (value[17].isdigit() or value[17] == "X")):
        return str(ID_CHARACTERS)
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return str(ID_BIRTH_DATE)
    if not dt.date(1900, 1, 1) <= birth <= timezone.localdate():
        return str(ID_BIRTH_DATE)
    if id_number_check_character(value[:17]) != value[17]:
        return str(ID_CHECK_DIGIT)
    return None


def _convert_id_number(column: Column, raw: Any) -> str:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        # Excel keeps 15 significant digits; an 18-digit number typed into a number cell is already damaged.
        raise CellError(str(ID_AS_NUMBER))
    value = "".join(unicodedata.normalize("NFKC", _text(raw)).split()).upper()
    problem = id_number_problem(value)
    if problem:
        raise CellError(problem)
    return value


CONVERTERS: dict[str, Callable[[Column, Any], Any]] = {
    ColumnType.TEXT: _convert_text,
    ColumnType.INT: _convert_int,
    ColumnType.DECIMAL: _convert_decimal,
    ColumnType.YEAR: _convert_year,
    ColumnType.DATE: _convert_date,
    ColumnType.CHOICE: _convert_choice,
    ColumnType.TAGS: _convert_tags,
    ColumnType.PHONE: _convert_phone,
    ColumnType.ID_NUMBER: _convert_id_number,
}


def normalise_entrance(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = text.removeprefix("第").removesuffix("单元").strip()
    return text or "1"


def normalise_room(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip().removesuffix("室").removesuffix("号").strip()


def floor_from_room(room: str) -> int | None:
    """Chinese room numbers put the floor before the last two digits: 301 is on floor 3, 1502 on floor 15."""
    if re.fullmatch(r"\d{3,4}", room) and int(room[:-2]) > 0:
        return int(room[:-2])
    return None


# 3. Planning and writing: the project's existing rows are loaded once; rows become creates and updates in memory.


@dataclass
class Plan:
    """What an import would do: new objects, changed objects and their changed fields, tag changes."""

    model: type[Any]
    creates: list[Any] = field(default_factory=list)
    updates: list[Any] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    unchanged: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    tags_to_add: list[tuple[Resident, str]] = field(default_factory=list)
    tagging_ids_to_remove: list[int] = field(default_factory=list)

    def write(self) -> None:
        """Bulk writes: a few queries per 500 rows, none per row."""
        self.model.objects.bulk_create(self.creates, batch_size=BATCH_SIZE)
        if self.updates:
            now = timezone.now()
            for obj in self.updates:
                # bulk_update() does not run auto_now; the registry still shows when a row last changed.
                obj.updated_at = now
            fields = sorted(self.changed_fields | {"updated_at"})
            self.model.objects.bulk_update(self.updates, fields, batch_size=BATCH_SIZE)
        if self.tagging_ids_to_remove:
            ResidentTagging.objects.filter(pk__in=self.tagging_ids_to_remove).delete()
        if self.tags_to_add:
            # Built only now: new residents have their primary keys after bulk_create().
            taggings = [ResidentTagging(resident_id=resident.pk, tag=tag) for resident, tag in self.tags_to_add]
            ResidentTagging.objects.bulk_create(taggings, batch_size=BATCH_SIZE)


def _assign(obj: Any, values: dict[str, Any], plan: Plan) -> bool:
    changed = {name for name, value in values.items() if getattr(obj, name) != value}
    for name in changed:
        setattr(obj, name, values[name])
    plan.changed_fields |= changed
    return bool(changed)


def _record(plan: Plan, obj: Any, *, is_new: bool, is_changed: bool) -> None:
    if is_new:
        plan.creates.append(obj)
    elif is_changed:
        plan.updates.append(obj)
    else:
        plan.unchanged += 1


BUILDING_VALUE_FIELDS = ("floors_above", "floors_below", "entrances", "elevator_count", "completed_year", "floor_area")
UNIT_VALUE_FIELDS = ("floor", "area", "status")
RESIDENT_VALUE_FIELDS = ("name", "relation", "birth_year", "moved_in_on", "note")


def _buildings_by_name(project: Project) -> dict[str, Building]:
    return {_norm(building.name): building for building in Building.objects.filter(project=project)}


def _find_building(buildings: dict[str, Building], name: str) -> Building | None:
    # “3” finds “3号楼”: registers often hold the number only.
    return buildings.get(_norm(name)) or (buildings.get(_norm(f"{name}号楼")) if name.isdigit() else None)


def _unit_key(building_id: int, entrance: str, room: str) -> tuple[int, str, str]:
    return building_id, _norm(normalise_entrance(entrance)), _norm(normalise_room(room))


def _plan_buildings(project: Project, rows: list[ParsedRow]) -> Plan:
    plan = Plan(Building)
    existing = _buildings_by_name(project)
    for row in rows:
        values = {name: row.values[name] for name in BUILDING_VALUE_FIELDS if name in row.values}
        building = existing.get(_norm(row.values["name"]))
        if building is None:
            building = Building(project=project, name=row.values["name"], **values)
            existing[_norm(building.name)] = building
            _record(plan, building, is_new=True, is_changed=False)
        else:
            _record(plan, building, is_new=False, is_changed=_assign(building, values, plan))
    return plan


def _household_for(
    spec: Spec, row: ParsedRow, buildings: dict[str, Building], plan: Plan
) -> tuple[Building | None, tuple[int, str, str] | None]:
    building = _find_building(buildings, row.values["building"])
    if building is None:
        message = str(NO_BUILDING) % {"name": row.values["building"]}
        plan.issues.append(RowIssue(row.number, spec.column("building").label, row.values["building"][:50], message))
        return None, None
    return building, _unit_key(building.pk, row.values["entrance"], row.values["room"])


def _plan_units(project: Project, rows: list[ParsedRow]) -> Plan:
    plan = Plan(Unit)
    buildings = _buildings_by_name(project)
    existing = {
        _unit_key(unit.building_id, unit.entrance, unit.room): unit
        for unit in Unit.objects.filter(building__project=project)
    }
    for row in rows:
        building, key = _household_for(UNITS, row, buildings, plan)
        if building is None or key is None:
            continue
        values = {name: row.values[name] for name in UNIT_VALUE_FIELDS if name in row.values}
        unit = existing.get(key)
        if unit is None:
            unit = Unit(building=building, entrance=row.values["entrance"], room=row.values["room"], **values)
            existing[key] = unit
            _record(plan, unit, is_new=True, is_changed=False)
        else:
            _record(plan, unit, is_new=False, is_changed=_assign(unit, values, plan))
    return plan


def _match_resident(candidates: list[Resident], new: Resident, claimed: set[int]) -> Resident | None:
    """The existing resident of the household this row describes: same ID number, else same phone, else same
    name — never one whose ID number differs, and never one already matched by another row of the file."""
    free = [resident for resident in candidates if resident.pk not in claimed]
    if new.id_number_index:
        for resident in free:
            if resident.id_number_index == new.id_number_index:
                return resident
    compatible = [
        resident
        for resident in free
        if not (resident.id_number_index and new.id_number_index and resident.id_number_index != new.id_number_index)
    ]
    if new.phone_index:
        for resident in compatible:
            if resident.phone_index == new.phone_index:
                return resident
    for resident in compatible:
        if _norm(resident.name) == _norm(new.name):
            return resident
    return None


def _plan_residents(project: Project, rows: list[ParsedRow]) -> Plan:
    plan = Plan(Resident)
    buildings = _buildings_by_name(project)
    units = {
        _unit_key(unit.building_id, unit.entrance, unit.room): unit
        for unit in Unit.objects.filter(building__project=project)
    }
    by_unit: dict[int, list[Resident]] = defaultdict(list)
    for resident in Resident.objects.filter(unit__building__project=project).order_by("pk"):
        by_unit[resident.unit_id].append(resident)
    tags_of: dict[int, dict[str, int]] = defaultdict(dict)
    taggings = ResidentTagging.objects.filter(resident__unit__building__project=project)
    for tagging_id, resident_id, tag in taggings.values_list("pk", "resident_id", "tag"):
        tags_of[resident_id][tag] = tagging_id
    claimed: set[int] = set()
    for row in rows:
        building, key = _household_for(RESIDENTS, row, buildings, plan)
        if building is None or key is None:
            continue
        unit = units.get(key)
        if unit is None:
            label = f"{building.name}{row.values['entrance']}单元{row.values['room']}"
            plan.issues.append(
                RowIssue(row.number, ROOM_COLUMN.label, row.values["room"][:50], str(NO_UNIT) % {"label": label})
            )
            continue
        values = row.values
        candidate = Resident(
            unit=unit, name=values["name"], phone=values.get("phone", ""), id_number=values.get("id_number", "")
        )
        resident_fill_indexes(candidate)
        existing = _match_resident(by_unit[unit.pk], candidate, claimed)
        fields = {name: values[name] for name in RESIDENT_VALUE_FIELDS if name in values}
        if existing is None:
            for name, value in fields.items():
                setattr(candidate, name, value)
            if candidate.birth_year is None and "birth_year_from_id" in values:
                candidate.birth_year = values["birth_year_from_id"]
            by_unit[unit.pk].append(candidate)
            plan.tags_to_add += [(candidate, tag) for tag in values.get("tags", [])]
            _record(plan, candidate, is_new=True, is_changed=False)
            continue
        claimed.add(existing.pk)
        if existing.birth_year is None and "birth_year_from_id" in values and "birth_year" not in fields:
            fields["birth_year"] = values["birth_year_from_id"]
        is_changed = _assign(existing, fields, plan)
        # Phone and ID number are compared by their keyed digests: equal digests mean equal normalised values.
        for name, index in (("phone", "phone_index"), ("id_number", "id_number_index")):
            if name in values and getattr(candidate, index) != getattr(existing, index):
                setattr(existing, name, values[name])
                plan.changed_fields |= {name, "phone_index", "id_number_index"}
                is_changed = True
        if is_changed:
            resident_fill_indexes(existing)
        if "tags" in values:
            current = tags_of.get(existing.pk, {})
            wanted = set(values["tags"])
            if wanted != set(current):
                plan.tagging_ids_to_remove += [pk for tag, pk in current.items() if tag not in wanted]
                plan.tags_to_add += [(existing, tag) for tag in sorted(wanted - set(current))]
                is_changed = True
        _record(plan, existing, is_new=False, is_changed=is_changed)
    return plan


PLANNERS: dict[str, Callable[[Project, list[ParsedRow]], Plan]] = {
    ImportKind.BUILDINGS: _plan_buildings,
    ImportKind.UNITS: _plan_units,
    ImportKind.RESIDENTS: _plan_residents,
}


# 4. The service


@dataclass
class ImportResult:
    """The report of one import: counts, row errors and header warnings. Counts are what the import did, or — for a
    dry run or a refused commit (``is_written`` false) — what it would do."""

    project_id: int
    kind: str
    file_name: str
    is_dry_run: bool
    is_written: bool
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    issues_left_off: int = 0
    run_id: int | None = None

    @property
    def is_refused(self) -> bool:
        """A commit that wrote nothing because some rows had errors."""
        return not self.is_dry_run and not self.is_written

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "project_id": self.project_id,
            "kind": self.kind,
            "file_name": self.file_name,
            "is_dry_run": self.is_dry_run,
            "is_written": self.is_written,
            "rows_total": self.rows_total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
            "issues_left_off": self.issues_left_off,
        }


def _clean_file_name(file_name: str) -> str:
    name = os.path.basename(str(file_name).replace("\\", "/"))
    return "".join(char for char in name if char >= " ")[:200] or "upload"


def estates_import(
    *,
    actor: Any,
    project_id: int,
    kind: str,
    file_name: str,
    content: bytes,
    dry_run: bool = True,
    only_valid_rows: bool = False,
) -> ImportResult:
    """Import buildings, households or residents of one project from a spreadsheet, reporting every bad row.

    A dry run writes only the :class:`ImportRun` log row. A commit writes every row or none (one transaction),
    unless ``only_valid_rows``, which writes the good rows and reports the others. File-level problems (not a
    spreadsheet, missing required columns, too many rows) raise :class:`UnreadableSpreadsheet`.
    """
    scope = scope_for_user(actor)
    project = selectors.project_get_for_user(scope, project_id)
    if not (scope.has(IMPORT_ESTATES) and scope.can_write_project(project.pk, project.company_id)):
        raise PermissionDenied(READ_ONLY)
    spec = SPECS.get(str(kind))
    if spec is None:
        raise ValidationFailed({"kind": [str(UNKNOWN_KIND)]})
    table = read_table(
        content,
        max_rows=MAX_DATA_ROWS + HEADER_SEARCH_ROWS + 2,
        max_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024,
    )
    parsed = parse_table(spec, table, project_name=project.name)
    file_name = _clean_file_name(file_name)
    try:
        with transaction.atomic():
            if not dry_run:
                # Two imports into one project run one after the other (PostgreSQL; SQLite serialises writes anyway).
                list(Project.objects.select_for_update().filter(pk=project.pk).values_list("pk"))
            plan = PLANNERS[spec.kind](project, parsed.rows)
            issues = sorted(parsed.issues + plan.issues, key=lambda issue: issue.row)
            failed = len({issue.row for issue in issues})
            is_written = not dry_run and (failed == 0 or only_valid_rows)
            if is_written:
                plan.write()
            result = ImportResult(
                project_id=project.pk,
                kind=str(spec.kind),
                file_name=file_name,
                is_dry_run=dry_run,
                is_written=is_written,
                rows_total=parsed.rows_total,
                created=len(plan.creates),
                updated=len(plan.updates),
                unchanged=plan.unchanged,
                failed=failed,
                errors=issues[:MAX_REPORTED_ISSUES],
                warnings=parsed.warnings,
                issues_left_off=max(0, len(issues) - MAX_REPORTED_ISSUES),
            )
            result.run_id = _log(actor, project, result).pk
            if is_written:
                audit.record(
                    actor,
                    "estates.import",
                    project,
                    {
                        "kind": spec.kind,
                        "run": result.run_id,
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                        "failed": result.failed,
                    },
                )
    except IntegrityError:
        raise Conflict(str(CONCURRENT_CHANGE)) from None
    return result


def _log(actor: Any, project: Project, result: ImportResult) -> ImportRun:
    """The ImportRun row records what happened: a refused commit created and updated nothing."""
    wrote = result.is_written or result.is_dry_run
    return ImportRun.objects.create(
        project=project,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=result.kind,
        file_name=result.file_name,
        is_dry_run=result.is_dry_run,
        rows_total=result.rows_total,
        rows_created=result.created if wrote else 0,
        rows_updated=result.updated if wrote else 0,
        rows_unchanged=result.unchanged if wrote else 0,
        rows_failed=result.failed,
        errors=[issue.as_dict() for issue in result.warnings + result.errors],
    )


def result_from_run(run: ImportRun) -> ImportResult:
    """The report of a logged run, for the history pages."""
    issues = [RowIssue(**issue) for issue in run.errors if isinstance(issue, dict)]
    return ImportResult(
        project_id=run.project_id,
        kind=run.kind,
        file_name=run.file_name,
        is_dry_run=run.is_dry_run,
        is_written=not run.is_dry_run and (run.rows_created + run.rows_updated + run.rows_unchanged > 0),
        rows_total=run.rows_total,
        created=run.rows_created,
        updated=run.rows_updated,
        unchanged=run.rows_unchanged,
        failed=run.rows_failed,
        errors=[issue for issue in issues if issue.level == "error"],
        warnings=[issue for issue in issues if issue.level != "error"],
        run_id=run.pk,
    )


# 5. Templates and the error report


GENERAL_INSTRUCTIONS = (
    "填写说明",
    "1. 第一行是表头，请勿修改列名；列的顺序可以调整，不需要的非必填列可以删除。带 * 的列必填。",
    "2. 第二行是示例，导入前请删除（原样保留的示例行会被跳过）。空行会被跳过。",
    "3. 一次最多导入 20000 行；文件可以是 .xlsx，也可以是 UTF-8 或 GB18030（Excel 默认）编码的 .csv。",
    "4. 导入顺序：先导入楼栋，再导入房屋，最后导入住户；房屋和住户所在的楼栋、房屋必须已经存在。",
    "5. 再次导入同一文件不会产生重复：楼栋按名称、房屋按“楼栋+单元+房号”、住户按同一房屋内的身份证号（没有则手机号，再没有则姓名）更新。",
    "6. 更新已有记录时，空白单元格不会清除原有内容。",
    "7. 建议先勾选“试导入”检查，系统会逐行列出错误（行号、列、原因）；全部正确后再正式导入。",
    "8. 手机号、身份证号属于个人信息，仅用于物业服务，请妥善保管本文件。",
)


def template_file_name(kind: str) -> str:
    return f"haofuwu-{kind}-template.xlsx"


def import_template(kind: str) -> bytes:
    """The Chinese template of one kind: header row with notes, an example row, drop-down lists, and a 说明 sheet."""

    spec = SPECS[kind]
    columns = [column for column in spec.columns if column.key != "project"]
    header = [column.label + ("*" if column.is_required else "") for column in columns]
    example = [column.example for column in columns]
    notes = {index: f"{column.key}\n{column.note}" for index, column in enumerate(columns) if column.note}
    choice_lists: dict[int, Sequence[str]] = {
        index: column.choice_labels
        for index, column in enumerate(columns)
        if column.type == ColumnType.CHOICE and column.choice_labels
    }
    text_columns = [
        index
        for index, column in enumerate(columns)
        if column.type in (ColumnType.TEXT, ColumnType.PHONE, ColumnType.ID_NUMBER)
    ]
    widths = [max(12, len(column.label) * 3, len(str(column.example)) + 4) for column in columns]
    data = Sheet(
        title=spec.title,
        rows=[header, example],
        column_widths=widths,
        choice_lists=choice_lists,
        text_columns=text_columns,
        header_notes=notes,
    )
    instructions = [[line] for line in GENERAL_INSTRUCTIONS]
    instructions += [[], ["列名", "英文列名", "必填", "说明"]]
    instructions += [
        [column.label, column.key, "是" if column.is_required else "", column.note] for column in spec.columns
    ]
    guide = Sheet(title="说明", rows=instructions, header_rows=0, column_widths=[14, 16, 8, 90])
    return write_xlsx([data, guide])


def error_report(issues: list[dict[str, Any]]) -> bytes:
    """The issues of a run as a workbook a clerk can work through next to the original file."""

    header = [_("Row"), _("Column"), _("Value"), _("Reason"), _("Level")]
    levels = {"error": _("Error"), "warning": _("Warning")}
    rows = [
        [
            issue.get("row") or "",
            issue.get("column", ""),
            issue.get("value", ""),
            issue.get("message", ""),
            levels.get(issue.get("level", "error"), ""),
        ]
        for issue in issues
    ]
    return write_xlsx([Sheet(title=_("Errors"), rows=[header, *rows], column_widths=[8, 16, 24, 80, 10])])
