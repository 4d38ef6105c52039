"""Periodic work of the feedback app, run by ``haofuwu worker`` (imported by ``core.sweeps.autodiscover``)."""

from __future__ import annotations

import datetime as dt

from haofuwu.core import sweeps
from haofuwu.feedback import services


def remind_reception_bookings(now: dt.datetime) -> None:
    """Remind residents booked for tomorrow's reception day (once per booking, by the notification's dedup key)."""
    services.reception_reminders_send(now)


sweeps.register("feedback.reception_reminders", remind_reception_bookings, every_seconds=3600)
