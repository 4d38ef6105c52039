"""How SLA clocks read on the pages: times as people say them, clock states, and work-order cards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from haofuwu.core.scoping import Scope
from haofuwu.workorders import selectors
from haofuwu.workorders.choices import OPEN_STATUSES, Status
from haofuwu.workorders.models import WorkOrder


def _when(moment: dt.datetime | None, now: dt.datetime) -> str:
    """A time as people say it: just the time today, the date and time otherwise."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if local.date() == timezone.localtime(now).date():
        return date_format(local, "H:i")
    return date_format(local, "n/j H:i")


def clock_view(clock: dict[str, Any], now: dt.datetime, *, status: str) -> dict[str, Any]:
    """One SLA clock of ``work_order_summary`` as the pages show it: a state (met, late, overdue, running, paused,
    none) with a class for its colour and a short text."""
    due, done = clock["due_at"], clock["done_at"]
    if done is not None:
        if due is None or clock["is_met"]:
            return {
                "state": "met",
                "css": "ok",
                "label": _("met"),
                "text": _("done %(when)s") % {"when": _when(done, now)},
            }
        return {
            "state": "late",
            "css": "alert",
            "label": _("late"),
            "text": _("done %(late)s late") % {"late": timesince(due, done, depth=1)},
        }
    if status == Status.ON_HOLD:
        return {"state": "paused", "css": "care", "label": _("paused"), "text": _("paused")}
    if due is None:
        return {"state": "none", "css": "", "label": _("no deadline"), "text": "—"}
    if status not in OPEN_STATUSES:
        return {"state": "stopped", "css": "", "label": _("stopped"), "text": _when(due, now)}
    if clock["is_overdue"] or now > due:
        return {
            "state": "overdue",
            "css": "alert",
            "label": _("overdue"),
            "text": _("overdue by %(span)s") % {"span": timesince(due, now, depth=1)},
        }
    return {
        "state": "running",
        "css": "",
        "label": _("running"),
        "text": _("due in %(span)s") % {"span": timeuntil(due, now, depth=1)},
    }


def _card(scope: Scope, order: WorkOrder, now: dt.datetime) -> dict[str, Any]:
    summary = selectors.work_order_summary(scope, order, now)
    summary["order"] = order
    summary["clock"] = clock_view(summary["resolution"], now, status=order.status)
    summary["due_text"] = _when(summary["resolution"]["due_at"], now)
    return summary
