"""Periodic sweeps (SLA escalation, maintenance due, reminders…) run by ``haofuwu worker`` under a database lease.

A domain app registers a sweep in its own ``sweeps.py`` module, which the worker imports at start::

    from haofuwu.core import sweeps

    def escalate_overdue(now):
        ...

    sweeps.register("workorders.escalate", escalate_overdue, every_seconds=60)

Any number of workers may call :func:`run_due`; the lease row of a sweep makes sure one of them runs it per
period. The lease is claimed with a conditional ``UPDATE … WHERE expires_at <= now`` and counts as won only when
that changed one row, the same claim Healthchecks' ``sendalerts`` uses, so it works on SQLite and PostgreSQL alike
without row locks. While a sweep runs, its lease lasts ``max_run_seconds``; if the worker dies the next one takes
over after that. When it finishes, the lease is shortened to ``started + every_seconds``: the next run is due then.
A sweep must therefore be safe to run twice (a second run finds nothing left to do), which also covers a run that
outlives ``max_run_seconds``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.utils import is_locked_database_exception

from haofuwu.core.models import Lease

logger = logging.getLogger(__name__)

SweepFunc = Callable[[dt.datetime], object]
# How long a running sweep keeps its lease unless it says otherwise; longer than any sweep should take.
DEFAULT_MAX_RUN_SECONDS = 600
RELEASE_ATTEMPTS = 5


@dataclass(frozen=True)
class Sweep:
    name: str
    func: SweepFunc
    every_seconds: int
    max_run_seconds: int


def default_holder() -> str:
    """An identity for this process in lease rows: host, process id and a random suffix."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def lease_claim(name: str, *, holder: str, now: dt.datetime, seconds: float) -> bool:
    """Take the named lease until ``now + seconds`` if it is free (missing or expired); whether we got it."""
    expires_at = now + dt.timedelta(seconds=seconds)
    claimed = Lease.objects.filter(name=name, expires_at__lte=now).update(holder=holder, expires_at=expires_at)
    if claimed == 1:
        return True
    if Lease.objects.filter(name=name).exists():
        return False
    try:
        # A savepoint, so that losing the race to create the row does not break a surrounding transaction.
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, expires_at=expires_at)
    except IntegrityError:
        return False
    return True


def lease_set_expiry(name: str, *, holder: str, expires_at: dt.datetime) -> bool:
    """Move the end of a lease we hold (to release it early or to extend it); False if it is no longer ours."""
    return Lease.objects.filter(name=name, holder=holder).update(expires_at=expires_at) == 1


class Registry:
    """Named periodic sweeps and the logic to run those that are due."""

    def __init__(self) -> None:
        self._sweeps: dict[str, Sweep] = {}

    def register(
        self,
        name: str,
        func: SweepFunc,
        every_seconds: int,
        *,
        max_run_seconds: int = DEFAULT_MAX_RUN_SECONDS,
    ) -> SweepFunc:
        """Run ``func(now)`` about every ``every_seconds`` across all workers. Registering a name again replaces it
        (modules can be imported twice in tests); two different functions under one name are a mistake."""
        if every_seconds <= 0 or max_run_seconds <= 0:
            raise ValueError("a sweep needs a positive period and run time")
        if len(name) > Lease._meta.get_field("name").max_length:  # type: ignore[operator]
            raise ValueError(f"sweep name too long: {name!r}")
        existing = self._sweeps.get(name)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"a different sweep is already registered as {name!r}")
        self._sweeps[name] = Sweep(name, func, every_seconds, max(max_run_seconds, every_seconds))
        return func

    def unregister(self, name: str) -> None:
        self._sweeps.pop(name, None)

    def names(self) -> list[str]:
        return sorted(self._sweeps)

    def run_due(self, now: dt.datetime | None = None, *, holder: str | None = None) -> list[str]:
        """Run every sweep whose lease this worker wins; return their names. A failing sweep is logged and does
        not stop the others or the worker."""
        now = now or timezone.now()
        holder = holder or default_holder()
        ran: list[str] = []
        for sweep in sorted(self._sweeps.values(), key=lambda sweep: sweep.name):
            try:
                claimed = lease_claim(sweep.name, holder=holder, now=now, seconds=sweep.max_run_seconds)
            except OperationalError as error:
                # SQLite: another worker is writing right now. Like django-tasks-db's worker, treat that as
                # "not this time"; the sweep is still due at the next tick.
                if not is_locked_database_exception(error):
                    raise
                claimed = False
            if not claimed:
                continue
            try:
                sweep.func(now)
            except Exception:
                logger.exception("Sweep %s failed", sweep.name)
            else:
                ran.append(sweep.name)
            finally:
                # Due again one period after this run started, whether it worked or not (a failing sweep is
                # retried on its normal schedule rather than in a tight loop).
                self._release(sweep, holder=holder, expires_at=now + dt.timedelta(seconds=sweep.every_seconds))
        return ran

    @staticmethod
    def _release(sweep: Sweep, *, holder: str, expires_at: dt.datetime) -> None:
        for attempt in range(RELEASE_ATTEMPTS):
            try:
                lease_set_expiry(sweep.name, holder=holder, expires_at=expires_at)
                return
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                time.sleep(0.05 * (attempt + 1))
        # The lease then simply runs out at its maximum run time and the sweep is late once, not lost.
        logger.warning("Could not release the lease of sweep %s: the database stayed locked", sweep.name)


registry = Registry()


def register(
    name: str, func: SweepFunc, every_seconds: int, *, max_run_seconds: int = DEFAULT_MAX_RUN_SECONDS
) -> SweepFunc:
    """Register a sweep in the process-wide registry (see :meth:`Registry.register`)."""
    return registry.register(name, func, every_seconds, max_run_seconds=max_run_seconds)


def run_due(now: dt.datetime | None = None, *, holder: str | None = None) -> list[str]:
    """Run the due sweeps of the process-wide registry (see :meth:`Registry.run_due`)."""
    return registry.run_due(now, holder=holder)


def autodiscover() -> None:
    """Import the ``sweeps`` module of every installed app, so their ``register`` calls run."""
    autodiscover_modules("sweeps")
