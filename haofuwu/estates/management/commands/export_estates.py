"""``haofuwu export-estates``: write buildings, households or residents of a project to an .xlsx or .csv file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core.errors import DomainError
from haofuwu.estates.choices import ImportKind
from haofuwu.estates.exporting import FORMATS, estates_export
from haofuwu.estates.management.commands.import_estates import BAD_ARGUMENTS, resolve_actor


class Command(BaseCommand):
    help = (
        "Export buildings, households (units) or residents as .xlsx or .csv. Phone and ID numbers are in full only "
        "when the acting user's role may export them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", type=int, help="Project id (default: every project the user can see).")
        parser.add_argument("--kind", choices=ImportKind.values, required=True)
        parser.add_argument("--format", choices=FORMATS, default="xlsx")
        parser.add_argument("-o", "--output", required=True, help="File to write, or - for standard output.")
        parser.add_argument(
            "--as", dest="as_user", metavar="USERNAME", help="Act as this user (default: a platform administrator)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["as_user"])
        try:
            export = estates_export(
                scope_for_user(actor),
                kind=options["kind"],
                fmt=options["format"],
                project_id=options["project"],
                actor=actor,
            )
        except DomainError as error:
            raise CommandError(error.message, returncode=BAD_ARGUMENTS) from None
        if options["output"] == "-":
            sys.stdout.buffer.write(export.content)
            return
        try:
            Path(options["output"]).write_bytes(export.content)
        except OSError as error:
            raise CommandError(
                f"Cannot write {options['output']}: {error.strerror}.", returncode=BAD_ARGUMENTS
            ) from None
        self.stdout.write(f"Wrote {options['output']} ({len(export.content)} bytes).")
