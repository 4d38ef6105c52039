"""``haofuwu worker`` and ``haofuwu serve``: tasks and sweeps run, signals stop the worker cleanly."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from haofuwu.core import sweeps
from haofuwu.core.management.commands import serve
from haofuwu.core.management.commands.worker import BackgroundWorker, Command

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
task_ran = threading.Event()


@task()
def remember(value: int) -> int:
    """A task for these tests: signals that it ran and doubles its argument."""
    task_ran.set()
    return value * 2


@pytest.fixture
def sweep_calls():  # type: ignore[no-untyped-def]
    calls: list[dt.datetime] = []
    ran = threading.Event()

    def sweep(now: dt.datetime) -> None:
        calls.append(now)
        ran.set()

    sweeps.register("test.worker-sweep", sweep, every_seconds=3600)
    yield calls, ran
    sweeps.registry.unregister("test.worker-sweep")


# django-tasks-db's worker calls close_old_connections(), which closes a connection left inside a test's
# wrapping transaction; these tests therefore run with real commits.
@pytest.mark.django_db(transaction=True)
def test_batch_runs_the_waiting_tasks_and_the_due_sweeps_then_exits(settings, sweep_calls) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DATABASE_TASKS
    result = remember.enqueue(21)
    out = io.StringIO()

    call_command("worker", "--batch", stdout=out)

    assert DBTaskResult.objects.get(pk=result.id).return_value == 42
    calls, _ran = sweep_calls
    assert len(calls) == 1
    assert "test.worker-sweep" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_background_worker_runs_tasks_and_sweeps_until_it_is_stopped(settings, sweep_calls) -> None:  # type: ignore[no-untyped-def]
    # The in-memory SQLite test database answers "table is locked" at once instead of waiting, so each runner
    # here has one writing thread; the process test below runs both threads on a database file.
    settings.TASKS = DATABASE_TASKS
    task_ran.clear()
    result = remember.enqueue(5)
    tasks = BackgroundWorker(interval=0.05, run_sweeps=False)
    tasks.task_worker.startup_delay = False  # type: ignore[union-attr]
    tasks.start()
    try:
        assert task_ran.wait(timeout=15)
    finally:
        tasks.stop()
        assert tasks.join(timeout=15)
    assert tasks.error is None
    assert DBTaskResult.objects.get(pk=result.id).return_value == 10

    calls, sweep_ran = sweep_calls
    sweeper = BackgroundWorker(sweep_interval=0.01, run_tasks=False)
    sweeper.start()
    try:
        assert sweep_ran.wait(timeout=15)
    finally:
        sweeper.stop()
        assert sweeper.join(timeout=15)
    # The sweep's period is an hour: however often the loop looked, it ran once.
    assert len(calls) == 1


def test_without_a_database_task_backend_the_worker_only_runs_sweeps(settings) -> None:  # type: ignore[no-untyped-def]
    # The test settings use the ImmediateBackend, which runs tasks where they are enqueued.
    runner = BackgroundWorker()
    assert runner.task_worker is None
    assert [thread.name for thread in runner.threads] == ["haofuwu-sweeps"]


def test_the_first_signal_stops_gracefully_and_the_second_exits_at_once(settings) -> None:  # type: ignore[no-untyped-def]
    command = Command(stdout=io.StringIO(), stderr=io.StringIO())
    command.runner = BackgroundWorker()
    command.on_signal(signal.SIGTERM, None)
    assert command.runner.stopping.is_set()
    with pytest.raises(SystemExit) as exit_info:
        command.on_signal(signal.SIGTERM, None)
    assert exit_info.value.code == 1


def test_sigterm_stops_a_running_worker_process_cleanly(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(HAOFUWU_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="haofuwu.settings", PYTHONUNBUFFERED="1")
    cli = [sys.executable, "-m", "haofuwu.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True, timeout=600)
    process = subprocess.Popen(
        [*cli, "worker", "--sweep-interval", "0.2", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert "started" in process.stdout.readline()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Worker stopped." in out
    assert "finishing the current task" in err


def test_serve_runs_runserver_on_the_loopback_address_without_the_reloader(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[tuple, dict]] = []
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: calls.append((args, kwargs)))

    call_command("serve")
    call_command("serve", "--addr", "0.0.0.0:9000", "--reload")

    assert calls[0][0] == ("runserver", "127.0.0.1:8000")
    assert calls[0][1]["use_reloader"] is False
    assert calls[1][0] == ("runserver", "0.0.0.0:9000")
    assert calls[1][1]["use_reloader"] is True


@pytest.mark.parametrize(
    "arguments",
    [["--sweep-interval", "0"], ["--interval", "-1"], ["--no-tasks", "--no-sweeps"], ["--worker-id", "x" * 65]],
)
def test_bad_options_are_refused_with_exit_code_2(arguments: list[str]) -> None:
    with pytest.raises(CommandError) as error:
        call_command("worker", *arguments)
    assert error.value.returncode == 2
