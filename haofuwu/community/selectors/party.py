"""Read side of party building: organisations, members, 三会一课 meetings, pioneer posts, red-property applications
and appointments (cross appointments and grid members)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from haofuwu.community.choices import ApplicationStatus, AppointmentKind, MemberStatus
from haofuwu.community.models import (
    Appointment,
    PartyCoverage,
    PartyMeeting,
    PartyMember,
    PartyOrganisation,
    PioneerPost,
    RedPropertyApplication,
)
from haofuwu.community.permissions import is_staff_account
from haofuwu.community.selectors.common import get_or_404
from haofuwu.core.scoping import Scope


def _active_on(day: dt.date, start: str = "started_on", end: str = "ended_on") -> Q:
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def party_organisation_list_for_user(scope: Scope, *, project_id: int | None = None) -> QuerySet[PartyOrganisation]:
    """Organisations of the user's companies or covering a project they see (residents: their project's)."""
    queryset = PartyOrganisation.objects.select_related("company")
    if not scope.is_authenticated:
        return queryset.none()
    if not scope.sees_everything:
        covered = PartyCoverage.objects.visible_to(scope).filter(organisation=OuterRef("pk"))
        queryset = queryset.filter(Q(company_id__in=scope.company_ids) | Exists(covered))
    if project_id:
        queryset = queryset.filter(
            Exists(PartyCoverage.objects.filter(organisation=OuterRef("pk"), project_id=project_id))
        )
    live = Q(members__left_on__isnull=True)
    return queryset.annotate(
        full_members=Count("members", filter=live & Q(members__status=MemberStatus.FULL), distinct=True),
        probationary_members=Count(
            "members", filter=live & Q(members__status=MemberStatus.PROBATIONARY), distinct=True
        ),
        project_count=Count("coverages", filter=Q(coverages__ended_on__isnull=True), distinct=True),
    ).order_by("name", "id")


def party_organisation_get_for_user(scope: Scope, organisation_id: int) -> PartyOrganisation:
    return get_or_404(
        party_organisation_list_for_user(scope).prefetch_related(
            Prefetch("coverages", PartyCoverage.objects.select_related("project").order_by("project__name"))
        ),
        organisation_id,
    )


def party_member_list_for_user(scope: Scope, organisation: PartyOrganisation) -> QuerySet[PartyMember]:
    """The members of an organisation: staff accounts only (residents see the pioneer posts)."""
    if not is_staff_account(scope):
        return PartyMember.objects.none()
    return PartyMember.objects.filter(organisation=organisation).order_by("left_on", "post", "name", "id")


def party_meeting_list_for_user(
    scope: Scope, *, organisation_id: int | None = None, kind: str = ""
) -> QuerySet[PartyMeeting]:
    """三会一课 meetings of the organisations the user sees (staff accounts), newest first, with sign-in counts."""
    if not is_staff_account(scope):
        return PartyMeeting.objects.none()
    organisations = party_organisation_list_for_user(scope).values("pk")
    queryset = PartyMeeting.objects.filter(organisation__in=organisations).select_related("organisation")
    if organisation_id:
        queryset = queryset.filter(organisation_id=organisation_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.annotate(signed_in=Count("sign_ins", distinct=True)).order_by("-starts_at", "-id")


def party_meeting_get_for_user(scope: Scope, meeting_id: int) -> PartyMeeting:
    return get_or_404(party_meeting_list_for_user(scope), meeting_id)


def pioneer_post_list_for_user(
    scope: Scope, *, project_id: int | None = None, current_on: dt.date | None = None
) -> QuerySet[PioneerPost]:
    """Pioneer posts of the projects the user sees; residents see their project's current posts."""
    queryset = PioneerPost.objects.visible_to(scope).select_related("member", "project")
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if current_on is not None:
        queryset = queryset.filter(_active_on(current_on))
    return queryset.order_by("project__name", "title", "id")


def red_property_application_list_for_user(
    scope: Scope, *, project_id: int | None = None, status: str = ""
) -> QuerySet[RedPropertyApplication]:
    """Applications of the projects the user sees; residents see recognitions only."""
    queryset = RedPropertyApplication.objects.visible_to(scope).select_related("project")
    if not is_staff_account(scope):
        queryset = queryset.filter(status=ApplicationStatus.RECOGNISED)
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.prefetch_related("checks").order_by("-year", "-id")


def red_property_application_get_for_user(scope: Scope, application_id: int) -> RedPropertyApplication:
    return get_or_404(red_property_application_list_for_user(scope), application_id)


def appointment_list_for_user(
    scope: Scope, *, project_id: int | None = None, kind: str = "", current_on: dt.date | None = None
) -> QuerySet[Appointment]:
    """Appointments of the projects the user sees; residents see their grid members."""
    queryset = Appointment.objects.visible_to(scope).select_related("project")
    if not is_staff_account(scope):
        queryset = queryset.filter(kind=AppointmentKind.GRID_MEMBER)
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if current_on is not None:
        queryset = queryset.filter(_active_on(current_on))
    return queryset.order_by("project__name", "kind", "person_name", "id")


def appointment_get_for_user(scope: Scope, appointment_id: int) -> Appointment:
    return get_or_404(appointment_list_for_user(scope), appointment_id)
