"""The ``estates_import`` service, its :class:`ImportResult` report and the report of a logged run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from haofuwu.accounts.roles import IMPORT_ESTATES
from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import READ_ONLY, Conflict, PermissionDenied, ValidationFailed
from haofuwu.estates import selectors
from haofuwu.estates.importing.messages import CONCURRENT_CHANGE, UNKNOWN_KIND
from haofuwu.estates.importing.parsing import RowIssue, parse_table
from haofuwu.estates.importing.planning import PLANNERS
from haofuwu.estates.importing.specs import HEADER_SEARCH_ROWS, MAX_DATA_ROWS, MAX_REPORTED_ISSUES, SPECS
from haofuwu.estates.models import ImportRun, Project
from haofuwu.estates.spreadsheets import read_table


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
