"""The escalation sweep: warn before a breach, escalate at and after it, each step claimed once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.core.notifications import notify
from haofuwu.estates import selectors as estates
from haofuwu.workorders.choices import OPEN_STATUSES, EscalationLevel, Status
from haofuwu.workorders.models import WorkOrder
from haofuwu.workorders.policies import Terms
from haofuwu.workorders.services.common import _event, _notify_managers, _terms


@dataclass(frozen=True)
class SweepResult:
    """How many orders each step of one sweep moved."""

    warned: int
    escalated_to_manager: int
    escalated_to_company: int


class _TermsCache:
    """SLA terms per (project, kind, category, urgency, channel) for one sweep: one policy query per combination,
    not one per open order."""

    def __init__(self) -> None:
        self._terms: dict[tuple[int, str, str, str, str], Terms] = {}

    def __call__(self, order: WorkOrder) -> Terms:
        key = (order.project_id, order.kind, order.category, order.urgency, order.channel)
        if key not in self._terms:
            self._terms[key] = _terms(order)
        return self._terms[key]


def escalation_sweep(now: dt.datetime | None = None) -> SweepResult:
    """Warn assignees before a breach, escalate to the manager at the breach and to the company after a further
    delay. Each step is claimed with a conditional UPDATE on the escalation level, so two workers running the sweep
    at once send each notification exactly once."""
    now = now or timezone.now()
    open_orders = WorkOrder.objects.filter(status__in=OPEN_STATUSES - {Status.ON_HOLD}, resolution_due_at__isnull=False)
    warned = manager = company = 0
    terms_of = _TermsCache()
    # Warn: within the warning window before the deadline (default policy: 30 minutes). Breached orders are the
    # next step's.
    not_yet_due = open_orders.filter(escalation_level=EscalationLevel.NONE, resolution_due_at__gt=now)
    for order in not_yet_due.select_related("project", "assignee"):
        due = order.resolution_due_at
        if due is None or now < due - dt.timedelta(minutes=terms_of(order).warn_before_minutes):
            continue
        if _claim(order, EscalationLevel.NONE, EscalationLevel.WARNED, now):
            if order.assignee and order.assignee.user_id:
                notify(
                    recipient=order.assignee.user,
                    title=_("Due soon: %(title)s") % {"title": order.title},
                    link=f"/work-orders/{order.pk}/",
                    channels=["sms"],
                    dedup_key=f"wo:{order.pk}:warn:{_stamp(order)}",
                )
            warned += 1
    breached = open_orders.filter(
        escalation_level__lt=EscalationLevel.MANAGER, resolution_due_at__lte=now
    ).select_related("project", "assignee")
    for order in breached:
        if _claim(order, order.escalation_level, EscalationLevel.MANAGER, now):
            _event(order, None, "escalate", before=order.status, data={"level": "manager"})
            _notify_managers(
                order,
                _("Overdue: %(title)s") % {"title": order.title},
                dedup_key=f"wo:{order.pk}:manager:{_stamp(order)}",
            )
            manager += 1
    for order in open_orders.filter(escalation_level=EscalationLevel.MANAGER).select_related("project"):
        due = order.resolution_due_at
        if due is None or now < due + dt.timedelta(minutes=terms_of(order).escalate_after_minutes):
            continue
        if _claim(order, EscalationLevel.MANAGER, EscalationLevel.COMPANY, now):
            _event(order, None, "escalate", before=order.status, data={"level": "company"})
            for user in estates.company_admin_users(order.project.company_id):
                notify(
                    recipient=user,
                    title=_("Long overdue at %(project)s: %(title)s")
                    % {"project": order.project.name, "title": order.title},
                    link=f"/work-orders/{order.pk}/",
                    channels=["sms", "email"],
                    dedup_key=f"wo:{order.pk}:company:{_stamp(order)}:{user.pk}",
                )
            company += 1
    return SweepResult(warned, manager, company)


def _stamp(order: WorkOrder) -> str:
    """The deadline a notification is about: a deadline moved by a hold or a reopen warns again, the same one not."""
    due = order.resolution_due_at
    return f"{due:%Y%m%d%H%M%S}" if due else "none"


def _claim(order: WorkOrder, current: int, target: int, now: dt.datetime) -> bool:
    """Move the escalation level only if nobody else has: exactly one worker gets 1 row."""
    with transaction.atomic():
        claimed = (
            WorkOrder.objects.filter(pk=order.pk, escalation_level=current)
            .filter(Q(status__in=OPEN_STATUSES))
            .update(escalation_level=target, escalated_at=now)
        )
    return claimed == 1
