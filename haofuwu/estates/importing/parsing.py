"""Parsing a file: headers matched, every cell converted and checked, duplicate keys found — pure, on read rows."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from haofuwu.core.masking import mask_id_number, mask_name, mask_phone
from haofuwu.estates.choices import ImportKind
from haofuwu.estates.importing.cells import (
    CellError,
    _text,
    convert,
    floor_from_room,
    normalise_entrance,
    normalise_room,
)
from haofuwu.estates.importing.messages import (
    DUPLICATE_KEY,
    EXAMPLE_ROW_SKIPPED,
    MISSING_HEADERS,
    NO_DATA_ROWS,
    NO_FLOOR,
    NO_HEADER_ROW,
    REPEATED_COLUMN,
    REQUIRED,
    TOO_MANY_DATA_ROWS,
    UNKNOWN_COLUMN,
    WRONG_PROJECT,
)
from haofuwu.estates.importing.specs import HEADER_SEARCH_ROWS, MAX_DATA_ROWS, PROJECT_COLUMN, Column, Spec, _norm
from haofuwu.estates.spreadsheets import Table, UnreadableSpreadsheet, is_blank


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
