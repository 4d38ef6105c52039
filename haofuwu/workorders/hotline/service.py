"""The ``hotline_import`` service: authorise, plan every row, register the cases, report."""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import DomainError, PermissionDenied
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.estates.spreadsheets import read_table
from haofuwu.workorders import selectors, services
from haofuwu.workorders.choices import Channel, Urgency
from haofuwu.workorders.hotline.matching import ProjectMatch, ProjectRef, UnitRef, match_household, match_project
from haofuwu.workorders.hotline.messages import ALREADY_REGISTERED, MATCHED_BY_CONTENT, NOT_ALLOWED, NOT_YOUR_PROJECT
from haofuwu.workorders.hotline.parsing import (
    HEADER_SEARCH_ROWS,
    MAX_DATA_ROWS,
    MAX_PUBLIC_AREA,
    CaseRow,
    guess_category,
    guess_kind,
    make_title,
    parse_cases,
)
from haofuwu.workorders.models import WorkOrder
from haofuwu.workorders.permissions import manages


class RowStatus:
    CREATED = "created"
    EXISTS = "exists"
    ERROR = "error"


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
    return manages(scope, project_id, company_id) or (
        project_id in scope.project_ids and "customer_service" in scope.trades
    )


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
        transaction.on_commit(partial(_tell_managers, project_id, count))


def _tell_managers(project_id: int, count: int) -> None:
    """One message per project after an import, instead of one per case."""
    services.project_managers_notify(
        project_id=project_id,
        title=ngettext("%(count)d new 12345 case imported", "%(count)d new 12345 cases imported", count)
        % {"count": count},
        link="/work-orders/board/?channel=hotline_12345",
    )
