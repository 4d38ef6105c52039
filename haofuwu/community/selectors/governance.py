"""Read side of joint governance: meetings with their attendees and the action ledger, overdue first."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from haofuwu.community.choices import ActionStatus
from haofuwu.community.models import JointAction, JointMeeting, JointMeetingAttendee
from haofuwu.community.permissions import is_staff_account
from haofuwu.community.selectors.common import get_or_404
from haofuwu.core.scoping import Scope


def joint_meeting_list_for_user(
    scope: Scope, *, project_id: int | None = None, level: str = ""
) -> QuerySet[JointMeeting]:
    """Joint meetings of the projects the user sees (staff accounts and regulators), newest first."""
    if not is_staff_account(scope):
        return JointMeeting.objects.none()
    queryset = JointMeeting.objects.visible_to(scope).select_related("project")
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if level:
        queryset = queryset.filter(level=level)
    return queryset.annotate(
        action_count=Count("actions", distinct=True),
        open_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN), distinct=True),
    ).order_by("-starts_at", "-id")


def joint_meeting_get_for_user(scope: Scope, meeting_id: int) -> JointMeeting:
    return get_or_404(
        joint_meeting_list_for_user(scope).prefetch_related(
            Prefetch("attendees", JointMeetingAttendee.objects.order_by("party", "id")),
            Prefetch("actions", JointAction.objects.order_by("due_on", "id")),
        ),
        meeting_id,
    )


def joint_action_list_for_user(
    scope: Scope,
    *,
    project_id: int | None = None,
    status: str = "",
    party: str = "",
    is_overdue: bool | None = None,
    today: dt.date,
) -> QuerySet[JointAction]:
    """The action ledger: overdue open actions first, then open by deadline, then done ones."""
    if not is_staff_account(scope):
        return JointAction.objects.none()
    queryset = JointAction.objects.visible_to(scope).select_related("meeting__project")
    if project_id:
        queryset = queryset.filter(meeting__project_id=project_id)
    if status:
        queryset = queryset.filter(status=status)
    if party:
        queryset = queryset.filter(party=party)
    overdue = Q(status=ActionStatus.OPEN, due_on__lt=today)
    if is_overdue is True:
        queryset = queryset.filter(overdue)
    elif is_overdue is False:
        queryset = queryset.exclude(overdue)
    rank = Case(
        When(overdue, then=Value(0)),
        When(status=ActionStatus.OPEN, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.annotate(rank=rank).order_by("rank", "due_on", "id")


def joint_action_get_for_user(scope: Scope, action_id: int, *, today: dt.date) -> JointAction:
    return get_or_404(joint_action_list_for_user(scope, today=today), action_id)


def overdue_actions_to_escalate(today: dt.date, *, level_below: int, due_before: dt.date) -> QuerySet[JointAction]:
    """Open actions due before ``due_before`` not yet escalated to ``level_below`` (unscoped, for the sweep)."""
    return JointAction.objects.filter(
        status=ActionStatus.OPEN, due_on__lt=min(due_before, today), escalation_level__lt=level_below
    ).select_related("meeting__project", "owner")
