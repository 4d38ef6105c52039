"""The demo's work orders as plain data, before they are written: who, where, what happened when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Who did a step: a staff member (by employee number), the reporting resident, or the system."""

    name: str
    employee_no: str = ""
    is_reporter: bool = False


SYSTEM = Actor("system")


@dataclass
class EventData:
    action: str
    at: dt.datetime
    from_status: str
    to_status: str
    actor: Actor
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class HoldData:
    reason: str
    started_at: dt.datetime
    ended_at: dt.datetime | None


@dataclass
class VisitData:
    visitor: Actor
    method: str
    outcome: str
    note: str
    visited_at: dt.datetime


@dataclass
class OrderData:
    """One work order with its timeline. Places and people are named as in the estates data set: the project by
    its index, a household by (building, entrance, room), staff by employee number."""

    project: int
    building: str | None
    unit: tuple[str, str, str] | None
    public_area: str
    kind: str
    category: str
    urgency: str
    channel: str
    title: str
    description: str
    submitted_at: dt.datetime
    reporter_name: str = ""
    reporter_phone: str = ""
    # The household the reporter lives in, and whether it is a demo account's (then the order links their user).
    reporter_home: tuple[str, str, str] | None = None
    reporter_is_account: bool = False
    status: str = "submitted"
    status_before_hold: str = ""
    assignee: str = ""  # employee number
    accepted_at: dt.datetime | None = None
    dispatched_at: dt.datetime | None = None
    arrived_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    cancelled_at: dt.datetime | None = None
    reopened_at: dt.datetime | None = None
    appointment_start: dt.datetime | None = None
    appointment_end: dt.datetime | None = None
    response_due_at: dt.datetime | None = None
    arrival_due_at: dt.datetime | None = None
    resolution_due_at: dt.datetime | None = None
    escalation_level: int = 0
    escalated_at: dt.datetime | None = None
    reopen_count: int = 0
    resolution_note: str = ""
    materials: str = ""
    cancel_reason: str = ""
    rating: int | None = None
    rating_comment: str = ""
    rated_at: dt.datetime | None = None
    hotline_case_number: str = ""
    hotline_deadline: dt.datetime | None = None
    hotline_reply: str = ""
    hotline_replied_at: dt.datetime | None = None
    events: list[EventData] = field(default_factory=list)
    holds: list[HoldData] = field(default_factory=list)
    visits: list[VisitData] = field(default_factory=list)
