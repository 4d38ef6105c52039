"""Periodic work of work orders, run by ``haofuwu worker`` (imported by ``core.sweeps.autodiscover``)."""

from __future__ import annotations

import datetime as dt

from haofuwu.core import sweeps
from haofuwu.workorders import services


def escalate(now: dt.datetime) -> None:
    """Warn before a breach, escalate at and after it (see ``services.escalation_sweep``)."""
    services.escalation_sweep(now)


sweeps.register("workorders.escalate", escalate, every_seconds=60)
