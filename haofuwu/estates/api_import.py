"""API of spreadsheet import and export: upload with a dry run and a row-level report, templates, exports."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile

from haofuwu.core.api_types import ErrorOut, ObjectId, PageIn, PageOut, paginate
from haofuwu.core.errors import NOT_FOUND, NotFound
from haofuwu.core.scoping import Scope
from haofuwu.estates import exporting, importing, selectors
from haofuwu.estates.choices import ImportKind
from haofuwu.estates.models import ImportRun
from haofuwu.estates.spreadsheets import (
    CSV_CONTENT_TYPE,
    FILE_TOO_LARGE,
    XLSX_CONTENT_TYPE,
    UnreadableSpreadsheet,
)

router = Router(tags=["import"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _binary(*content_types: str) -> dict[str, Any]:
    """OpenAPI description of a file download, so that clients (and schemathesis) know what 200 returns."""
    schema = {"type": "string", "format": "binary"}
    content = {content_type.split(";")[0]: {"schema": schema} for content_type in content_types}
    return {"responses": {200: {"description": "The file.", "content": content}}}


class ImportIssueOut(Schema):
    row: int = Field(..., description="Row number as the spreadsheet shows it; the header row for column warnings.")
    column: str
    value: str = Field(..., description="The cell's value, phone, ID number and name masked.")
    message: str


class ImportReportOut(Schema):
    run_id: int | None
    project_id: int
    kind: ImportKind
    file_name: str
    is_dry_run: bool
    is_written: bool = Field(..., description="False for a dry run and for a commit refused because of bad rows.")
    rows_total: int
    created: int
    updated: int
    unchanged: int
    failed: int
    errors: list[ImportIssueOut]
    warnings: list[ImportIssueOut]
    issues_left_off: int = Field(..., description="Errors not listed because the report is capped.")


class ImportRunOut(Schema):
    id: int
    project_id: int
    kind: ImportKind
    file_name: str
    actor: str | None = None
    is_dry_run: bool
    rows_total: int
    rows_created: int
    rows_updated: int
    rows_unchanged: int
    rows_failed: int
    created_at: dt.datetime

    @staticmethod
    def resolve_actor(run: ImportRun) -> str | None:
        return run.actor.get_username() if run.actor else None


class ExportFilter(Schema):
    project: ObjectId | None = None
    format: Literal["xlsx", "csv"] = "xlsx"


@router.post("/projects/{project_id}/imports", response={200: ImportReportOut, **ERRORS})
def import_create(
    request: HttpRequest,
    project_id: ObjectId,
    kind: Form[ImportKind],
    file: File[UploadedFile],
    dry_run: Form[bool] = True,
    only_valid_rows: Form[bool] = False,
):
    """Import buildings, households or residents from an .xlsx or .csv file (multipart).

    A dry run (the default) writes nothing and reports what would change. A commit writes all rows or none, unless
    ``only_valid_rows``. Bad rows are listed with their row number, column, masked value and reason.
    """
    if file.size is not None and file.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
        raise UnreadableSpreadsheet(str(FILE_TOO_LARGE) % {"limit": settings.UPLOAD_MAX_MB})
    result = importing.estates_import(
        actor=request.user,
        project_id=project_id,
        kind=kind,
        file_name=file.name or "",
        content=file.read(),
        dry_run=dry_run,
        only_valid_rows=only_valid_rows,
    )
    return result.as_dict()


@router.get("/projects/{project_id}/imports", response={200: PageOut[ImportRunOut], 404: ErrorOut})
def import_run_list(request: HttpRequest, project_id: ObjectId, page: Query[PageIn]):
    """Earlier imports of a project, newest first."""
    scope = _scope(request)
    selectors.project_get_for_user(scope, project_id)
    runs = selectors.import_run_list_for_user(scope, project_id=project_id).order_by("-created_at", "-pk")
    return paginate(runs, page)


@router.get("/imports/{run_id}", response={200: ImportReportOut, 404: ErrorOut})
def import_run_detail(request: HttpRequest, run_id: ObjectId):
    """The report of an earlier import, errors included."""
    run = selectors.import_run_list_for_user(_scope(request)).filter(pk=run_id).first()
    if run is None:
        raise NotFound(NOT_FOUND)
    return importing.result_from_run(run).as_dict()


@router.get(
    "/imports/templates/{kind}", response={404: ErrorOut, 422: ErrorOut}, openapi_extra=_binary(XLSX_CONTENT_TYPE)
)
def import_template(request: HttpRequest, kind: ImportKind):
    """The Chinese .xlsx template of one kind: headers, an example row, drop-down lists and instructions."""
    return exporting.download_response(
        importing.import_template(kind), XLSX_CONTENT_TYPE, importing.template_file_name(kind)
    )


@router.get(
    "/exports/{kind}",
    response={403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra=_binary(XLSX_CONTENT_TYPE, CSV_CONTENT_TYPE),
)
def export_file(request: HttpRequest, kind: ImportKind, filters: Query[ExportFilter]):
    """Buildings, households or residents as .xlsx or .csv; phone and ID number masked unless the caller's role
    may export personal data."""
    export = exporting.estates_export(
        _scope(request), kind=kind, fmt=filters.format, project_id=filters.project, actor=request.user
    )
    return exporting.download_response(export.content, export.content_type, export.file_name)
