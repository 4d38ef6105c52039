"""Periodic work of the community app, run by ``haofuwu worker`` (imported by ``core.sweeps.autodiscover``)."""

from __future__ import annotations

import datetime as dt

from haofuwu.community import services
from haofuwu.core import sweeps


def escalate_overdue_actions(now: dt.datetime) -> None:
    """Joint-meeting actions past their deadline go up one step of the escalation ladder."""
    services.joint_actions_escalate(now)


def check_silent_households(now: dt.datetime) -> None:
    """Open a welfare check for opted-in residents whose meters show no water or power use."""
    services.care_silent_check(now)


def remind_care_visits(now: dt.datetime) -> None:
    """Tell visitors of residents whose visit is due."""
    services.care_visit_reminders(now)


sweeps.register("community.action_escalation", escalate_overdue_actions, every_seconds=3600)
# Meter rollups are hourly; checking every 15 minutes opens a check within a quarter hour of the window closing.
sweeps.register("community.silent_households", check_silent_households, every_seconds=900)
sweeps.register("community.care_reminders", remind_care_visits, every_seconds=3600)
