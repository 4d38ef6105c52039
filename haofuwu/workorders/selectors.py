"""Read side of work orders: scoped lists, SLA terms and calendars, and the metrics the standard reads."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from haofuwu.core.errors import NOT_FOUND, NotFound
from haofuwu.core.scoping import Scope, visibility_q
from haofuwu.estates import selectors as estates
from haofuwu.workorders.choices import DONE_STATUSES, OPEN_STATUSES, Kind, Status
from haofuwu.workorders.models import (
    CalendarDay,
    ReturnVisit,
    SlaPolicy,
    WorkOrder,
    WorkOrderPhoto,
    work_order_number,
)
from haofuwu.workorders.policies import PolicyRow, Terms, choose
from haofuwu.workorders.sla import Calendar

LIST_FIELDS = (
    "id",
    "project_id",
    "project__name",
    "project__company_id",
    "building_id",
    "building__name",
    "unit_id",
    "unit__entrance",
    "unit__room",
    "unit__building__name",
    "public_area",
    "kind",
    "category",
    "urgency",
    "channel",
    "title",
    "description",
    "status",
    "assignee_id",
    "assignee__name",
    "assignee__trade",
    "assignee__user_id",
    "reporter_id",
    "reporter_name",
    "reporter_phone",
    "submitted_at",
    "accepted_at",
    "dispatched_at",
    "arrived_at",
    "resolved_at",
    "closed_at",
    "cancelled_at",
    "appointment_start",
    "appointment_end",
    "response_due_at",
    "arrival_due_at",
    "resolution_due_at",
    "escalation_level",
    "reopen_count",
    "rating",
    "rating_comment",
    "hotline_case_number",
    "hotline_deadline",
    "hotline_replied_at",
)


def work_order_list_for_user(
    scope: Scope,
    *,
    project_id: int | None = None,
    status: str = "",
    kind: str = "",
    category: str = "",
    urgency: str = "",
    channel: str = "",
    assignee_id: int | None = None,
    is_overdue: bool | None = None,
    is_open: bool | None = None,
    search: str = "",
    now: dt.datetime | None = None,
) -> QuerySet[WorkOrder]:
    """Work orders the scope can see: staff and regulators by project, a resident their household's and their own
    reports."""
    if not scope.is_authenticated:
        return WorkOrder.objects.none()
    visible = visibility_q(WorkOrder, scope)
    if visible is not None and scope.household_unit_ids:
        # A resident also follows what they reported themselves about a public area (no household on it). Only
        # for residents: for staff the OR would keep PostgreSQL from using the project index.
        visible |= Q(reporter_id=scope.user_id)
    queryset = WorkOrder.objects.all() if visible is None else WorkOrder.objects.filter(visible)
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if category:
        queryset = queryset.filter(category=category)
    if urgency:
        queryset = queryset.filter(urgency=urgency)
    if channel:
        queryset = queryset.filter(channel=channel)
    if assignee_id:
        queryset = queryset.filter(assignee_id=assignee_id)
    if is_open is not None:
        queryset = queryset.filter(status__in=OPEN_STATUSES) if is_open else queryset.filter(status__in=DONE_STATUSES)
    if is_overdue is not None:
        moment = now or timezone.now()
        overdue = Q(status__in=OPEN_STATUSES, resolution_due_at__lt=moment)
        queryset = queryset.filter(overdue) if is_overdue else queryset.exclude(overdue)
    if search:
        queryset = queryset.filter(
            Q(title__icontains=search) | Q(description__icontains=search) | Q(hotline_case_number=search)
        )
    # Only the columns a list shows: the related rows are wide (and a staff member's phone is encrypted, so
    # loading it would decrypt one value per row for nothing).
    return (
        queryset.select_related("project", "building", "unit__building", "assignee")
        .only(*LIST_FIELDS)
        .order_by("-submitted_at", "-id")
    )


def work_order_get_for_user(scope: Scope, work_order_id: int) -> WorkOrder:
    """One work order the scope may see, or ``NotFound``."""
    order = work_order_list_for_user(scope).filter(pk=work_order_id).first()
    if order is None:
        raise NotFound(NOT_FOUND)
    return order


def work_order_detail(scope: Scope, work_order_id: int) -> WorkOrder:
    """One work order with its timeline, photos, holds and return visits (a few queries, however long)."""
    order = (
        work_order_list_for_user(scope)
        .filter(pk=work_order_id)
        .defer(None)
        .prefetch_related("events", "photos", "holds", "return_visits")
        .first()
    )
    if order is None:
        raise NotFound(NOT_FOUND)
    return order


def work_order_photo_get_for_user(scope: Scope, photo_id: int) -> WorkOrderPhoto:
    """A photo of a work order the scope may see, for those who may see its photos (the project's property staff and
    the reporting household); ``NotFound`` for anyone else, as for a photo that does not exist."""
    from haofuwu.workorders.permissions import sees_reporter_details

    photo = WorkOrderPhoto.objects.filter(pk=photo_id).first()
    if photo is None:
        raise NotFound(NOT_FOUND)
    order = work_order_get_for_user(scope, photo.work_order_id)
    if not sees_reporter_details(scope, order):
        raise NotFound(NOT_FOUND)
    return photo


def work_order_photos_for_user(scope: Scope, order: WorkOrder) -> list[WorkOrderPhoto]:
    """The photos of a work order the scope has found, or none for those who may not see them."""
    from haofuwu.workorders.permissions import sees_reporter_details

    return list(order.photos.all()) if sees_reporter_details(scope, order) else []


def terms_for(*, project: Any, kind: str, category: str, urgency: str, channel: str) -> Terms:
    """The SLA terms for a work order of this kind in this project."""
    rows = [
        PolicyRow(
            id=policy.pk,
            project_id=policy.project_id,
            kind=policy.kind,
            category=policy.category,
            urgency=policy.urgency,
            terms=Terms(
                response_minutes=policy.response_minutes,
                arrival_minutes=policy.arrival_minutes,
                resolution_minutes=policy.resolution_minutes,
                uses_working_hours=policy.uses_working_hours,
                warn_before_minutes=policy.warn_before_minutes,
                escalate_after_minutes=policy.escalate_after_minutes,
                policy_id=policy.pk,
            ),
        )
        for policy in SlaPolicy.objects.filter(company_id=project.company_id, kind=kind).filter(
            Q(project__isnull=True) | Q(project_id=project.pk)
        )
    ]
    return choose(rows, project_id=project.pk, kind=kind, category=category, urgency=urgency, channel=channel)


def calendar_for(company_id: int) -> Calendar:
    """The company's working calendar: default hours, its public holidays and make-up working days."""
    days = list(CalendarDay.objects.filter(company_id=company_id).values_list("date", "is_working_day"))
    return Calendar(
        holidays=frozenset(day for day, working in days if not working),
        makeup_workdays=frozenset(day for day, working in days if working),
    )


def sla_policy_list_for_user(scope: Scope, *, company_id: int | None = None) -> QuerySet[SlaPolicy]:
    """SLA policies of the companies the scope reaches (company-wide ones and those of visible projects)."""
    if not scope.is_authenticated:
        return SlaPolicy.objects.none()
    queryset = SlaPolicy.objects.all()
    if not scope.sees_everything:
        projects = estates.project_list_for_user(scope)
        queryset = queryset.filter(company_id__in=projects.values("company_id")).filter(
            Q(project__isnull=True) | Q(project__in=projects.values("pk"))
        )
    if company_id:
        queryset = queryset.filter(company_id=company_id)
    return queryset.order_by("company_id", "project_id", "kind", "category", "urgency")


def return_visit_list(order: WorkOrder) -> QuerySet[ReturnVisit]:
    """The return visits of a work order, newest first."""
    return order.return_visits.select_related("visitor")


def _clock(due: dt.datetime | None, done: dt.datetime | None, now: dt.datetime, *, running: bool) -> dict[str, Any]:
    return {
        "due_at": due,
        "done_at": done,
        "is_met": None if done is None or due is None else done <= due,
        "is_overdue": running and done is None and due is not None and now > due,
    }


def list_row_as_order(row: dict[str, Any]) -> SimpleNamespace:
    """A ``values(*LIST_FIELDS)`` row shaped like a work order for :func:`work_order_summary`: a page of rows
    builds in a fraction of the time of model instances with their related objects."""
    order = SimpleNamespace(**{key: value for key, value in row.items() if "__" not in key})
    order.pk = row["id"]
    order.number = work_order_number(row["id"])
    order.project = SimpleNamespace(name=row["project__name"], company_id=row["project__company_id"])
    order.building = SimpleNamespace(name=row["building__name"]) if row["building_id"] else None
    order.unit = (
        SimpleNamespace(
            label=estates.household_label(row["unit__building__name"], row["unit__entrance"], row["unit__room"])
        )
        if row["unit_id"]
        else None
    )
    order.assignee = (
        SimpleNamespace(
            pk=row["assignee_id"],
            name=row["assignee__name"],
            trade=row["assignee__trade"],
            user_id=row["assignee__user_id"],
        )
        if row["assignee_id"]
        else None
    )
    return order


def work_order_summary(scope: Scope, order: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """A work order as the API and pages show it: location, clocks, the caller's possible actions, and the
    reporter's phone masked unless the role needs it."""
    from haofuwu.accounts.roles import VIEW_PHONE
    from haofuwu.core.masking import mask_phone
    from haofuwu.workorders.permissions import actions_for

    now = now or timezone.now()
    running = order.status in OPEN_STATUSES
    if order.unit_id and order.unit:
        location = order.unit.label
    elif order.building_id and order.building:
        location = order.building.name + (f" {order.public_area}" if order.public_area else "")
    else:
        location = order.public_area
    from haofuwu.core.masking import mask_name
    from haofuwu.workorders.permissions import sees_reporter_details

    own = order.reporter_id is not None and order.reporter_id == scope.user_id
    sees_reporter = own or sees_reporter_details(scope, order)
    phone = (
        order.reporter_phone if own or (sees_reporter and scope.has(VIEW_PHONE)) else mask_phone(order.reporter_phone)
    )
    resolution = _clock(order.resolution_due_at, order.resolved_at, now, running=running and order.status != "on_hold")
    response = _clock(order.response_due_at, order.accepted_at, now, running=running)
    arrival = _clock(order.arrival_due_at, order.arrived_at, now, running=running)
    return {
        "id": order.pk,
        "number": order.number,
        "project_id": order.project_id,
        "project_name": order.project.name,
        "building_id": order.building_id,
        "unit_id": order.unit_id,
        "location": location,
        "kind": order.kind,
        "category": order.category,
        "urgency": order.urgency,
        "channel": order.channel,
        "title": order.title,
        "description": order.description,
        "status": order.status,
        "assignee": (
            {"id": order.assignee.pk, "name": order.assignee.name, "trade": order.assignee.trade}
            if order.assignee
            else None
        ),
        "reporter_name": order.reporter_name if sees_reporter else mask_name(order.reporter_name),
        "reporter_phone": phone,
        "submitted_at": order.submitted_at,
        "accepted_at": order.accepted_at,
        "dispatched_at": order.dispatched_at,
        "arrived_at": order.arrived_at,
        "resolved_at": order.resolved_at,
        "closed_at": order.closed_at,
        "cancelled_at": order.cancelled_at,
        "appointment_start": order.appointment_start,
        "appointment_end": order.appointment_end,
        "response": response,
        "arrival": arrival,
        "resolution": resolution,
        "is_overdue": resolution["is_overdue"],
        "breaches": [
            name
            for name, clock in (("response", response), ("arrival", arrival), ("resolution", resolution))
            if clock["is_met"] is False or clock["is_overdue"]
        ],
        "escalation_level": order.escalation_level,
        "reopen_count": order.reopen_count,
        "rating": order.rating,
        "rating_comment": order.rating_comment,
        "hotline_case_number": order.hotline_case_number,
        "hotline_deadline": order.hotline_deadline,
        "hotline_replied_at": order.hotline_replied_at,
        "allowed_actions": actions_for(scope, order),
    }


# Return visits are owed after repairs and complaints (P-14, P-16, R-08); a visit is due this long after resolution.
RETURN_VISIT_KINDS = (Kind.REPAIR, Kind.COMPLAINT)
RETURN_VISIT_DUE_AFTER = dt.timedelta(days=3)


def work_orders_owing_return_visit(
    scope: Scope | None,
    *,
    project_ids: list[int] | None = None,
    resolved_from: dt.datetime | None = None,
    resolved_until: dt.datetime | None = None,
) -> QuerySet[WorkOrder]:
    """Repairs and complaints resolved (or closed) — each owes a return visit — annotated with ``is_visited``,
    ``last_visit_outcome`` and ``last_visited_at``. ``scope=None`` reads every project (metrics and sweeps)."""
    queryset = WorkOrder.objects.all() if scope is None else WorkOrder.objects.visible_to(scope)
    queryset = queryset.filter(
        kind__in=RETURN_VISIT_KINDS, status__in=[Status.RESOLVED, Status.CLOSED], resolved_at__isnull=False
    )
    if project_ids is not None:
        queryset = queryset.filter(project_id__in=project_ids)
    if resolved_from is not None:
        queryset = queryset.filter(resolved_at__gte=resolved_from)
    if resolved_until is not None:
        queryset = queryset.filter(resolved_at__lt=resolved_until)
    visits = ReturnVisit.objects.filter(work_order=OuterRef("pk")).order_by("-visited_at", "-id")
    return queryset.annotate(
        is_visited=Exists(visits),
        last_visit_outcome=Subquery(visits.values("outcome")[:1]),
        last_visited_at=Subquery(visits.values("visited_at")[:1]),
    )
