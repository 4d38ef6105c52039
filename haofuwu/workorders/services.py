"""Write side of work orders: submit, move through the state machine, rate, record return visits, escalate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import READ_ONLY, Conflict, NotFound, PermissionDenied, ValidationFailed
from haofuwu.core.notifications import notify
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.workorders import selectors
from haofuwu.workorders.choices import (
    OPEN_STATUSES,
    Action,
    Category,
    Channel,
    EscalationLevel,
    Kind,
    Status,
    Urgency,
)
from haofuwu.workorders.models import ReturnVisit, SlaPolicy, WorkOrder, WorkOrderEvent, WorkOrderHold, WorkOrderPhoto
from haofuwu.workorders.permissions import ACTION_ROLES, RESIDENT_CANCELLABLE, relations
from haofuwu.workorders.photos import MAX_PHOTOS, check_photo
from haofuwu.workorders.policies import Terms
from haofuwu.workorders.sla import Interval, deadline
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


def _full_clean(order: WorkOrder) -> None:
    try:
        # The constraints are checked where they matter (the 12345 case number above) and by the database.
        order.full_clean(
            exclude=["project", "building", "unit", "assignee", "reporter", "sla_policy"], validate_constraints=False
        )
    except ValidationError as error:
        raise ValidationFailed(error.message_dict) from None


def _check_photos(photos: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Refuse the whole upload if any photo is not acceptable; return each photo with its sniffed type."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed({"photos": [_("At most %(count)d photos at a time.") % {"count": MAX_PHOTOS}]})
    checked = []
    for photo in photos:
        photo.seek(0)
        head = photo.read(16)
        photo.seek(0)
        result = check_photo(photo.name or "photo", photo.size or 0, head)
        if result.error:
            raise ValidationFailed({"photos": [result.error]})
        checked.append((photo, result.content_type or ""))
    return checked


def _save_photos(order: WorkOrder, checked: list[tuple[UploadedFile, str]], *, stage: str, actor: Any) -> None:
    for photo, content_type in checked:
        WorkOrderPhoto.objects.create(
            work_order=order,
            stage=stage,
            image=photo,
            content_type=content_type,
            size=photo.size or 0,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )


def _store_photos(order: WorkOrder, photos: Sequence[UploadedFile], *, stage: str, actor: Any) -> None:
    _save_photos(order, _check_photos(photos), stage=stage, actor=actor)


@dataclass(frozen=True)
class Location:
    building_id: int | None
    unit_id: int | None


def _locate(scope: Scope, project_id: int, *, building_id: int | None, unit_id: int | None) -> Location:
    if unit_id is not None:
        unit = estates.unit_get_for_user(scope, unit_id)
        if unit.building.project_id != project_id:
            raise ValidationFailed({"unit_id": [_("This household is not in the project.")]})
        return Location(unit.building_id, unit.pk)
    if building_id is not None:
        building = estates.building_get_for_user(scope, building_id)
        if building.project_id != project_id:
            raise ValidationFailed({"building_id": [_("This building is not in the project.")]})
        return Location(building.pk, None)
    return Location(None, None)


def work_order_submit(
    *,
    actor: Any,
    project_id: int,
    kind: str,
    category: str,
    urgency: str,
    title: str,
    description: str,
    channel: str = Channel.APP,
    building_id: int | None = None,
    unit_id: int | None = None,
    public_area: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    appointment_start: dt.datetime | None = None,
    appointment_end: dt.datetime | None = None,
    hotline_case_number: str = "",
    hotline_deadline: dt.datetime | None = None,
    submitted_at: dt.datetime | None = None,
    photos: Sequence[UploadedFile] = (),
    notify_managers: bool = True,
) -> WorkOrder:
    """Register a request. Residents report for their own household (or a public area of their project); staff
    of the project record what came by phone, walk-in, patrol or the hotline. Bulk imports pass
    ``notify_managers=False`` and send one summary instead of a message per row."""
    scope = scope_for_user(actor)
    project = estates.project_get_for_user(scope, project_id)
    is_staff = bool(relations_for_project(scope, project.pk, project.company_id))
    if not is_staff:
        if project.pk not in scope.household_project_ids:
            raise PermissionDenied(READ_ONLY)
        if unit_id is not None and unit_id not in scope.household_unit_ids:
            raise NotFound(_("Not found."), field="unit_id")
        channel = Channel.APP
    location = _locate(scope, project.pk, building_id=building_id, unit_id=unit_id)
    if location.unit_id is None and location.building_id is None and not public_area.strip():
        raise ValidationFailed({"public_area": [_("Say where: a household, a building or a public area.")]})
    if urgency == Urgency.APPOINTMENT:
        if appointment_start is None or appointment_end is None:
            raise ValidationFailed({"appointment_start": [_("An appointment needs a time window.")]})
        if appointment_end <= appointment_start:
            raise ValidationFailed({"appointment_end": [_("The window must end after it starts.")]})
    if channel == Channel.HOTLINE_12345 and not hotline_case_number.strip():
        raise ValidationFailed({"hotline_case_number": [_("A 12345 case needs its case number.")]})
    if hotline_case_number and WorkOrder.objects.filter(hotline_case_number=hotline_case_number.strip()).exists():
        raise ValidationFailed({"hotline_case_number": [_("This 12345 case is already registered.")]})
    now = timezone.now()
    order = WorkOrder(
        project=project,
        building_id=location.building_id,
        unit_id=location.unit_id,
        public_area=public_area.strip(),
        kind=kind,
        category=category,
        urgency=urgency,
        channel=channel,
        title=title.strip(),
        description=description.strip(),
        reporter=actor if getattr(actor, "is_authenticated", False) else None,
        reporter_name=reporter_name.strip() or (str(actor) if not is_staff else ""),
        reporter_phone=reporter_phone.strip(),
        appointment_start=appointment_start,
        appointment_end=appointment_end,
        hotline_case_number=hotline_case_number.strip(),
        hotline_deadline=hotline_deadline,
        submitted_at=min(submitted_at or now, now),
    )
    _full_clean(order)
    recompute_deadlines(order)
    checked = _check_photos(photos)
    # Every read and check above runs before the write transaction: on SQLite the transaction holds the database's
    # single write lock from its first statement, so it should be short.
    with transaction.atomic():
        order.save()
        _save_photos(order, checked, stage="report", actor=actor)
        _event(order, actor, "submit", data={"channel": channel, "photos": len(photos)})
        audit.record(actor, "work_order.submit", order, {"kind": kind, "category": category, "urgency": urgency})
        if notify_managers and (kind == Kind.COMPLAINT or urgency == Urgency.URGENT):
            # Complaints always reach the project manager; urgent repairs too, so someone is on it at once.
            title = _("New %(kind)s: %(title)s") % {"kind": order.get_kind_display(), "title": order.title}
            _notify_managers(order, title)
    return order


def relations_for_project(scope: Scope, project_id: int, company_id: int) -> set[str]:
    """Staff relations a user has to a project (without an order): manage, staff."""
    found = set()
    if scope.is_platform_admin or company_id in scope.company_ids or project_id in scope.managed_project_ids:
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
    """The order, visible to the scope, locked for this transaction so two clicks cannot both move it."""
    visible = selectors.work_order_list_for_user(scope).filter(pk=work_order_id).values("pk")
    order = WorkOrder.objects.select_for_update().filter(pk__in=visible).first()
    if order is None:
        raise NotFound(_("Not found."))
    return order


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
    order = WorkOrder.objects.select_related("project", "assignee").get(pk=order.pk)
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
def work_order_rate(*, actor: Any, work_order_id: int, rating: int, comment: str = "") -> WorkOrder:
    """The reporting household rates the result, once, after it is resolved."""
    scope = scope_for_user(actor)
    order = _locked(scope, work_order_id)
    order = WorkOrder.objects.select_related("project", "assignee").get(pk=order.pk)
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
    order = WorkOrder.objects.select_related("project", "assignee").get(pk=order.pk)
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
def work_order_bulk_dispatch(*, actor: Any, work_order_ids: Iterable[int], assignee_id: int) -> list[WorkOrder]:
    """Dispatch several work orders to one person; all or none."""
    return [
        work_order_transition(actor=actor, work_order_id=pk, action=Action.DISPATCH, assignee_id=assignee_id)
        for pk in sorted(set(work_order_ids))
    ]


@transaction.atomic
def hotline_reply(*, actor: Any, work_order_id: int, reply: str) -> WorkOrder:
    """Record the reply sent back to the 12345 hotline for a case."""
    scope = scope_for_user(actor)
    order = _locked(scope, work_order_id)
    order = WorkOrder.objects.select_related("project", "assignee").get(pk=order.pk)
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


# Escalation sweep


@dataclass(frozen=True)
class SweepResult:
    warned: int
    escalated_to_manager: int
    escalated_to_company: int


def escalation_sweep(now: dt.datetime | None = None) -> SweepResult:
    """Warn assignees before a breach, escalate to the manager at the breach and to the company after a further
    delay. Each step is claimed with a conditional UPDATE on the escalation level, so two workers running the sweep
    at once send each notification exactly once."""
    now = now or timezone.now()
    open_orders = WorkOrder.objects.filter(status__in=OPEN_STATUSES - {Status.ON_HOLD}, resolution_due_at__isnull=False)
    warned = manager = company = 0
    # Warn: within the warning window before the deadline (default policy: 30 minutes).
    for order in open_orders.filter(escalation_level=EscalationLevel.NONE).select_related("project", "assignee"):
        terms = _terms(order)
        if order.resolution_due_at is None or now < order.resolution_due_at - dt.timedelta(
            minutes=terms.warn_before_minutes
        ):
            continue
        if now >= order.resolution_due_at:
            continue  # already breached: the next step handles it
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
        terms = _terms(order)
        if order.resolution_due_at is None or now < order.resolution_due_at + dt.timedelta(
            minutes=terms.escalate_after_minutes
        ):
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


@transaction.atomic
def work_order_add_photos(*, actor: Any, work_order_id: int, photos: Sequence[UploadedFile]) -> list[WorkOrderPhoto]:
    """Add photos: the reporting household before work is done, staff who act on it at any time."""
    scope = scope_for_user(actor)
    order = _locked(scope, work_order_id)
    order = WorkOrder.objects.select_related("project", "assignee").get(pk=order.pk)
    mine = relations(scope, order)
    if not mine:
        raise PermissionDenied(READ_ONLY)
    if not photos:
        raise ValidationFailed({"files": [_("Choose at least one photo.")]})
    stage = (
        "resolution" if mine & {"assignee", "manage", "service"} and order.status == Status.IN_PROGRESS else "report"
    )
    before = set(order.photos.values_list("pk", flat=True))
    _store_photos(order, photos, stage=stage, actor=actor)
    added = list(order.photos.exclude(pk__in=before))
    _event(order, actor, "photos", before=order.status, data={"count": len(added), "stage": stage})
    return added


@transaction.atomic
def sla_policy_save(
    *,
    actor: Any,
    company_id: int,
    project_id: int | None,
    kind: str,
    category: str,
    urgency: str,
    terms: dict[str, Any],
) -> SlaPolicy:
    """Create or replace the deadlines for a kind/category/urgency of a company, or of one of its projects."""
    scope = scope_for_user(actor)
    company = estates.company_get_for_user(scope, company_id)
    project = None
    if project_id is not None:
        project = estates.project_get_for_user(scope, project_id)
        if project.company_id != company.pk:
            raise ValidationFailed({"project_id": [_("This project belongs to another company.")]})
        allowed = scope.can_write_project(project.pk, company.pk)
    else:
        allowed = scope.can_write_company(company.pk)
    if not allowed:
        raise PermissionDenied(READ_ONLY)
    policy, created = SlaPolicy.objects.update_or_create(
        company=company,
        project=project if project_id is not None else None,
        kind=kind,
        category=category,
        urgency=urgency,
        defaults=terms,
    )
    try:
        policy.full_clean(exclude=["company", "project"])
    except ValidationError as error:
        raise ValidationFailed(error.message_dict) from None
    audit.record(actor, "sla_policy.create" if created else "sla_policy.update", policy, {"kind": kind, **terms})
    return policy
