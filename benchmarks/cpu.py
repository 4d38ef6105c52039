"""CPU seconds spent by given processes, read from ``/proc``: CPU per request does not depend on what else runs on
the machine, unlike requests per second, so it is the steadier figure on a shared two-core box."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces; the fields after it are fixed.
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pids: Iterable[int]) -> dict[int, float]:
    """utime + stime of each live process."""
    found = {}
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:
            found[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
    return found


def family(root: int) -> list[int]:
    """A process and its direct children (a gunicorn master and its workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == root:
                children.append(int(entry.name))
    return [root, *children]


class Sampler:
    """Samples the CPU time of a changing set of processes every ``interval`` seconds in a thread, so that a
    process which ends during the window (a database connection recycled after ``CONN_MAX_AGE``) still counts up
    to its last sample."""

    def __init__(self, pids: Callable[[], Iterable[int]], interval: float = 0.5) -> None:
        self._pids = pids
        self._interval = interval
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, *, initial: bool = False) -> None:
        for pid, seconds in cpu_seconds(self._pids()).items():
            # A process first seen after the start began during the window: it counts from zero.
            self._first.setdefault(pid, seconds if initial else 0.0)
            self._last[pid] = seconds

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample()

    def __enter__(self) -> Sampler:
        self._sample(initial=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def seconds(self) -> float:
        return sum(self._last[pid] - self._first[pid] for pid in self._last)
