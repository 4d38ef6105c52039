"""``haofuwu import-estates``: import buildings, households or residents from a spreadsheet, dry run by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haofuwu.accounts.selectors import command_actor
from haofuwu.core.errors import DomainError, NotFound
from haofuwu.estates.choices import ImportKind
from haofuwu.estates.importing import ImportResult, estates_import

BAD_ARGUMENTS = 2


def resolve_actor(username: str | None) -> Any:
    """The user the command acts as (see ``accounts.selectors.command_actor``); exit code 2 when there is none."""
    try:
        return command_actor(username)
    except NotFound as error:
        raise CommandError(error.message, returncode=BAD_ARGUMENTS) from None


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}.", returncode=BAD_ARGUMENTS) from None


def report_lines(result: ImportResult) -> list[str]:
    """The report as plain lines: a summary, then one line per error and warning."""
    mode = "dry run" if result.is_dry_run else ("imported" if result.is_written else "refused, nothing written")
    lines = [
        f"{result.kind} from {result.file_name} ({mode}): {result.rows_total} rows, {result.created} created, "
        f"{result.updated} updated, {result.unchanged} unchanged, {result.failed} with errors."
    ]
    for issue in result.errors:
        value = f" [{issue.value}]" if issue.value else ""
        lines.append(f"  row {issue.row}, {issue.column}{value}: {issue.message}")
    if result.issues_left_off:
        lines.append(f"  … and {result.issues_left_off} more errors.")
    for issue in result.warnings:
        lines.append(f"  warning: row {issue.row}, {issue.column}: {issue.message}")
    return lines


class Command(BaseCommand):
    help = (
        "Import buildings, households (units) or residents of a project from an .xlsx or .csv file. Checks and "
        "reports every row without writing unless --commit; a commit writes all rows or none unless "
        "--only-valid-rows. Exit code 2 when the file cannot be imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument("--project", type=int, required=True, help="Project id.")
        parser.add_argument("--kind", choices=ImportKind.values, required=True)
        parser.add_argument("--commit", action="store_true", help="Write the rows (default: dry run).")
        parser.add_argument(
            "--only-valid-rows", action="store_true", help="With --commit: write the good rows, report the bad."
        )
        parser.add_argument(
            "--as", dest="as_user", metavar="USERNAME", help="Act as this user (default: a platform administrator)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["as_user"])
        content = read_file(options["file"])
        is_commit = options["commit"]
        try:
            result = estates_import(
                actor=actor,
                project_id=options["project"],
                kind=options["kind"],
                file_name=Path(options["file"]).name,
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
