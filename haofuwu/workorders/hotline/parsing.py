"""Parsing the city's export: header matched, cells converted, kind and category guessed — pure."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from haofuwu.estates.spreadsheets import Table, UnreadableSpreadsheet, is_blank
from haofuwu.workorders.choices import Category, Kind
from haofuwu.workorders.hotline.messages import (
    CASE_NUMBER_TOO_LONG,
    CONTENT_CUT,
    DEADLINE_BEFORE_RECEIVED,
    DUPLICATE_CASE,
    IN_THE_FUTURE,
    MISSING_HEADERS,
    NO_DATA_ROWS,
    NO_HEADER_ROW,
    NOT_A_DATETIME,
    REPEATED_COLUMN,
    REQUIRED,
    TOO_MANY_DATA_ROWS,
    UNKNOWN_COLUMN,
)

MAX_DATA_ROWS = 5_000
HEADER_SEARCH_ROWS = 10
TITLE_CHARS = 30
# Field limits of WorkOrder: longer text is cut (content, address) or refused (the case number identifies the case).
MAX_CASE_NUMBER = 40
MAX_DESCRIPTION = 2000
MAX_PUBLIC_AREA = 100
# Project names, addresses and communities shorter than this match far too much text to identify a project.
MIN_KEY_CHARS = 2


def _norm(value: Any) -> str:
    """Compare text as people mean it: full-width digits, letters and dashes folded, case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).casefold()


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
