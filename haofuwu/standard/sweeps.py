"""Periodic work of the standard, run by ``haofuwu worker`` (imported by ``core.sweeps.autodiscover``)."""

from __future__ import annotations

import datetime as dt

from haofuwu.core import sweeps
from haofuwu.standard import services


def escalate_rectifications(now: dt.datetime) -> None:
    """Escalate overdue rectification tasks once each (see ``services.rectification_escalation_sweep``)."""
    services.rectification_escalation_sweep(now)


sweeps.register("standard.escalate_rectifications", escalate_rectifications, every_seconds=600)
