"""The clocks of a demo work order, as the work-order services would have run them: the deadlines
``services.recompute_deadlines`` stores and the escalation level ``services.escalation_sweep`` reaches."""

from __future__ import annotations

import datetime as dt
import random

from haofuwu.demo.workorders.records import SYSTEM, EventData, OrderData
from haofuwu.workorders.choices import Channel, EscalationLevel, Status, Urgency
from haofuwu.workorders.policies import Terms
from haofuwu.workorders.sla import Calendar, Interval, deadline


def deadlines(order: OrderData, terms: Terms, calendar: Calendar) -> None:
    """Set the response, arrival and resolution deadlines exactly as ``services.recompute_deadlines`` would for
    the order's holds so far (kept line for line in step with it; a test compares the two)."""
    pauses = [Interval(hold.started_at, hold.ended_at) for hold in sorted(order.holds, key=lambda h: h.started_at)]
    clock = calendar if terms.uses_working_hours else None
    start = order.submitted_at

    def due(minutes: int | None) -> dt.datetime | None:
        if minutes is None:
            return None
        return deadline(start, dt.timedelta(minutes=minutes), calendar=clock, pauses=pauses)

    order.response_due_at = due(terms.response_minutes)
    if order.urgency == Urgency.APPOINTMENT and order.appointment_end is not None:
        order.arrival_due_at = order.appointment_end
    else:
        order.arrival_due_at = due(terms.arrival_minutes)
    reopened_at = order.reopened_at
    if reopened_at is not None:
        order.resolution_due_at = deadline(
            reopened_at,
            dt.timedelta(minutes=terms.resolution_minutes),
            calendar=clock,
            pauses=[p for p in pauses if p.end is None or p.end > reopened_at],
        )
    else:
        order.resolution_due_at = due(terms.resolution_minutes)
    hotline_due = order.hotline_deadline if order.channel == Channel.HOTLINE_12345 else None
    if hotline_due is not None and (order.resolution_due_at is None or hotline_due < order.resolution_due_at):
        order.resolution_due_at = hotline_due


def escalate(
    order: OrderData,
    terms: Terms,
    transitions: list[tuple[dt.datetime, str]],
    *,
    now: dt.datetime,
    rng: random.Random,
) -> None:
    """The escalation level the sweep would have reached by now: warned within the warning window, the
    manager at the breach, the company a day after it (``services.escalation_sweep``)."""
    due = order.resolution_due_at
    if due is None:
        return
    if order.status in (Status.RESOLVED, Status.CLOSED):
        end = order.resolved_at or now
    elif order.status == Status.CANCELLED:
        end = order.cancelled_at or now
    elif order.status == Status.ON_HOLD:
        end = order.holds[-1].started_at
    else:
        end = now

    # The sweep runs every minute: a step lands within a minute of its threshold, never after the order ends.
    def claimed(threshold: dt.datetime) -> dt.datetime:
        return min(threshold + dt.timedelta(seconds=rng.randrange(60)), end)

    warn_at = due - dt.timedelta(minutes=terms.warn_before_minutes)
    if warn_at <= end and due > end:
        order.escalation_level = EscalationLevel.WARNED
        order.escalated_at = claimed(max(warn_at, order.submitted_at))
    steps = (
        (due, EscalationLevel.MANAGER, "manager"),
        (due + dt.timedelta(minutes=terms.escalate_after_minutes), EscalationLevel.COMPANY, "company"),
    )
    for threshold, level, name in steps:
        if threshold > end:
            break
        at = claimed(threshold)
        order.escalation_level, order.escalated_at = level, at
        status = status_at(transitions, at)
        order.events.append(EventData("escalate", at, status, status, SYSTEM, "", {"level": name}))


def status_at(transitions: list[tuple[dt.datetime, str]], at: dt.datetime) -> str:
    """The status an order had at ``at``, from the (time, status after) pairs of its steps."""
    status: str = Status.SUBMITTED
    for moment, after in transitions:
        if moment > at:
            break
        status = after
    return status
