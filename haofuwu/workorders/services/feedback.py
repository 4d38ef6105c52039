"""After the work: the household's rating, return visits and the reply to the 12345 hotline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import READ_ONLY, Conflict, PermissionDenied, ValidationFailed
from haofuwu.workorders.choices import Channel, Status
from haofuwu.workorders.models import ReturnVisit, WorkOrder
from haofuwu.workorders.permissions import relations
from haofuwu.workorders.services.common import _event, _locked, _notify_managers


@transaction.atomic
def work_order_rate(*, actor: Any, work_order_id: int, rating: int, comment: str = "") -> WorkOrder:
    """The reporting household rates the result, once, after it is resolved."""
    scope = scope_for_user(actor)
    order = _locked(scope, work_order_id)
    if "household" not in relations(scope, order):
        raise PermissionDenied(_("Only the household that reported it can rate a work order."))
    if order.status not in (Status.RESOLVED, Status.CLOSED):
        raise Conflict(_("A work order can be rated once it is resolved."))
    if order.rated_at is not None:
        raise Conflict(_("This work order has already been rated."))
    if not 1 <= rating <= 5:
        raise ValidationFailed({"rating": [_("Rate from 1 to 5.")]})
    order.rating = rating
    order.rating_comment = comment.strip()[:500]
    order.rated_at = timezone.now()
    order.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    _event(order, actor, "rate", before=order.status, note=order.rating_comment, data={"rating": rating})
    audit.record(actor, "work_order.rate", order, {"rating": rating})
    if rating <= 2:
        _notify_managers(order, _("Low rating (%(rating)d) for %(title)s") % {"rating": rating, "title": order.title})
    return order


@transaction.atomic
def return_visit_record(
    *, actor: Any, work_order_id: int, outcome: str, method: str, note: str = "", visited_at: dt.datetime | None = None
) -> ReturnVisit:
    """Customer service records a return visit (回访) on a resolved or closed work order."""
    scope = scope_for_user(actor)
    order = _locked(scope, work_order_id)
    if not (relations(scope, order) & {"manage", "service"}):
        raise PermissionDenied(_("Return visits are recorded by customer service or the manager."))
    if order.status not in (Status.RESOLVED, Status.CLOSED):
        raise Conflict(_("A return visit follows a resolved work order."))
    now = timezone.now()
    visit = ReturnVisit(
        work_order=order,
        visitor=actor,
        outcome=outcome,
        method=method,
        note=note.strip()[:500],
        visited_at=min(visited_at or now, now),
    )
    try:
        visit.full_clean(exclude=["work_order", "visitor"])
    except ValidationError as error:
        raise ValidationFailed(error.message_dict) from None
    visit.save()
    _event(order, actor, "return_visit", before=order.status, note=visit.note, data={"outcome": outcome})
    audit.record(actor, "work_order.return_visit", order, {"outcome": outcome})
    return visit


@transaction.atomic
def hotline_reply(*, actor: Any, work_order_id: int, reply: str) -> WorkOrder:
    """Record the reply sent back to the 12345 hotline for a case."""
    scope = scope_for_user(actor)
    order = _locked(scope, work_order_id)
    if not (relations(scope, order) & {"manage", "service"}):
        raise PermissionDenied(READ_ONLY)
    if order.channel != Channel.HOTLINE_12345:
        raise Conflict(_("Only 12345 cases are replied to the hotline."))
    if not reply.strip():
        raise ValidationFailed({"reply": [_("Write the reply.")]})
    order.hotline_reply = reply.strip()
    order.hotline_replied_at = timezone.now()
    order.save(update_fields=["hotline_reply", "hotline_replied_at", "updated_at"])
    _event(order, actor, "hotline_reply", before=order.status, note=order.hotline_reply)
    audit.record(actor, "work_order.hotline_reply", order, {})
    return order
