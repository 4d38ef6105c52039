"""API of the 12345 case import: upload a city export, get a row-by-row report (dry run by default)."""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, UploadedFile

from haofuwu.core.api_types import ErrorOut
from haofuwu.estates.spreadsheets import FILE_TOO_LARGE, UnreadableSpreadsheet
from haofuwu.workorders import hotline

router = Router(tags=["12345 hotline"])
ERRORS = {403: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class HotlineImportRowOut(Schema):
    row: int = Field(..., description="Row number as the spreadsheet shows it.")
    case_number: str
    project_id: int | None
    project: str = Field(..., description="The matched project's name, blank when none matched.")
    unit_id: int | None
    unit: str = Field(..., description="The matched household (3号楼2单元301), or only the building.")
    kind: str
    category: str
    status: Literal["created", "exists", "error"] = Field(
        ..., description="created: registered (or, for a dry run or a refused commit, would be)."
    )
    message: str = Field(..., description="Why the row failed, or what matched only partly.")
    work_order_id: int | None


class HotlineImportWarningOut(Schema):
    row: int
    column: str
    message: str


class HotlineImportReportOut(Schema):
    file_name: str
    is_dry_run: bool
    is_written: bool = Field(..., description="False for a dry run and for a commit refused because of bad rows.")
    rows_total: int
    created: int
    exists: int = Field(..., description="Case numbers already registered; skipped, not errors.")
    failed: int
    unit_matched: int = Field(..., description="Created rows matched to a household.")
    project_only: int = Field(..., description="Created rows matched to the project (or a building) only.")
    rows: list[HotlineImportRowOut]
    warnings: list[HotlineImportWarningOut]


@router.post("/hotline-imports", response={200: HotlineImportReportOut, **ERRORS})
def hotline_import_create(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = True,
    only_valid_rows: Form[bool] = False,
):
    """Register 12345 hotline cases from the city's .xlsx or .csv export (multipart).

    Columns 工单编号, 受理时间, 诉求内容, 地址, 办结时限 (or case number, received at, content, address, deadline).
    Each case goes to the project its address names and, when the address spells it, the household. A dry run
    (the default) writes nothing; a commit registers every row or none unless ``only_valid_rows``. Case numbers
    already registered are reported as ``exists``.
    """
    if file.size is not None and file.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
        raise UnreadableSpreadsheet(str(FILE_TOO_LARGE) % {"limit": settings.UPLOAD_MAX_MB})
    result = hotline.hotline_import(
        actor=request.user,
        file_name=file.name or "",
        content=file.read(),
        dry_run=dry_run,
        only_valid_rows=only_valid_rows,
    )
    return result.as_dict()
