"""Cell conversion and checks: text, numbers, years, dates, choices, tags, phone and ID numbers (GB 11643)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from haofuwu.core import identifiers
from haofuwu.estates.importing.messages import (
    NOT_A_DATE,
    NOT_A_NUMBER,
    NOT_A_WHOLE_NUMBER,
    NOT_A_YEAR,
    TOO_LARGE,
    TOO_LONG,
    TOO_MANY_DECIMALS,
    TOO_SMALL,
    UNKNOWN_CHOICE,
    UNKNOWN_TAGS,
)
from haofuwu.estates.importing.specs import CENT, TAG_SEPARATORS, Column, ColumnType, _norm
from haofuwu.estates.spreadsheets import is_blank


class CellError(ValueError):
    """A cell's value cannot be used; the message says why."""


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


def normalise_phone(raw: Any) -> str:
    """The phone rule of every door (``core/identifiers.py``); raises :class:`CellError` when it fails."""
    try:
        return identifiers.normalise_phone(raw)
    except identifiers.InvalidIdentifier as error:
        raise CellError(error.message) from None


def _convert_phone(column: Column, raw: Any) -> str:
    return normalise_phone(raw)


# GB 11643-1999: weights 2^(17-i) mod 11 for the first 17 digits; the remainder of the sum picks the check character.
# (Kept for the demo's invented numbers; the import checks numbers with core's rule, which uses python-stdnum.)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"


def id_number_check_character(first_17: str) -> str:
    return ID_CHECK_CHARACTERS[
        sum(int(digit) * weight for digit, weight in zip(first_17, ID_WEIGHTS, strict=True)) % 11
    ]


id_number_problem = identifiers.id_number_problem


def _convert_id_number(column: Column, raw: Any) -> str:
    try:
        return identifiers.normalise_id_number(raw)
    except identifiers.InvalidIdentifier as error:
        raise CellError(error.message) from None


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
