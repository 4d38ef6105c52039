"""Read side of activities: the list per audience, one activity with its registrations, a resident's own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from haofuwu.community.choices import ActivityStatus, RegistrationStatus
from haofuwu.community.models import Activity, Registration
from haofuwu.community.permissions import is_staff_account
from haofuwu.community.selectors.common import get_or_404
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates

PUBLIC_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED)


def _for_households(queryset: Any, scope: Scope) -> Any:
    """What a resident sees: published or held activities open to the whole project or to their building."""
    buildings = list(
        estates.unit_list_for_user(scope).filter(pk__in=scope.household_unit_ids).values_list("building_id", flat=True)
    )
    through = Activity.buildings.through
    in_building = Exists(through.objects.filter(activity_id=OuterRef("pk"), building_id__in=buildings))
    return queryset.filter(status__in=PUBLIC_STATUSES).filter(Q(is_whole_project=True) | in_building)


def activity_list_for_user(
    scope: Scope,
    *,
    project_id: int | None = None,
    status: str = "",
    starts_from: dt.datetime | None = None,
    starts_until: dt.datetime | None = None,
) -> QuerySet[Activity]:
    """Activities of the projects the user sees, soonest last; residents see those meant for them."""
    queryset: Any = Activity.objects.visible_to(scope).select_related("project")
    if not is_staff_account(scope):
        queryset = _for_households(queryset, scope)
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if status:
        queryset = queryset.filter(status=status)
    if starts_from:
        queryset = queryset.filter(starts_at__gte=starts_from)
    if starts_until:
        queryset = queryset.filter(starts_at__lt=starts_until)
    return queryset.annotate(
        waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        attended=Count("registrations", filter=Q(registrations__status=RegistrationStatus.ATTENDED)),
    ).order_by("-starts_at", "-id")


def activity_get_for_user(scope: Scope, activity_id: int) -> Activity:
    return get_or_404(activity_list_for_user(scope).prefetch_related("buildings"), activity_id)


def registration_list_for_user(scope: Scope, activity: Activity) -> QuerySet[Registration]:
    """An activity's registrations: all of them for staff, a resident's own; places first, then the waiting list
    in order."""
    queryset = Registration.objects.filter(activity=activity).select_related("unit__building")
    if not is_staff_account(scope):
        queryset = queryset.filter(user_id=scope.user_id or 0)
    return queryset.order_by("status", "waitlisted_at", "created_at", "id")


def registration_get_for_user(scope: Scope, activity: Activity, registration_id: int) -> Registration:
    return get_or_404(registration_list_for_user(scope, activity), registration_id)


def registration_by_ticket(ticket: str) -> Registration | None:
    """The registration a ticket QR names (unscoped: the caller checks the scanner may check people in)."""
    if not ticket or len(ticket) > 32:
        return None
    return Registration.objects.select_related("activity__project", "unit__building").filter(ticket=ticket).first()


def activity_by_door_token(token: str) -> Activity | None:
    if not token or len(token) > 32:
        return None
    return Activity.objects.select_related("project").filter(door_token=token).first()


def my_registrations(user_id: int | None, activity_ids: list[int]) -> dict[int, Any]:
    """The user's live registration per activity."""
    if user_id is None:
        return {}
    rows = Registration.objects.filter(activity_id__in=activity_ids, user_id=user_id).exclude(
        status=RegistrationStatus.CANCELLED
    )
    return {row.activity_id: row for row in rows}


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line; None when not on the waiting list."""
    if registration.status != RegistrationStatus.WAITLISTED or registration.waitlisted_at is None:
        return None
    ahead = Registration.objects.filter(activity_id=registration.activity_id, status=RegistrationStatus.WAITLISTED)
    ahead = ahead.filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1
