"""Party building: organisations and their projects, members, 三会一课 meetings with sign-in and minutes, pioneer
posts, red-property applications and their review, cross appointments and grid members."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.community import red_property, selectors
from haofuwu.community.choices import (
    ApplicationStatus,
    AppointmentKind,
    MeetingStatus,
    MemberPost,
    MemberStatus,
    PartyMeetingKind,
    PartyOrganisationKind,
    PartyOrganisationLevel,
    RedPropertyLevel,
    SignInMethod,
    Verdict,
)
from haofuwu.community.models import (
    Appointment,
    PartyCoverage,
    PartyMeeting,
    PartyMeetingSignIn,
    PartyMember,
    PartyOrganisation,
    PioneerPost,
    RedPropertyApplication,
    RedPropertyCriterionCheck,
)
from haofuwu.community.permissions import manages_community, reviews_red_property
from haofuwu.community.services.common import clean_text, full_clean, project_for, require, short_code
from haofuwu.core import audit
from haofuwu.core.errors import Conflict, NotFound, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates

MAX_MEMBERS_PER_CALL = 200


def _choice(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed({field: [_("Choose one of the options.")]})
    return value


def _organisation(actor: Any, organisation_id: int) -> tuple[Scope, PartyOrganisation]:
    """The organisation and whether the actor runs party work for it: its company's admin, or someone who manages
    community work at a project it covers."""
    scope = scope_for_user(actor)
    organisation = selectors.party_organisation_get_for_user(scope, organisation_id)
    covered = [(c.project_id, c.project.company_id) for c in organisation.coverages.all() if c.ended_on is None]
    require(
        scope.can_write_company(organisation.company_id)
        or any(manages_community(scope, project, company) for project, company in covered)
    )
    return scope, organisation


@transaction.atomic
def party_organisation_create(
    *,
    actor: Any,
    project_id: int,
    name: str,
    kind: str,
    established_on: dt.date,
    level: str = PartyOrganisationLevel.BRANCH,
    partners: str = "",
    superior: str = "",
    approval_reference: str = "",
    liaison_name: str = "",
) -> PartyOrganisation:
    """Register a party organisation of the project's company (independent, or joint with others) covering the
    project."""
    _scope, project = project_for(actor, project_id, manages_community)
    _choice(kind, PartyOrganisationKind, "kind")
    _choice(level, PartyOrganisationLevel, "level")
    if established_on > timezone.localdate():
        raise ValidationFailed({"established_on": [_("The date cannot be in the future.")]})
    if kind == PartyOrganisationKind.JOINT and not partners.strip():
        raise ValidationFailed({"partners": [_("Name the other companies or bodies of the joint organisation.")]})
    organisation = PartyOrganisation(
        company_id=project.company_id,
        name=clean_text(name, field="name", max_length=100),
        kind=kind,
        level=level,
        partners=partners.strip()[:300],
        superior=superior.strip()[:100],
        established_on=established_on,
        approval_reference=approval_reference.strip()[:100],
        meeting_code=short_code(),
        created_by=actor,
    )
    full_clean(organisation, exclude=["company", "created_by"])
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        raise Conflict(_("The company already has an organisation of this name."), field="name") from None
    PartyCoverage.objects.create(
        organisation=organisation, project=project, liaison_name=liaison_name.strip()[:50], started_on=established_on
    )
    audit.record(actor, "party_organisation.create", organisation, {"kind": kind, "project": project.pk})
    return organisation


@transaction.atomic
def party_organisation_cover(
    *, actor: Any, organisation_id: int, project_id: int, liaison_name: str = "", started_on: dt.date | None = None
) -> PartyCoverage:
    """Attach another project to an organisation (A-02 coverage), with its party liaison."""
    scope, organisation = _organisation(actor, organisation_id)
    project = estates.project_get_for_user(scope, project_id)
    require(manages_community(scope, project.pk, project.company_id))
    if organisation.kind == PartyOrganisationKind.INDEPENDENT and project.company_id != organisation.company_id:
        raise ValidationFailed({"project_id": [_("An independent organisation covers its own company's projects.")]})
    if PartyCoverage.objects.filter(organisation=organisation, project=project, ended_on__isnull=True).exists():
        raise Conflict(_("The organisation already covers this project."), field="project_id")
    coverage = PartyCoverage.objects.create(
        organisation=organisation,
        project=project,
        liaison_name=liaison_name.strip()[:50],
        started_on=started_on or timezone.localdate(),
    )
    audit.record(actor, "party_organisation.cover", organisation, {"project": project.pk})
    return coverage


@transaction.atomic
def party_member_add(
    *,
    actor: Any,
    organisation_id: int,
    name: str,
    status: str,
    joined_on: dt.date,
    post: str = MemberPost.MEMBER,
    staff_id: int | None = None,
) -> PartyMember:
    """Add a full or probationary member (with the post they hold) to an organisation."""
    scope, organisation = _organisation(actor, organisation_id)
    _choice(status, MemberStatus, "status")
    _choice(post, MemberPost, "post")
    if joined_on > timezone.localdate():
        raise ValidationFailed({"joined_on": [_("The date cannot be in the future.")]})
    staff = None
    if staff_id is not None:
        staff = estates.staff_list_for_user(scope).filter(pk=staff_id).first()
        if staff is None:
            raise ValidationFailed({"staff_id": [_("Choose a staff member you can see.")]})
    if post == MemberPost.SECRETARY and status != MemberStatus.FULL:
        # 中国共产党支部工作条例（试行）: the secretary is elected from the full members.
        raise ValidationFailed({"post": [_("The secretary must be a full member.")]})
    if (
        post == MemberPost.SECRETARY
        and PartyMember.objects.filter(
            organisation=organisation, post=MemberPost.SECRETARY, left_on__isnull=True
        ).exists()
    ):
        raise Conflict(_("The organisation already has a secretary."), field="post")
    member = PartyMember(
        organisation=organisation,
        name=clean_text(name, field="name", max_length=50),
        status=status,
        post=post,
        joined_on=joined_on,
        staff=staff,
        user_id=staff.user_id if staff else None,
    )
    full_clean(member, exclude=["organisation", "staff", "user"])
    member.save()
    audit.record(actor, "party_member.add", organisation, {"member": member.pk, "status": status, "post": post})
    return member


@transaction.atomic
def party_meeting_plan(
    *,
    actor: Any,
    organisation_id: int,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    agenda: str = "",
) -> PartyMeeting:
    """Plan one of 三会一课 with its agenda."""
    _scope, organisation = _organisation(actor, organisation_id)
    _choice(kind, PartyMeetingKind, "kind")
    if organisation.dissolved_on is not None:
        raise Conflict(_("The organisation is dissolved."))
    meeting = PartyMeeting(
        organisation=organisation,
        kind=kind,
        title=clean_text(title, field="title", max_length=120),
        starts_at=starts_at,
        place=place.strip()[:100],
        agenda=agenda.strip()[:2000],
    )
    full_clean(meeting, exclude=["organisation", "recorded_by"])
    meeting.save()
    audit.record(actor, "party_meeting.plan", meeting, {"kind": kind})
    return meeting


def _meeting(actor: Any, meeting_id: int, *, manage: bool) -> tuple[Scope, PartyMeeting]:
    scope = scope_for_user(actor)
    meeting = selectors.party_meeting_get_for_user(scope, meeting_id)
    if manage:
        _organisation(actor, meeting.organisation_id)
    return scope, meeting


@transaction.atomic
def party_meeting_sign_in(
    *, actor: Any, meeting_id: int, member_ids: list[int] | None = None, code: str = ""
) -> list[PartyMeetingSignIn]:
    """Sign members in, once each, at server time: the secretary ticks them on the roster (``member_ids``), or a
    member with an account signs themself in with the organisation's meeting code."""
    now = timezone.now()
    if member_ids is not None:
        _scope, meeting = _meeting(actor, meeting_id, manage=True)
        method = SignInMethod.ROSTER
        if len(member_ids) > MAX_MEMBERS_PER_CALL:
            raise ValidationFailed({"member_ids": [_("Too many members at once.")]})
        members = list(
            PartyMember.objects.filter(organisation=meeting.organisation, pk__in=member_ids, left_on__isnull=True)
        )
        if len(members) != len(set(member_ids)):
            raise ValidationFailed({"member_ids": [_("Choose members of this organisation.")]})
    else:
        _scope, meeting = _meeting(actor, meeting_id, manage=False)
        method = SignInMethod.CODE
        member = PartyMember.objects.filter(organisation=meeting.organisation, user=actor, left_on__isnull=True).first()
        if member is None:
            raise NotFound(_("You are not a member of this organisation."))
        if not code or code.strip() != meeting.organisation.meeting_code:
            raise ValidationFailed({"code": [_("The meeting code is wrong.")]})
        members = [member]
    if meeting.status == MeetingStatus.CANCELLED:
        raise Conflict(_("The meeting was cancelled."))
    if abs(now - meeting.starts_at) > dt.timedelta(hours=12) and method == SignInMethod.CODE:
        raise Conflict(_("Sign-in with the code is open on the day of the meeting."))
    created = PartyMeetingSignIn.objects.bulk_create(
        [PartyMeetingSignIn(meeting=meeting, member=member, method=method, signed_in_at=now) for member in members],
        ignore_conflicts=True,
    )
    audit.record(actor, "party_meeting.sign_in", meeting, {"members": [m.pk for m in members], "method": method})
    return created


@transaction.atomic
def party_meeting_record(*, actor: Any, meeting_id: int, minutes: str) -> PartyMeeting:
    """Record the meeting as held with its minutes (A-01: the organisation's life is on record)."""
    _scope, meeting = _meeting(actor, meeting_id, manage=True)
    if meeting.status != MeetingStatus.PLANNED:
        raise Conflict(_("This meeting is already recorded or cancelled."))
    if meeting.starts_at > timezone.now():
        raise Conflict(_("A meeting is recorded once it has started."))
    meeting.minutes = clean_text(minutes, field="minutes", max_length=5000, message=_("Write the minutes."))
    meeting.status = MeetingStatus.HELD
    meeting.held_at = timezone.now()
    meeting.recorded_by = actor
    meeting.save(update_fields=["minutes", "status", "held_at", "recorded_by", "updated_at"])
    audit.record(actor, "party_meeting.record", meeting, {})
    return meeting


@transaction.atomic
def pioneer_post_create(
    *, actor: Any, project_id: int, member_id: int, title: str, pledge: str = "", started_on: dt.date | None = None
) -> PioneerPost:
    """Set up a party member's pioneer post at a project (A-07), shown to residents."""
    _scope, project = project_for(actor, project_id, manages_community)
    member = PartyMember.objects.filter(
        pk=member_id,
        left_on__isnull=True,
        organisation__coverages__project=project,
        organisation__coverages__ended_on__isnull=True,
    ).first()
    if member is None:
        raise ValidationFailed({"member_id": [_("Choose a member of an organisation covering this project.")]})
    post = PioneerPost(
        project=project,
        member=member,
        title=clean_text(title, field="title", max_length=60),
        pledge=pledge.strip()[:200],
        started_on=started_on or timezone.localdate(),
    )
    full_clean(post, exclude=["project", "member"])
    post.save()
    audit.record(actor, "pioneer_post.create", post, {"member": member.pk})
    return post


# Red property -------------------------------------------------------------------------------------------------------


@transaction.atomic
def red_property_application_create(
    *, actor: Any, project_id: int, year: int, level: str, plan: str
) -> RedPropertyApplication:
    """Start an application with the plan (A-03) and the checklist of criteria, one per criterion."""
    _scope, project = project_for(actor, project_id, manages_community)
    _choice(level, RedPropertyLevel, "level")
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year + 1:
        raise ValidationFailed({"year": [_("Apply for last year, this year or next year.")]})
    application = RedPropertyApplication(
        project=project,
        year=year,
        level=level,
        plan=clean_text(plan, field="plan", max_length=4000, message=_("Write the plan.")),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise Conflict(_("There is already an application for this year and level."), field="year") from None
    RedPropertyCriterionCheck.objects.bulk_create(
        RedPropertyCriterionCheck(application=application, code=code) for code in red_property.CODES
    )
    audit.record(actor, "red_property.create", application, {"year": year, "level": level})
    return application


def _application(actor: Any, application_id: int) -> tuple[Scope, RedPropertyApplication]:
    scope = scope_for_user(actor)
    application = selectors.red_property_application_get_for_user(scope, application_id)
    return scope, application


@transaction.atomic
def red_property_criterion_update(
    *, actor: Any, application_id: int, code: str, is_claimed: bool, evidence: str = ""
) -> RedPropertyCriterionCheck:
    """The project says whether it meets a criterion and on what evidence (while the application is a draft)."""
    scope, application = _application(actor, application_id)
    require(manages_community(scope, application.project_id, application.project.company_id))
    if application.status != ApplicationStatus.DRAFT:
        raise Conflict(_("Only a draft application can be changed."))
    check = RedPropertyCriterionCheck.objects.filter(application=application, code=code).first()
    if check is None:
        raise ValidationFailed({"code": [_("Choose a criterion of the checklist.")]})
    if is_claimed and not evidence.strip():
        raise ValidationFailed({"evidence": [_("Say what shows the criterion is met.")]})
    check.is_claimed, check.evidence = is_claimed, evidence.strip()[:1000]
    check.save(update_fields=["is_claimed", "evidence"])
    audit.record(actor, "red_property.criterion", application, {"code": code, "claimed": is_claimed})
    return check


@transaction.atomic
def red_property_application_submit(*, actor: Any, application_id: int) -> RedPropertyApplication:
    """Send a draft to the district for review; every criterion must be answered with evidence."""
    scope, application = _application(actor, application_id)
    require(manages_community(scope, application.project_id, application.project.company_id))
    if application.status != ApplicationStatus.DRAFT:
        raise Conflict(_("Only a draft application can be submitted."))
    if not any(check.is_claimed for check in application.checks.all()):
        raise ValidationFailed({"checks": [_("Claim at least one criterion with its evidence.")]})
    updated = RedPropertyApplication.objects.filter(pk=application.pk, status=ApplicationStatus.DRAFT).update(
        status=ApplicationStatus.SUBMITTED, submitted_at=timezone.now(), updated_at=timezone.now()
    )
    if not updated:
        raise Conflict(_("Only a draft application can be submitted."))
    application.refresh_from_db()
    audit.record(actor, "red_property.submit", application, {})
    return application


@dataclass(frozen=True)
class VerdictIn:
    code: str
    verdict: str


@transaction.atomic
def red_property_application_review(
    *,
    actor: Any,
    application_id: int,
    is_recognised: bool,
    verdicts: list[VerdictIn],
    note: str = "",
    valid_until: dt.date | None = None,
) -> RedPropertyApplication:
    """The district's verdict on each criterion and on the application: recognised (R-17) from today, valid by
    default through the second year after (red_property.DEFAULT_VALID_YEARS), or not."""
    scope, application = _application(actor, application_id)
    require(reviews_red_property(scope))
    if application.status != ApplicationStatus.SUBMITTED:
        raise Conflict(_("Only a submitted application can be reviewed."))
    checks = {check.code: check for check in application.checks.all()}
    for item in verdicts:
        if item.code not in checks or item.verdict not in Verdict.values:
            raise ValidationFailed({"verdicts": [_("Give a verdict of met or not met on criteria of the checklist.")]})
        checks[item.code].verdict = item.verdict
    if is_recognised and any(check.verdict != Verdict.MET for check in checks.values()):
        raise ValidationFailed({"verdicts": [_("A point is recognised only when every criterion is met.")]})
    if not is_recognised and not note.strip():
        raise ValidationFailed({"note": [_("Say why the point is not recognised.")]})
    today = timezone.localdate()
    if valid_until is not None and valid_until < today:
        raise ValidationFailed({"valid_until": [_("The end of validity cannot be in the past.")]})
    RedPropertyCriterionCheck.objects.bulk_update(list(checks.values()), ["verdict"])
    application.status = ApplicationStatus.RECOGNISED if is_recognised else ApplicationStatus.REJECTED
    application.reviewed_at = timezone.now()
    application.reviewer = actor
    application.review_note = note.strip()[:2000]
    if is_recognised:
        application.recognised_on = today
        application.valid_until = valid_until or dt.date(today.year + red_property.DEFAULT_VALID_YEARS - 1, 12, 31)
    application.save()
    audit.record(actor, "red_property.review", application, {"recognised": is_recognised})
    return application


# Appointments -------------------------------------------------------------------------------------------------------


@transaction.atomic
def appointment_create(
    *,
    actor: Any,
    project_id: int,
    kind: str,
    person_name: str,
    appointed_by: str,
    started_on: dt.date,
    staff_id: int | None = None,
    grid: str = "",
    document: str = "",
) -> Appointment:
    """Record a cross appointment (A-04) or a part-time grid member (A-05) with the body that appointed them."""
    scope, project = project_for(actor, project_id, manages_community)
    _choice(kind, AppointmentKind, "kind")
    staff = None
    if staff_id is not None:
        staff = estates.staff_list_for_user(scope, project_id=project.pk).filter(pk=staff_id).first()
        if staff is None:
            raise ValidationFailed({"staff_id": [_("Choose a staff member of this project.")]})
    if kind == AppointmentKind.GRID_MEMBER and not grid.strip():
        raise ValidationFailed({"grid": [_("Name the grid the member serves.")]})
    if started_on > timezone.localdate():
        raise ValidationFailed({"started_on": [_("The date cannot be in the future.")]})
    appointment = Appointment(
        project=project,
        kind=kind,
        person_name=clean_text(person_name or (staff.name if staff else ""), field="person_name", max_length=50),
        staff=staff,
        user_id=staff.user_id if staff else None,
        grid=grid.strip()[:60],
        appointed_by=clean_text(appointed_by, field="appointed_by", max_length=100),
        document=document.strip()[:100],
        started_on=started_on,
    )
    full_clean(appointment, exclude=["project", "staff", "user"])
    appointment.save()
    audit.record(actor, "appointment.create", appointment, {"kind": kind})
    return appointment


@transaction.atomic
def appointment_end(*, actor: Any, appointment_id: int, ended_on: dt.date) -> Appointment:
    """Close an appointment on a date (kept for the record)."""
    scope = scope_for_user(actor)
    appointment = selectors.appointment_get_for_user(scope, appointment_id)
    require(manages_community(scope, appointment.project_id, appointment.project.company_id))
    if appointment.ended_on is not None:
        raise Conflict(_("This appointment has already ended."))
    if ended_on < appointment.started_on:
        raise ValidationFailed({"ended_on": [_("The end cannot be before the start.")]})
    appointment.ended_on = ended_on
    appointment.save(update_fields=["ended_on", "updated_at"])
    audit.record(actor, "appointment.end", appointment, {"ended_on": ended_on.isoformat()})
    return appointment
