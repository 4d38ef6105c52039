"""Subprocesses of the benchmarks: gunicorn on a free loopback port (started, waited for, and always stopped),
and one-shot Django commands that answer with JSON (a process per database: Django settings are per process)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.config import BENCH_DIR, HOST, REPO

READY_TIMEOUT_S = 60
STOP_TIMEOUT_S = 15


@dataclass
class Server:
    name: str
    port: int
    command: list[str]
    log_path: Path
    worker_class: str
    workers: int
    threads: int
    database_url: str
    pid: int = 0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def describe(self) -> dict[str, object]:
        return {
            "name": self.name,
            "command": " ".join(self.command),
            "worker_class": self.worker_class,
            "workers": self.workers,
            "threads": self.threads,
            "database": self.database_url.split("@")[-1],
            "log": str(self.log_path.relative_to(REPO)),
        }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def server_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DATABASE_URL=database_url,
        HAOFUWU_DATA_DIR=str(data_dir),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("HAOFUWU_DEBUG", None)
    return env


def run_json(module: str, arguments: list[str], database_url: str) -> dict[str, Any]:
    """Run ``python -m <module> <arguments> --out <file>`` against one database and return the JSON it wrote."""
    out = BENCH_DIR / f"{module.rsplit('.', 1)[-1]}-{os.getpid()}.json"
    command = [sys.executable, "-m", module, *arguments, "--out", str(out)]
    done = subprocess.run(command, cwd=REPO, env=server_env(database_url, BENCH_DIR), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{module} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    try:
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def write_result(result: dict[str, Any], out: str | None) -> None:
    """The child's side of :func:`run_json`: the result as JSON to ``out``, else to stdout."""
    text = json.dumps(result, ensure_ascii=False, default=str)
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text + "\n")


@contextmanager
def gunicorn(
    name: str,
    *,
    database_url: str,
    data_dir: Path,
    log_path: Path,
    workers: int,
    threads: int = 0,
) -> Iterator[Server]:
    """Run ``gunicorn haofuwu.wsgi`` with the benchmark settings; sync workers unless ``threads`` is given."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "haofuwu.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
    ]
    worker_class = "sync"
    if threads:
        worker_class = "gthread"
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    server = Server(name, port, command, log_path, worker_class, workers, threads or 1, database_url)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=server_env(database_url, data_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        server.pid = process.pid
        try:
            _wait_ready(server, process)
            yield server
        finally:
            _stop(process)


def _wait_ready(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn {server.name} exited with {process.returncode}:\n{_tail(server.log_path)}")
        try:
            with urllib.request.urlopen(server.base_url + "/bench/hello", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn {server.name} did not answer in {READY_TIMEOUT_S} s:\n{_tail(server.log_path)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the master (it stops its workers); SIGKILL to the session we created if it hangs."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT_S)
            return
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the session started for this server, so only its own workers
    process.wait()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def count_in_log(path: Path, needle: str) -> int:
    try:
        return path.read_text(errors="replace").count(needle)
    except OSError:
        return 0
