"""Shared steps of the work-order services: events, deadlines, relations, manager notices, row locks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.core.errors import NotFound
from haofuwu.core.notifications import notify
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.workorders import selectors
from haofuwu.workorders.choices import Channel, Urgency
from haofuwu.workorders.models import WorkOrder, WorkOrderEvent
from haofuwu.workorders.permissions import manages
from haofuwu.workorders.policies import Terms
from haofuwu.workorders.sla import Interval, deadline


def _event(
    order: WorkOrder, actor: Any, action: str, *, before: str = "", note: str = "", data: dict[str, Any] | None = None
) -> WorkOrderEvent:
    return WorkOrderEvent.objects.create(
        work_order=order,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=str(actor) if actor is not None else "system",
        action=action,
        from_status=before,
        to_status=order.status,
        note=note,
        data=data or {},
        created_at=timezone.now(),
    )


def _terms(order: WorkOrder) -> Terms:
    return selectors.terms_for(
        project=order.project, kind=order.kind, category=order.category, urgency=order.urgency, channel=order.channel
    )


def _pauses(order: WorkOrder) -> list[Interval]:
    if order.pk is None:
        return []
    return [Interval(hold.started_at, hold.ended_at) for hold in order.holds.all()]


def recompute_deadlines(order: WorkOrder) -> None:
    """Set the response, arrival and resolution deadlines from the policy, the calendar and the holds so far."""
    terms = _terms(order)
    order.sla_policy_id = terms.policy_id
    calendar = selectors.calendar_for(order.project.company_id) if terms.uses_working_hours else None
    pauses = _pauses(order)
    start = order.submitted_at

    def due(minutes: int | None) -> dt.datetime | None:
        if minutes is None:
            return None
        return deadline(start, dt.timedelta(minutes=minutes), calendar=calendar, pauses=pauses)

    order.response_due_at = due(terms.response_minutes)
    if order.urgency == Urgency.APPOINTMENT and order.appointment_end is not None:
        # By appointment the promise is the window the resident chose (P-13).
        order.arrival_due_at = order.appointment_end
    else:
        order.arrival_due_at = due(terms.arrival_minutes)
    # A reopened order gets a fresh resolution clock from the moment it was reopened.
    resolution_start = order.reopened_at or start
    order.resolution_due_at = (
        deadline(
            resolution_start,
            dt.timedelta(minutes=terms.resolution_minutes),
            calendar=calendar,
            pauses=[p for p in pauses if p.end is None or p.end > resolution_start],
        )
        if order.reopened_at
        else due(terms.resolution_minutes)
    )
    # The hotline's own deadline on the case sheet wins when it is earlier than ours, and holds do not move it.
    hotline_due = order.hotline_deadline if order.channel == Channel.HOTLINE_12345 else None
    if hotline_due is not None and (order.resolution_due_at is None or hotline_due < order.resolution_due_at):
        order.resolution_due_at = hotline_due


def relations_for_project(scope: Scope, project_id: int, company_id: int) -> set[str]:
    """Staff relations a user has to a project (without an order): manage, staff."""
    found = set()
    if manages(scope, project_id, company_id):
        found.add("manage")
    if project_id in scope.project_ids and (scope.trades or project_id in scope.managed_project_ids):
        found.add("staff")
    return found


def _notify_managers(order: WorkOrder, title: str, *, dedup_key: str = "") -> int:
    return project_managers_notify(
        project_id=order.project_id,
        title=title,
        body=order.description[:200],
        link=f"/work-orders/{order.pk}/",
        dedup_key=dedup_key,
    )


def project_managers_notify(*, project_id: int, title: str, body: str = "", link: str = "", dedup_key: str = "") -> int:
    """Tell every manager of a project (inbox and SMS); returns how many were told."""
    sent = 0
    for user in estates.project_manager_users(project_id):
        key = f"{dedup_key}:{user.pk}" if dedup_key else ""
        if notify(recipient=user, title=title, body=body, link=link, channels=["sms"], dedup_key=key):
            sent += 1
    return sent


def _locked(scope: Scope, work_order_id: int) -> WorkOrder:
    """The order, visible to the scope, with its project and assignee, locked for this transaction so two clicks
    cannot both move it. Only the order's own row is locked (``of``): the joined rows are read, not changed."""
    visible = selectors.work_order_list_for_user(scope).filter(pk=work_order_id).values("pk")
    order = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("project", "assignee")
        .filter(pk__in=visible)
        .first()
    )
    if order is None:
        raise NotFound(_("Not found."))
    return order
