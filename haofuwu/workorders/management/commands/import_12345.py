"""``haofuwu import-12345``: register 12345 hotline cases from the city's spreadsheet export, dry run by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haofuwu.accounts.selectors import command_actor
from haofuwu.core.errors import DomainError, NotFound
from haofuwu.workorders.hotline import HotlineImportResult, hotline_import

BAD_ARGUMENTS = 2


def resolve_actor(username: str | None) -> Any:
    """The user the command acts as (see ``accounts.selectors.command_actor``); exit code 2 when there is none."""
    try:
        return command_actor(username)
    except NotFound as error:
        raise CommandError(error.message, returncode=BAD_ARGUMENTS) from None


def report_lines(result: HotlineImportResult) -> list[str]:
    """The report as plain lines: a summary, then one line per row that failed or matched only partly."""
    report = result.as_dict()
    mode = "dry run" if result.is_dry_run else ("imported" if result.is_written else "refused, nothing written")
    lines = [
        f"12345 cases from {result.file_name} ({mode}): {report['rows_total']} rows, {report['created']} created "
        f"({report['unit_matched']} matched to a household, {report['project_only']} to the project only), "
        f"{report['exists']} already registered, {report['failed']} with errors."
    ]
    for row in result.rows:
        if row.message:
            where = " / ".join(part for part in (row.project, row.unit) if part)
            lines.append(
                f"  row {row.row} {row.case_number} [{row.status}]{' ' + where if where else ''}: {row.message}"
            )
    for warning in result.warnings:
        lines.append(f"  warning: row {warning['row']}, {warning['column']}: {warning['message']}")
    return lines


class Command(BaseCommand):
    help = (
        "Register 12345 hotline cases from an .xlsx or .csv export (工单编号, 受理时间, 诉求内容, 地址, 办结时限) as "
        "work orders of the projects their addresses name. Checks and reports every row without writing unless "
        "--commit; a commit writes all rows or none unless --only-valid-rows. Exit code 2 when the file cannot be "
        "imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument("--commit", action="store_true", help="Register the cases (default: dry run).")
        parser.add_argument(
            "--only-valid-rows", action="store_true", help="With --commit: register the good rows, report the bad."
        )
        parser.add_argument(
            "--as", dest="as_user", metavar="USERNAME", help="Act as this user (default: a platform administrator)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["as_user"])
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.", returncode=BAD_ARGUMENTS) from None
        is_commit = options["commit"]
        try:
            result = hotline_import(
                actor=actor,
                file_name=path.name,
                content=content,
                dry_run=not is_commit,
                only_valid_rows=options["only_valid_rows"],
            )
        except DomainError as error:
            raise CommandError(error.message, returncode=BAD_ARGUMENTS) from None
        self.stdout.write("\n".join(report_lines(result)))
        if is_commit and result.failed:
            outcome = "the other rows were imported" if result.is_written else "nothing was written"
            raise CommandError(f"{result.failed} rows have errors; {outcome}.", returncode=BAD_ARGUMENTS)
