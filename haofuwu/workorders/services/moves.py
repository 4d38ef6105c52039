"""Moving work orders through the state machine, one at a time or dispatched in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import Conflict, PermissionDenied, ValidationFailed
from haofuwu.core.notifications import notify
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.workorders.choices import Action, Category, EscalationLevel, Kind, Status
from haofuwu.workorders.models import WorkOrder, WorkOrderHold
from haofuwu.workorders.permissions import ACTION_ROLES, RESIDENT_CANCELLABLE, relations
from haofuwu.workorders.services.attachments import _store_photos
from haofuwu.workorders.services.common import _event, _locked, _notify_managers, recompute_deadlines
from haofuwu.workorders.transitions import IllegalTransition, next_status

# Which trades may be dispatched to a repair of each category; other kinds (complaints, help) go to anyone.
CATEGORY_TRADES: dict[str, frozenset[str]] = {
    Category.WATER: frozenset({"engineering"}),
    Category.ELECTRICITY: frozenset({"engineering"}),
    Category.ELEVATOR: frozenset({"engineering"}),
    Category.DOORS_WINDOWS: frozenset({"engineering"}),
    Category.PUBLIC_AREA: frozenset({"engineering", "cleaning"}),
    Category.CLEANING: frozenset({"cleaning"}),
    Category.GREENING: frozenset({"greening"}),
    Category.SECURITY: frozenset({"security"}),
    Category.NOISE: frozenset({"security", "customer_service"}),
    Category.PARKING: frozenset({"security"}),
    Category.DECORATION: frozenset({"engineering", "security"}),
}


@transaction.atomic
def work_order_transition(
    *,
    actor: Any,
    work_order_id: int,
    action: str,
    assignee_id: int | None = None,
    note: str = "",
    materials: str = "",
    photos: Sequence[UploadedFile] = (),
) -> WorkOrder:
    """Move a work order by one action of the state machine, if the actor's relation to it allows."""
    scope = scope_for_user(actor)
    order = _locked(scope, work_order_id)
    mine = relations(scope, order)
    allowed = ACTION_ROLES.get(action)
    if allowed is None:
        raise ValidationFailed({"action": [_("Unknown action.")]})
    if not (mine & allowed):
        raise PermissionDenied(
            _("Your role may not do “%(action)s” on this work order.") % {"action": Action(action).label}
        )
    if action == Action.CANCEL and mine == {"household"} and order.status not in RESIDENT_CANCELLABLE:
        raise Conflict(_("Work has started; ask the service desk to cancel it."))
    if action == Action.DISPATCH and order.status == Status.DISPATCHED and order.assignee_id == assignee_id:
        # The same dispatch again (a double click, a retried request, twenty parallel ones): the row lock above
        # makes them queue, and every one after the first finds the work already done and changes nothing, so the
        # assignee is told once.
        return order
    before = order.status
    try:
        after = next_status(before, action, status_before_hold=order.status_before_hold)
    except IllegalTransition:
        raise Conflict(
            _("A work order that is %(status)s cannot be asked to %(action)s.")
            % {"status": order.get_status_display(), "action": Action(action).label}
        ) from None
    now = timezone.now()
    data: dict[str, Any] = {}
    if action == Action.ACCEPT:
        order.accepted_at = now
    elif action == Action.DISPATCH:
        assignee = _assignee(scope, order, assignee_id)
        data = {"assignee": assignee.pk, "previous": order.assignee_id}
        order.assignee = assignee
        order.accepted_at = order.accepted_at or now
        order.dispatched_at = now
    elif action == Action.START:
        # Starting work is the on-site check-in; the first one counts for the arrival clock.
        order.arrived_at = order.arrived_at or now
    elif action == Action.HOLD:
        if not note.strip():
            raise ValidationFailed({"note": [_("Say why the work order is on hold.")]})
        order.status_before_hold = before
        WorkOrderHold.objects.create(work_order=order, reason=note.strip()[:200], started_at=now)
    elif action == Action.RESUME:
        order.holds.filter(ended_at__isnull=True).update(ended_at=now)
        order.status_before_hold = ""
    elif action == Action.RESOLVE:
        if not note.strip():
            raise ValidationFailed({"note": [_("Describe what was done.")]})
        order.resolution_note = note.strip()
        order.materials = materials.strip()[:500]
        order.resolved_at = now
    elif action == Action.CLOSE:
        order.closed_at = now
    elif action == Action.REOPEN:
        order.reopen_count = F("reopen_count") + 1
        order.reopened_at = now
        order.resolved_at = None
        order.closed_at = None
        order.escalation_level = EscalationLevel.NONE
        if order.assignee_id is None:
            after = Status.ACCEPTED
    elif action == Action.CANCEL:
        if not note.strip():
            raise ValidationFailed({"note": [_("Say why the work order is cancelled.")]})
        order.cancel_reason = note.strip()[:200]
        order.cancelled_at = now
        order.holds.filter(ended_at__isnull=True).update(ended_at=now)
    order.status = after
    if action in (Action.HOLD, Action.RESUME, Action.REOPEN):
        recompute_deadlines(order)
        if action == Action.RESUME and order.resolution_due_at and order.resolution_due_at > now:
            # The clock moved the deadline into the future again: warnings and escalations start over.
            order.escalation_level = EscalationLevel.NONE
    order.save()
    order.refresh_from_db(fields=["reopen_count"])
    if photos:
        _store_photos(order, photos, stage="resolution" if action == Action.RESOLVE else "report", actor=actor)
    _event(order, actor, action, before=before, note=note.strip(), data=data)
    audit.record(actor, f"work_order.{action}", order, {"from": before, "to": after, **data})
    _after_transition(order, action)
    return order


def _assignee(scope: Scope, order: WorkOrder, assignee_id: int | None) -> Any:
    if assignee_id is None:
        raise ValidationFailed({"assignee_id": [_("Choose who will do the work.")]})
    staff = (
        estates.staff_list_for_user(scope, project_id=order.project_id, is_active=True).filter(pk=assignee_id).first()
    )
    if staff is None:
        raise ValidationFailed({"assignee_id": [_("This person does not work at the project.")]})
    trades = CATEGORY_TRADES.get(order.category)
    if order.kind == Kind.REPAIR and trades and staff.trade not in trades and not staff.is_manager:
        raise ValidationFailed(
            {
                "assignee_id": [
                    _("Repairs of the category “%(category)s” need someone of another trade.")
                    % {"category": order.get_category_display()}
                ]
            }
        )
    return staff


def _after_transition(order: WorkOrder, action: str) -> None:
    link = f"/work-orders/{order.pk}/"
    if action == Action.DISPATCH and order.assignee and order.assignee.user_id:
        notify(
            recipient=order.assignee.user,
            title=_("New task: %(title)s") % {"title": order.title},
            link=link,
            channels=["sms"],
        )
    if action == Action.RESOLVE and order.reporter_id:
        notify(
            recipient=order.reporter,
            title=_("Resolved: %(title)s") % {"title": order.title},
            link=link,
            channels=["wechat"],
        )
    if action == Action.REOPEN:
        _notify_managers(order, _("Reopened: %(title)s") % {"title": order.title})


@transaction.atomic
def work_order_bulk_dispatch(*, actor: Any, work_order_ids: Iterable[int], assignee_id: int) -> list[WorkOrder]:
    """Dispatch several work orders to one person; all or none."""
    return [
        work_order_transition(actor=actor, work_order_id=pk, action=Action.DISPATCH, assignee_id=assignee_id)
        for pk in sorted(set(work_order_ids))
    ]
