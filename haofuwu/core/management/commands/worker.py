"""``haofuwu worker``: run background tasks and the periodic sweeps; start as many as you like.

Tasks are taken from the django-tasks database queue by django-tasks-db's own ``Worker`` (its claim is a locked
``SELECT … SKIP LOCKED`` on PostgreSQL and an exclusive transaction on SQLite), in one thread. The registered sweeps
(``haofuwu.core.sweeps``) run in a second thread every ``--sweep-interval`` seconds, each under its database lease.
The main thread only waits for signals: the first SIGTERM or SIGINT lets the current task and sweep finish and then
exits; a second one exits at once.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError, close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception

from haofuwu.core import sweeps

logger = logging.getLogger("haofuwu.worker")

DEFAULT_SWEEP_INTERVAL = 30.0
NOT_A_DATABASE_BACKEND = "The task backend %r is not django_tasks_db's DatabaseBackend; only sweeps will run here."


def uses_database_backend(backend_name: str = DEFAULT_TASK_BACKEND_ALIAS) -> bool:
    """Whether tasks of this backend wait in the database for a worker (not run at once or elsewhere)."""
    return isinstance(task_backends[backend_name], DatabaseBackend)


class BackgroundWorker:
    """Task worker and sweep loop in two threads of this process; used by ``worker`` and by ``demo``."""

    def __init__(
        self,
        *,
        worker_id: str | None = None,
        queue_names: list[str] | None = None,
        interval: float = 1.0,
        sweep_interval: float = DEFAULT_SWEEP_INTERVAL,
        run_tasks: bool = True,
        run_sweeps: bool = True,
        backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
    ) -> None:
        self.worker_id = worker_id or get_random_string(32)
        self.sweep_holder = f"{sweeps.default_holder()}:{self.worker_id[:8]}"
        self.sweep_interval = sweep_interval
        self.stopping = threading.Event()
        self.error: BaseException | None = None
        self.task_worker: Worker | None = None
        if run_tasks and uses_database_backend(backend_name):
            self.task_worker = Worker(
                queue_names=queue_names or ["*"],
                interval=interval,
                batch=False,
                backend_name=backend_name,
                startup_delay=True,
                max_tasks=None,
                worker_id=self.worker_id,
                excluded_queue_names=[],
            )
        elif run_tasks:
            logger.warning(NOT_A_DATABASE_BACKEND, backend_name)
        self.threads: list[threading.Thread] = []
        if self.task_worker is not None:
            self.threads.append(threading.Thread(target=self._run_tasks, name="haofuwu-tasks", daemon=True))
        if run_sweeps:
            self.threads.append(threading.Thread(target=self._run_sweeps, name="haofuwu-sweeps", daemon=True))

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        """Ask both loops to finish their current task or sweep and end."""
        self.stopping.set()
        if self.task_worker is not None:
            self.task_worker.running = False

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the threads to end; whether they all did."""
        for thread in self.threads:
            thread.join(timeout)
        return not any(thread.is_alive() for thread in self.threads)

    def is_alive(self) -> bool:
        return any(thread.is_alive() for thread in self.threads)

    def _run_tasks(self) -> None:
        assert self.task_worker is not None
        try:
            while not self.stopping.is_set():
                try:
                    self.task_worker.run()  # returns once ``running`` is cleared by stop()
                    return
                except OperationalError as error:
                    # django-tasks-db's loop opens its claim transaction (BEGIN EXCLUSIVE on SQLite) outside its
                    # own locked-database handling; a long writer elsewhere must not end the worker.
                    if not is_locked_database_exception(error):
                        raise
                    logger.warning("The database is locked; the task worker tries again.")
                    connection.close()
                    self.stopping.wait(max(self.task_worker.interval, 0.1))
        except BaseException as error:  # recorded so that the main thread can exit with an error
            logger.exception("Task worker stopped by an error")
            self.error = error
            self.stop()
        finally:
            connection.close()

    def _run_sweeps(self) -> None:
        try:
            while not self.stopping.is_set():
                close_old_connections()
                try:
                    sweeps.run_due(holder=self.sweep_holder)
                except Exception:
                    # A database outage should not end the worker: log it and try again next time.
                    logger.exception("Could not run the sweeps")
                self.stopping.wait(self.sweep_interval)
        finally:
            connection.close()


class Command(BaseCommand):
    help = "Run background tasks and the periodic sweeps. Any number of workers can run at once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-name", default="*", help="Comma-separated task queues to process; '*' for all (default)."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when the task queue is empty (default 1)."
        )
        parser.add_argument(
            "--sweep-interval",
            type=float,
            default=DEFAULT_SWEEP_INTERVAL,
            help="Seconds between looking for due sweeps (default 30).",
        )
        parser.add_argument("--no-sweeps", action="store_true", help="Only run tasks.")
        parser.add_argument("--no-tasks", action="store_true", help="Only run sweeps.")
        parser.add_argument(
            "--batch", action="store_true", help="Run the waiting tasks and the due sweeps once, then exit."
        )
        parser.add_argument("--worker-id", default="", help="Unique id of this worker (default: random).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] < 0 or options["sweep_interval"] <= 0:
            raise CommandError("--interval must be zero or more and --sweep-interval more than zero.", returncode=2)
        if len(options["worker_id"]) > 64:
            raise CommandError("--worker-id must be at most 64 characters.", returncode=2)
        sweeps.autodiscover()
        queue_names = [name for name in options["queue_name"].split(",") if name] or ["*"]
        if options["batch"]:
            self._run_batch(options, queue_names)
            return
        self.runner = BackgroundWorker(
            worker_id=options["worker_id"] or None,
            queue_names=queue_names,
            interval=options["interval"],
            sweep_interval=options["sweep_interval"],
            run_tasks=not options["no_tasks"],
            run_sweeps=not options["no_sweeps"],
        )
        if not self.runner.threads:
            raise CommandError("Nothing to run: tasks and sweeps are both switched off.", returncode=2)
        signal.signal(signal.SIGTERM, self.on_signal)
        signal.signal(signal.SIGINT, self.on_signal)
        self.stdout.write(
            f"Worker {self.runner.worker_id} started: sweeps {', '.join(sweeps.registry.names()) or '(none)'}."
        )
        self.runner.start()
        # Wake up now and then so that signals are handled promptly and a dead thread is noticed.
        while self.runner.is_alive() and not self.runner.stopping.wait(1.0):
            pass
        self.runner.stop()
        self.runner.join()
        if self.runner.error is not None:
            raise CommandError(f"The worker stopped after an error: {self.runner.error}")
        self.stdout.write("Worker stopped.")

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.runner.stopping.is_set():
            self.stderr.write(f"{signal.strsignal(signum)} again: exiting now.")
            sys.exit(1)
        self.stderr.write(f"{signal.strsignal(signum)}: finishing the current task and sweep, then stopping.")
        self.runner.stop()

    def _run_batch(self, options: dict[str, Any], queue_names: list[str]) -> None:
        if not options["no_tasks"] and uses_database_backend():
            Worker(
                queue_names=queue_names,
                interval=0,
                batch=True,
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                startup_delay=False,
                max_tasks=None,
                worker_id=options["worker_id"] or get_random_string(32),
                excluded_queue_names=[],
            ).run()
        if not options["no_sweeps"]:
            ran = sweeps.run_due()
            self.stdout.write(f"Sweeps run: {', '.join(ran) or '(none due)'}.")
