"""The file door: readings from a CSV or XLSX sheet (columns 表号 / 时间 / 读数, or meter / ts / value), with a
downloadable template and a row-level report. The whole file is written in one transaction: a row with an error
is reported by its row number and skipped, the good rows are stored, and nothing is half written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haofuwu.core.errors import ValidationFailed
from haofuwu.energy.ingest.payloads import Rejection
from haofuwu.energy.ingest.service import BULK_BATCH, IngestResult, project_meters, readings_ingest
from haofuwu.estates.spreadsheets import Sheet, is_blank, read_table, write_xlsx

MAX_ROWS = 200_000
HEADERS = {
    "meter": ("表号", "设备编号", "meter", "device", "external_id"),
    "ts": ("时间", "读数时间", "ts", "time", "timestamp"),
    "value": ("读数", "数值", "value", "reading"),
}
MISSING_COLUMNS = gettext_lazy("The first row must name the columns 表号, 时间 and 读数 (or meter, ts, value).")


@dataclass
class FileImportResult:
    """Counts of an imported file and the rejected rows with their row numbers."""

    stored: int = 0
    already_present: int = 0
    rows: int = 0
    errors: list[tuple[int, Rejection]] = field(default_factory=list)


def _columns(header: list[Any]) -> dict[str, int]:
    names = [str(cell).strip().lower() if cell is not None else "" for cell in header]
    found = {}
    for key, aliases in HEADERS.items():
        for index, name in enumerate(names):
            if name in aliases:
                found[key] = index
                break
    if len(found) != len(HEADERS):
        raise ValidationFailed({"file": [str(MISSING_COLUMNS)]})
    return found


def _cell(value: Any, key: str) -> Any:
    if is_blank(value):
        return None
    if key == "ts" and isinstance(value, dt.datetime):
        return value.isoformat()  # a spreadsheet time has no offset: it is read in the configured time zone
    if key == "value" and isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            return value
    if key == "meter" and not isinstance(value, str):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return value.strip() if isinstance(value, str) else value


def readings_import(*, project_id: int, content: bytes, dry_run: bool = False) -> FileImportResult:
    """Read a sheet of readings for a project and store the good rows (or, in a dry run, only check them)."""
    table = read_table(content, max_rows=MAX_ROWS + 1)
    if not table.rows:
        raise ValidationFailed({"file": [str(MISSING_COLUMNS)]})
    columns = _columns(table.rows[0][1])
    numbers = [number for number, _cells in table.rows[1:]]
    readings = [
        {key: _cell(cells[index] if index < len(cells) else None, key) for key, index in columns.items()}
        for _number, cells in table.rows[1:]
    ]
    result = FileImportResult(rows=len(readings))
    meters = project_meters(project_id)
    total = IngestResult()
    with transaction.atomic():
        for start in range(0, len(readings), BULK_BATCH):
            total.add(
                readings_ingest(
                    project_id=project_id,
                    readings=readings[start : start + BULK_BATCH],
                    meters=meters,
                    start_index=start,
                )
            )
        if dry_run:
            transaction.set_rollback(True)
    result.stored, result.already_present = total.stored, total.already_present
    result.errors = [(numbers[rejection.index], rejection) for rejection in total.rejections]
    return result


def template_xlsx(meter_ids: Iterable[str]) -> bytes:
    """A workbook to fill in: the three columns, an example row per meter, and instructions."""
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0, tzinfo=None)
    examples = [[meter, now, 0] for meter in list(meter_ids)[:20]] or [["EM-001", now, 1234.5]]
    instructions = [
        [_("Instructions")],
        [_("表号: the meter's device id as registered in the project.")],
        [_("时间: date and time of the reading (local time, e.g. 2026-03-01 08:15).")],
        [_("读数: the register value of a cumulative meter, or the amount of an interval meter.")],
        [_("The same meter and time twice is stored once; rows with errors are reported and skipped.")],
    ]
    return write_xlsx(
        [
            Sheet(
                title="读数", rows=[["表号", "时间", "读数"], *examples], column_widths=[20, 20, 14], text_columns=[0]
            ),
            Sheet(title="说明", rows=instructions, header_rows=1, column_widths=[90]),
        ]
    )
