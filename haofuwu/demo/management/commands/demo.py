"""``haofuwu demo`` (``make demo``): migrate, load the demo data set, and serve it with a worker beside it."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haofuwu.core import sweeps
from haofuwu.core.management.commands.worker import BackgroundWorker
from haofuwu.demo.loader import seed_demo
from haofuwu.demo.report import summary_lines

DEFAULT_ADDR = "127.0.0.1:8000"


def _url(addr: str) -> str:
    host, _, port = addr.rpartition(":")
    if not host:
        host, port = "127.0.0.1", addr
    # A server listening on every interface is reached in a browser on this machine through the loopback address.
    if host in ("0.0.0.0", "", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = "Migrate the database, load the demo data set, then run the web server and a worker until Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default=DEFAULT_ADDR, help="host:port to listen on (default %(default)s).")
        parser.add_argument("--no-worker", action="store_true", help="Do not run background tasks and sweeps.")

    def handle(self, *args: Any, **options: Any) -> None:
        addr = options["addr"]
        if not addr.rpartition(":")[2].isdigit():
            raise CommandError(f"--addr must be host:port or port, got {addr!r}.", returncode=2)
        url = _url(addr)
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        result = seed_demo()
        runner = None
        if not options["no_worker"]:
            sweeps.autodiscover()
            runner = BackgroundWorker()
            runner.start()
        self.stdout.write("\n".join(summary_lines(result, url=url)))
        # runserver stops on KeyboardInterrupt; make SIGTERM do the same so the worker stops cleanly either way.
        previous_handler = signal.signal(signal.SIGTERM, _interrupt)
        try:
            # --insecure serves the static files although DEBUG is off (the default): this is a local demo.
            call_command(
                "runserver",
                addr,
                use_reloader=False,
                insecure_serving=True,
                shutdown_message="Demo stopped.",
            )
        finally:
            signal.signal(signal.SIGTERM, previous_handler)
            if runner is not None:
                runner.stop()
                runner.join(timeout=10)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
