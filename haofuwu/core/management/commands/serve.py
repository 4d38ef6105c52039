"""``haofuwu serve``: the development web server, without the auto-reloader unless asked for.

Production runs the WSGI application under gunicorn (or granian) instead; see DESIGN.md, "Processes".
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

DEFAULT_ADDR = "127.0.0.1:8000"


class Command(BaseCommand):
    help = "Run the development web server (runserver) on 127.0.0.1:8000 without auto-reload."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default=DEFAULT_ADDR, help="host:port to listen on (default %(default)s).")
        parser.add_argument("--reload", action="store_true", help="Restart when the code changes.")
        parser.add_argument(
            "--insecure",
            action="store_true",
            help="Serve static files even when HAOFUWU_DEBUG is off (never in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(
            "runserver",
            options["addr"],
            use_reloader=options["reload"],
            insecure_serving=options["insecure"],
            shutdown_message="Server stopped.",
        )
