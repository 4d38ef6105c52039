"""Row specs: the columns of each kind of import, their Chinese and English headers, types and limits."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from haofuwu.estates.choices import ImportKind, Relation, ResidentTag, UnitStatus

MAX_DATA_ROWS = 20_000
# Header rows may sit below a title row ("某某小区房屋信息表"), as in many registers kept in Excel.
HEADER_SEARCH_ROWS = 10
# A report of every error of a 20,000-row file helps nobody; the first ones show the pattern.
MAX_REPORTED_ISSUES = 2_000
BATCH_SIZE = 500
CENT = Decimal("0.01")


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
