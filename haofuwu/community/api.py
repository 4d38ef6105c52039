"""API of the community app: party building, joint governance, volunteers, activities, the care register and the
disclosure board. Endpoints parse, call one service or selector, and shape the answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router

from haofuwu.community import red_property, selectors, services
from haofuwu.community.choices import ActionStatus
from haofuwu.community.permissions import is_staff_account, shows_names
from haofuwu.community.schemas import (
    ActivityFilter,
    ActivityIn,
    ActivityOut,
    AppointmentFilter,
    AppointmentIn,
    AppointmentOut,
    BoardOut,
    CareSubjectFilter,
    CareSubjectIn,
    CareSubjectOut,
    CareSummaryFilter,
    CareSummaryOut,
    CheckInIn,
    CoverageIn,
    CriterionIn,
    CriterionOut,
    DisclosureFilter,
    DisclosureIn,
    DisclosureOut,
    EndIn,
    EvidenceIn,
    JointActionFilter,
    JointActionIn,
    JointActionOut,
    JointMeetingFilter,
    JointMeetingIn,
    JointMeetingOut,
    JointRecordIn,
    MetersIn,
    MinutesIn,
    PartyMeetingFilter,
    PartyMeetingIn,
    PartyMeetingOut,
    PartyMemberIn,
    PartyMemberOut,
    PartyOrganisationFilter,
    PartyOrganisationIn,
    PartyOrganisationOut,
    PioneerPostFilter,
    PioneerPostIn,
    PioneerPostOut,
    PointsEntryOut,
    ReasonIn,
    RedeemIn,
    RedPropertyFilter,
    RedPropertyIn,
    RedPropertyOut,
    RedPropertyReviewIn,
    RegistrationOut,
    ReportIn,
    RevealIn,
    ServiceRecordIn,
    ServiceRecordOut,
    SignInIn,
    SignInOut,
    TransferIn,
    TransferOut,
    VisitIn,
    VisitorIn,
    VisitorOut,
    VisitOut,
    VolunteerCertificateOut,
    VolunteerFilter,
    VolunteerIn,
    VolunteerOut,
)
from haofuwu.core.api_types import ErrorOut, ObjectId, PageIn, PageOut, paginate
from haofuwu.core.errors import NOT_FOUND, NotFound, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates

router = Router(tags=["community"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _today() -> dt.date:
    return timezone.localdate()


# Shapes --------------------------------------------------------------------------------------------------------------


def _organisation(organisation: Any, *, coverages: bool = False) -> dict[str, Any]:
    body = {
        "id": organisation.pk,
        "company_id": organisation.company_id,
        "company_name": organisation.company.name,
        "name": organisation.name,
        "kind": organisation.kind,
        "level": organisation.level,
        "partners": organisation.partners,
        "established_on": organisation.established_on,
        "dissolved_on": organisation.dissolved_on,
        "full_members": getattr(organisation, "full_members", 0),
        "probationary_members": getattr(organisation, "probationary_members", 0),
        "project_count": getattr(organisation, "project_count", 0),
    }
    if coverages:
        body["coverages"] = [
            {
                "project_id": c.project_id,
                "project_name": c.project.name,
                "liaison_name": c.liaison_name,
                "started_on": c.started_on,
                "ended_on": c.ended_on,
            }
            for c in organisation.coverages.all()
        ]
    return body


def _member(member: Any) -> dict[str, Any]:
    return {
        "id": member.pk,
        "organisation_id": member.organisation_id,
        "name": member.name,
        "status": member.status,
        "post": member.post,
        "joined_on": member.joined_on,
        "left_on": member.left_on,
        "staff_id": member.staff_id,
    }


def _party_meeting(meeting: Any) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "organisation_id": meeting.organisation_id,
        "organisation_name": meeting.organisation.name,
        "kind": meeting.kind,
        "title": meeting.title,
        "agenda": meeting.agenda,
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "status": meeting.status,
        "held_at": meeting.held_at,
        "minutes": meeting.minutes,
        "signed_in": getattr(meeting, "signed_in", 0),
    }


def _post(post: Any) -> dict[str, Any]:
    return {
        "id": post.pk,
        "project_id": post.project_id,
        "project_name": post.project.name,
        "member_name": post.member.name,
        "title": post.title,
        "pledge": post.pledge,
        "started_on": post.started_on,
        "ended_on": post.ended_on,
    }


def _application(application: Any) -> dict[str, Any]:
    checks = {check.code: check for check in application.checks.all()}
    return {
        "id": application.pk,
        "project_id": application.project_id,
        "project_name": application.project.name,
        "year": application.year,
        "level": application.level,
        "plan": application.plan,
        "status": application.status,
        "submitted_at": application.submitted_at,
        "reviewed_at": application.reviewed_at,
        "review_note": application.review_note,
        "recognised_on": application.recognised_on,
        "valid_until": application.valid_until,
        "criteria": [
            {
                "code": code,
                "label": str(red_property.LABELS[code]),
                "is_claimed": checks[code].is_claimed if code in checks else False,
                "evidence": checks[code].evidence if code in checks else "",
                "verdict": checks[code].verdict if code in checks else "",
            }
            for code in red_property.CODES
        ],
    }


def _appointment(appointment: Any) -> dict[str, Any]:
    return {
        "id": appointment.pk,
        "project_id": appointment.project_id,
        "project_name": appointment.project.name,
        "kind": appointment.kind,
        "person_name": appointment.person_name,
        "staff_id": appointment.staff_id,
        "grid": appointment.grid,
        "appointed_by": appointment.appointed_by,
        "document": appointment.document,
        "started_on": appointment.started_on,
        "ended_on": appointment.ended_on,
    }


def _action(action: Any, today: dt.date) -> dict[str, Any]:
    return {
        "id": action.pk,
        "meeting_id": action.meeting_id,
        "project_id": action.meeting.project_id,
        "item": action.item,
        "decision": action.decision,
        "party": action.party,
        "owner_name": action.owner_name,
        "due_on": action.due_on,
        "status": action.status,
        "is_overdue": action.status == ActionStatus.OPEN and action.due_on < today,
        "closed_at": action.closed_at,
        "evidence": action.evidence,
        "escalation_level": action.escalation_level,
    }


def _joint_meeting(meeting: Any, *, detail: bool = False) -> dict[str, Any]:
    body = {
        "id": meeting.pk,
        "project_id": meeting.project_id,
        "project_name": meeting.project.name,
        "level": meeting.level,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "status": meeting.status,
        "minutes": meeting.minutes,
        "held_at": meeting.held_at,
        "action_count": getattr(meeting, "action_count", 0),
        "open_actions": getattr(meeting, "open_actions", 0),
    }
    if detail:
        today = _today()
        body["attendees"] = [
            {"party": a.party, "name": a.name, "position": a.position} for a in meeting.attendees.all()
        ]
        for action in meeting.actions.all():
            action.meeting = meeting
        body["actions"] = [_action(action, today) for action in meeting.actions.all()]
    return body


def _volunteer(volunteer: Any) -> dict[str, Any]:
    return {
        "id": volunteer.pk,
        "project_id": volunteer.project_id,
        "project_name": volunteer.project.name,
        "name": volunteer.name,
        "kind": volunteer.kind,
        "skills": volunteer.skills,
        "registry_number": volunteer.registry_number,
        "registered_on": volunteer.registered_on,
        "is_active": volunteer.is_active,
        "total_hours": getattr(volunteer, "total_hours", 0),
        "points_balance": getattr(volunteer, "points_balance", 0),
    }


def _record(record: Any) -> dict[str, Any]:
    return {
        "id": record.pk,
        "volunteer_id": record.volunteer_id,
        "served_on": record.served_on,
        "hours": record.hours,
        "description": record.description,
    }


def _certificate(certificate: Any) -> dict[str, Any]:
    return {
        "id": certificate.pk,
        "volunteer_id": certificate.volunteer_id,
        "number": certificate.number,
        "hours": certificate.hours,
        "records": certificate.records,
        "first_on": certificate.first_on,
        "last_on": certificate.last_on,
        "issued_at": certificate.issued_at,
    }


def _activity(activity: Any) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "project_id": activity.project_id,
        "project_name": activity.project.name,
        "title": activity.title,
        "kind": activity.kind,
        "description": activity.description,
        "place": activity.place,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "signup_opens_at": activity.signup_opens_at,
        "signup_closes_at": activity.signup_closes_at,
        "capacity": activity.capacity,
        "confirmed": activity.confirmed,
        "remaining": activity.remaining,
        "waitlisted": getattr(activity, "waitlisted", 0),
        "attended": getattr(activity, "attended", 0),
        "is_whole_project": activity.is_whole_project,
        "status": activity.status,
        "report": activity.report,
    }


def _registration(registration: Any, scope: Scope) -> dict[str, Any]:
    is_own = registration.user_id == scope.user_id
    return {
        "id": registration.pk,
        "activity_id": registration.activity_id,
        # Regulators see counts, not who came (accounts/roles.py).
        "name": registration.name if (is_own or shows_names(scope)) else "",
        "household": registration.unit.label if registration.unit_id and (is_own or shows_names(scope)) else "",
        "status": registration.status,
        "waitlist_position": selectors.waitlist_position(registration),
        "promoted_at": registration.promoted_at,
        "checked_in_at": registration.checked_in_at,
        "check_in_method": registration.check_in_method,
        # The ticket is the holder's own: anyone holding it can be checked in with it.
        "ticket": registration.ticket if is_own else "",
        "created_at": registration.created_at,
    }


def _visit(visit: Any) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "subject_id": visit.subject_id,
        "kind": visit.kind,
        "status": visit.status,
        "due_at": visit.due_at,
        "method": visit.method,
        "proof": visit.proof,
        "distance_m": visit.distance_m,
        "visited_at": visit.visited_at,
        "outcome": visit.outcome,
        "counts_as_contact": visit.counts_as_contact,
    }


def _disclosure(item: Any) -> dict[str, Any]:
    notice = None
    if item.outage_starts_at is not None:
        notice = round((item.outage_starts_at - item.published_at).total_seconds() / 3600, 1)
    return {
        "id": item.pk,
        "project_id": item.project_id,
        "project_name": item.project.name,
        "kind": item.kind,
        "title": item.title,
        "body": item.body,
        "figures": item.figures,
        "covers_from": item.covers_from,
        "covers_until": item.covers_until,
        "outage_kind": item.outage_kind,
        "outage_starts_at": item.outage_starts_at,
        "outage_ends_at": item.outage_ends_at,
        "affected_area": item.affected_area,
        "notice_hours": notice,
        "status": item.status,
        "published_at": item.published_at,
    }


# Party building ------------------------------------------------------------------------------------------------------


@router.get("/party-organisations", response=PageOut[PartyOrganisationOut])
def party_organisation_list(request: HttpRequest, filters: Query[PartyOrganisationFilter], page: Query[PageIn]):
    """Party organisations of the caller's companies or covering projects they see."""
    queryset = selectors.party_organisation_list_for_user(_scope(request), project_id=filters.project)
    return paginate(queryset, page, _organisation)


@router.post("/party-organisations", response={201: PartyOrganisationOut, **ERRORS})
def party_organisation_create(request: HttpRequest, payload: PartyOrganisationIn):
    """Register a party organisation (independent or joint) covering a project."""
    organisation = services.party_organisation_create(actor=request.user, **payload.dict())
    return 201, _organisation(
        selectors.party_organisation_get_for_user(_scope(request), organisation.pk), coverages=True
    )


@router.get("/party-organisations/{organisation_id}", response={200: PartyOrganisationOut, 404: ErrorOut})
def party_organisation_detail(request: HttpRequest, organisation_id: ObjectId):
    """One organisation with the projects it covers."""
    return _organisation(selectors.party_organisation_get_for_user(_scope(request), organisation_id), coverages=True)


@router.post("/party-organisations/{organisation_id}/projects", response={201: PartyOrganisationOut, **ERRORS})
def party_organisation_cover(request: HttpRequest, organisation_id: ObjectId, payload: CoverageIn):
    """Attach a project to the organisation with its party liaison (A-02)."""
    services.party_organisation_cover(actor=request.user, organisation_id=organisation_id, **payload.dict())
    return 201, _organisation(
        selectors.party_organisation_get_for_user(_scope(request), organisation_id), coverages=True
    )


@router.get("/party-organisations/{organisation_id}/members", response={200: list[PartyMemberOut], 404: ErrorOut})
def party_member_list(request: HttpRequest, organisation_id: ObjectId):
    """Members of an organisation (staff accounts; residents get an empty list)."""
    scope = _scope(request)
    organisation = selectors.party_organisation_get_for_user(scope, organisation_id)
    return [_member(member) for member in selectors.party_member_list_for_user(scope, organisation)[:500]]


@router.post("/party-organisations/{organisation_id}/members", response={201: PartyMemberOut, **ERRORS})
def party_member_add(request: HttpRequest, organisation_id: ObjectId, payload: PartyMemberIn):
    """Add a full or probationary member."""
    member = services.party_member_add(actor=request.user, organisation_id=organisation_id, **payload.dict())
    return 201, _member(member)


@router.get("/party-meetings", response=PageOut[PartyMeetingOut])
def party_meeting_list(request: HttpRequest, filters: Query[PartyMeetingFilter], page: Query[PageIn]):
    """三会一课 meetings, newest first, with how many signed in."""
    queryset = selectors.party_meeting_list_for_user(
        _scope(request), organisation_id=filters.organisation, kind=filters.kind
    )
    return paginate(queryset, page, _party_meeting)


@router.post("/party-meetings", response={201: PartyMeetingOut, **ERRORS})
def party_meeting_plan(request: HttpRequest, payload: PartyMeetingIn):
    """Plan a meeting with its agenda."""
    meeting = services.party_meeting_plan(actor=request.user, **payload.dict())
    return 201, _party_meeting(selectors.party_meeting_get_for_user(_scope(request), meeting.pk))


@router.post("/party-meetings/{meeting_id}/sign-ins", response={200: SignInOut, **ERRORS})
def party_meeting_sign_in(request: HttpRequest, meeting_id: ObjectId, payload: SignInIn):
    """Sign in: the secretary ticks members (``member_ids``), or a member signs in with the meeting code."""
    services.party_meeting_sign_in(
        actor=request.user, meeting_id=meeting_id, member_ids=payload.member_ids, code=payload.code
    )
    meeting = selectors.party_meeting_get_for_user(_scope(request), meeting_id)
    return {"meeting_id": meeting.pk, "signed_in": meeting.signed_in}


@router.post("/party-meetings/{meeting_id}/record", response={200: PartyMeetingOut, **ERRORS})
def party_meeting_record(request: HttpRequest, meeting_id: ObjectId, payload: MinutesIn):
    """Record the meeting as held with its minutes."""
    services.party_meeting_record(actor=request.user, meeting_id=meeting_id, minutes=payload.minutes)
    return _party_meeting(selectors.party_meeting_get_for_user(_scope(request), meeting_id))


@router.get("/pioneer-posts", response=PageOut[PioneerPostOut])
def pioneer_post_list(request: HttpRequest, filters: Query[PioneerPostFilter], page: Query[PageIn]):
    """Party members' pioneer posts (residents: their project's current ones)."""
    scope = _scope(request)
    current = None if is_staff_account(scope) else _today()
    queryset = selectors.pioneer_post_list_for_user(scope, project_id=filters.project, current_on=current)
    return paginate(queryset, page, _post)


@router.post("/pioneer-posts", response={201: PioneerPostOut, **ERRORS})
def pioneer_post_create(request: HttpRequest, payload: PioneerPostIn):
    """Set up a pioneer post for a party member at a project."""
    post = services.pioneer_post_create(actor=request.user, **payload.dict())
    return 201, _post(selectors.pioneer_post_list_for_user(_scope(request)).get(pk=post.pk))


@router.get("/red-property-applications", response=PageOut[RedPropertyOut])
def red_property_list(request: HttpRequest, filters: Query[RedPropertyFilter], page: Query[PageIn]):
    """Red-property applications (residents: recognitions)."""
    queryset = selectors.red_property_application_list_for_user(
        _scope(request), project_id=filters.project, status=filters.status
    )
    return paginate(queryset, page, _application)


@router.post("/red-property-applications", response={201: RedPropertyOut, **ERRORS})
def red_property_create(request: HttpRequest, payload: RedPropertyIn):
    """Start an application with its plan and the checklist."""
    application = services.red_property_application_create(actor=request.user, **payload.dict())
    return 201, _application(selectors.red_property_application_get_for_user(_scope(request), application.pk))


@router.get("/red-property-applications/{application_id}", response={200: RedPropertyOut, 404: ErrorOut})
def red_property_detail(request: HttpRequest, application_id: ObjectId):
    return _application(selectors.red_property_application_get_for_user(_scope(request), application_id))


@router.post("/red-property-applications/{application_id}/criteria", response={200: CriterionOut, **ERRORS})
def red_property_criterion(request: HttpRequest, application_id: ObjectId, payload: CriterionIn):
    """Claim (or withdraw the claim of) a criterion with its evidence."""
    check = services.red_property_criterion_update(actor=request.user, application_id=application_id, **payload.dict())
    return {
        "code": check.code,
        "label": str(red_property.LABELS[check.code]),
        "is_claimed": check.is_claimed,
        "evidence": check.evidence,
        "verdict": check.verdict,
    }


@router.post("/red-property-applications/{application_id}/submit", response={200: RedPropertyOut, **ERRORS})
def red_property_submit(request: HttpRequest, application_id: ObjectId):
    """Send the application to the district."""
    services.red_property_application_submit(actor=request.user, application_id=application_id)
    return _application(selectors.red_property_application_get_for_user(_scope(request), application_id))


@router.post("/red-property-applications/{application_id}/review", response={200: RedPropertyOut, **ERRORS})
def red_property_review(request: HttpRequest, application_id: ObjectId, payload: RedPropertyReviewIn):
    """The district's verdict (regulators)."""
    services.red_property_application_review(
        actor=request.user,
        application_id=application_id,
        is_recognised=payload.is_recognised,
        verdicts=[services.VerdictIn(item.code, item.verdict) for item in payload.verdicts],
        note=payload.note,
        valid_until=payload.valid_until,
    )
    return _application(selectors.red_property_application_get_for_user(_scope(request), application_id))


@router.get("/appointments", response=PageOut[AppointmentOut])
def appointment_list(request: HttpRequest, filters: Query[AppointmentFilter], page: Query[PageIn]):
    """Cross appointments and grid members (residents: their grid members)."""
    queryset = selectors.appointment_list_for_user(
        _scope(request),
        project_id=filters.project,
        kind=filters.kind,
        current_on=_today() if filters.is_current else None,
    )
    return paginate(queryset, page, _appointment)


@router.post("/appointments", response={201: AppointmentOut, **ERRORS})
def appointment_create(request: HttpRequest, payload: AppointmentIn):
    appointment = services.appointment_create(actor=request.user, **payload.dict())
    return 201, _appointment(selectors.appointment_get_for_user(_scope(request), appointment.pk))


@router.post("/appointments/{appointment_id}/end", response={200: AppointmentOut, **ERRORS})
def appointment_end(request: HttpRequest, appointment_id: ObjectId, payload: EndIn):
    services.appointment_end(actor=request.user, appointment_id=appointment_id, ended_on=payload.ended_on)
    return _appointment(selectors.appointment_get_for_user(_scope(request), appointment_id))


# Joint governance ----------------------------------------------------------------------------------------------------


def _attendees(items: list[Any] | None) -> list[services.AttendeeIn] | None:
    if items is None:
        return None
    return [services.AttendeeIn(a.party, a.name, a.position) for a in items]


@router.get("/joint-meetings", response=PageOut[JointMeetingOut])
def joint_meeting_list(request: HttpRequest, filters: Query[JointMeetingFilter], page: Query[PageIn]):
    queryset = selectors.joint_meeting_list_for_user(_scope(request), project_id=filters.project, level=filters.level)
    return paginate(queryset, page, _joint_meeting)


@router.post("/joint-meetings", response={201: JointMeetingOut, **ERRORS})
def joint_meeting_create(request: HttpRequest, payload: JointMeetingIn):
    """Call a joint meeting with the attendees of each party."""
    meeting = services.joint_meeting_create(
        actor=request.user,
        project_id=payload.project_id,
        level=payload.level,
        title=payload.title,
        starts_at=payload.starts_at,
        place=payload.place,
        attendees=_attendees(payload.attendees),
    )
    return 201, _joint_meeting(selectors.joint_meeting_get_for_user(_scope(request), meeting.pk), detail=True)


@router.get("/joint-meetings/{meeting_id}", response={200: JointMeetingOut, 404: ErrorOut})
def joint_meeting_detail(request: HttpRequest, meeting_id: ObjectId):
    return _joint_meeting(selectors.joint_meeting_get_for_user(_scope(request), meeting_id), detail=True)


@router.post("/joint-meetings/{meeting_id}/record", response={200: JointMeetingOut, **ERRORS})
def joint_meeting_record(request: HttpRequest, meeting_id: ObjectId, payload: JointRecordIn):
    services.joint_meeting_record(
        actor=request.user, meeting_id=meeting_id, minutes=payload.minutes, attendees=_attendees(payload.attendees)
    )
    return _joint_meeting(selectors.joint_meeting_get_for_user(_scope(request), meeting_id), detail=True)


@router.post("/joint-meetings/{meeting_id}/actions", response={201: JointActionOut, **ERRORS})
def joint_action_create(request: HttpRequest, meeting_id: ObjectId, payload: JointActionIn):
    """Turn an agenda item into a tracked action."""
    action = services.joint_action_create(actor=request.user, meeting_id=meeting_id, **payload.dict())
    return 201, _action(action, _today())


@router.get("/joint-actions", response=PageOut[JointActionOut])
def joint_action_list(request: HttpRequest, filters: Query[JointActionFilter], page: Query[PageIn]):
    """The action ledger, overdue first."""
    today = _today()
    queryset = selectors.joint_action_list_for_user(
        _scope(request),
        project_id=filters.project,
        status=filters.status,
        party=filters.party,
        is_overdue=filters.is_overdue,
        today=today,
    )
    return paginate(queryset, page, lambda action: _action(action, today))


@router.post("/joint-actions/{action_id}/close", response={200: JointActionOut, **ERRORS})
def joint_action_close(request: HttpRequest, action_id: ObjectId, payload: EvidenceIn):
    """Close an action with its evidence."""
    action = services.joint_action_close(actor=request.user, action_id=action_id, evidence=payload.evidence)
    return _action(action, _today())


# Volunteers ----------------------------------------------------------------------------------------------------------


@router.get("/volunteers", response=PageOut[VolunteerOut])
def volunteer_list(request: HttpRequest, filters: Query[VolunteerFilter], page: Query[PageIn]):
    """Volunteers with their hours and points (residents: their own record)."""
    queryset = selectors.volunteer_list_for_user(
        _scope(request), project_id=filters.project, kind=filters.kind, search=filters.search
    )
    return paginate(queryset, page, _volunteer)


@router.post("/volunteers", response={201: VolunteerOut, **ERRORS})
def volunteer_register(request: HttpRequest, payload: VolunteerIn):
    volunteer = services.volunteer_register(actor=request.user, **payload.dict())
    return 201, _volunteer(selectors.volunteer_get_for_user(_scope(request), volunteer.pk))


@router.get("/volunteers/{volunteer_id}", response={200: VolunteerOut, 404: ErrorOut})
def volunteer_detail(request: HttpRequest, volunteer_id: ObjectId):
    return _volunteer(selectors.volunteer_get_for_user(_scope(request), volunteer_id))


@router.get("/volunteers/{volunteer_id}/service-records", response={200: list[ServiceRecordOut], 404: ErrorOut})
def service_record_list(request: HttpRequest, volunteer_id: ObjectId):
    volunteer = selectors.volunteer_get_for_user(_scope(request), volunteer_id)
    return [_record(record) for record in selectors.service_record_list(volunteer)[:500]]


@router.post("/volunteers/{volunteer_id}/service-records", response={201: ServiceRecordOut, **ERRORS})
def service_record_add(request: HttpRequest, volunteer_id: ObjectId, payload: ServiceRecordIn):
    """Record hours of service (earning points)."""
    record = services.service_record_add(actor=request.user, volunteer_id=volunteer_id, **payload.dict())
    return 201, _record(record)


@router.get("/volunteers/{volunteer_id}/points", response={200: list[PointsEntryOut], 404: ErrorOut})
def points_ledger(request: HttpRequest, volunteer_id: ObjectId):
    """The append-only points ledger, newest first."""
    volunteer = selectors.volunteer_get_for_user(_scope(request), volunteer_id)
    return [
        {"id": e.pk, "points": e.points, "reason": e.reason, "note": e.note, "created_at": e.created_at}
        for e in selectors.points_ledger(volunteer)[:500]
    ]


@router.post("/volunteers/{volunteer_id}/points/redeem", response={201: PointsEntryOut, **ERRORS})
def points_redeem(request: HttpRequest, volunteer_id: ObjectId, payload: RedeemIn):
    entry = services.points_redeem(
        actor=request.user, volunteer_id=volunteer_id, points=payload.points, note=payload.note
    )
    return 201, {
        "id": entry.pk,
        "points": entry.points,
        "reason": entry.reason,
        "note": entry.note,
        "created_at": entry.created_at,
    }


@router.post("/volunteers/{volunteer_id}/certificates", response={201: VolunteerCertificateOut, **ERRORS})
def certificate_issue(request: HttpRequest, volunteer_id: ObjectId):
    """Issue a certificate of the hours on record (free, art. 19 of the volunteer regulation)."""
    return 201, _certificate(services.certificate_issue(actor=request.user, volunteer_id=volunteer_id))


# Activities ----------------------------------------------------------------------------------------------------------


@router.get("/activities", response=PageOut[ActivityOut])
def activity_list(request: HttpRequest, filters: Query[ActivityFilter], page: Query[PageIn]):
    """Activities (residents: those open to them)."""
    queryset = selectors.activity_list_for_user(
        _scope(request),
        project_id=filters.project,
        status=filters.status,
        starts_from=filters.starts_from,
        starts_until=filters.starts_until,
    )
    return paginate(queryset, page, _activity)


@router.post("/activities", response={201: ActivityOut, **ERRORS})
def activity_create(request: HttpRequest, payload: ActivityIn):
    """Create (and by default publish) an activity."""
    activity = services.activity_create(actor=request.user, **payload.dict())
    return 201, _activity(selectors.activity_get_for_user(_scope(request), activity.pk))


@router.get("/activities/{activity_id}", response={200: ActivityOut, 404: ErrorOut})
def activity_detail(request: HttpRequest, activity_id: ObjectId):
    return _activity(selectors.activity_get_for_user(_scope(request), activity_id))


@router.post("/activities/{activity_id}/publish", response={200: ActivityOut, **ERRORS})
def activity_publish(request: HttpRequest, activity_id: ObjectId):
    services.activity_publish(actor=request.user, activity_id=activity_id)
    return _activity(selectors.activity_get_for_user(_scope(request), activity_id))


@router.post("/activities/{activity_id}/cancel", response={200: ActivityOut, **ERRORS})
def activity_cancel(request: HttpRequest, activity_id: ObjectId, payload: ReasonIn):
    services.activity_cancel(actor=request.user, activity_id=activity_id, reason=payload.reason)
    return _activity(selectors.activity_get_for_user(_scope(request), activity_id))


@router.post("/activities/{activity_id}/complete", response={200: ActivityOut, **ERRORS})
def activity_complete(request: HttpRequest, activity_id: ObjectId, payload: ReportIn):
    """Record the activity as held with its report."""
    services.activity_complete(actor=request.user, activity_id=activity_id, report=payload.report)
    return _activity(selectors.activity_get_for_user(_scope(request), activity_id))


@router.get("/activities/{activity_id}/registrations", response={200: list[RegistrationOut], 404: ErrorOut})
def registration_list(request: HttpRequest, activity_id: ObjectId):
    """Sign-ups: all for staff, the caller's own for a resident."""
    scope = _scope(request)
    activity = selectors.activity_get_for_user(scope, activity_id)
    return [
        _registration(r, scope) for r in selectors.registration_list_for_user(scope, activity)[: activity.capacity * 3]
    ]


@router.post("/activities/{activity_id}/registrations", response={201: RegistrationOut, **ERRORS})
def registration_create(request: HttpRequest, activity_id: ObjectId):
    """Sign up: a place, or the waiting list when full."""
    registration = services.registration_create(actor=request.user, activity_id=activity_id)
    return 201, _registration(registration, _scope(request))


@router.post(
    "/activities/{activity_id}/registrations/{registration_id}/cancel", response={200: RegistrationOut, **ERRORS}
)
def registration_cancel(request: HttpRequest, activity_id: ObjectId, registration_id: ObjectId):
    """Cancel a sign-up; the first on the waiting list gets the place."""
    registration = services.registration_cancel(
        actor=request.user, activity_id=activity_id, registration_id=registration_id
    )
    return _registration(registration, _scope(request))


@router.post(
    "/activities/{activity_id}/registrations/{registration_id}/check-in", response={200: RegistrationOut, **ERRORS}
)
def registration_check_in_on_roster(request: HttpRequest, activity_id: ObjectId, registration_id: ObjectId):
    """Staff tick someone on the list."""
    registration = services.registration_check_in_on_roster(
        actor=request.user, activity_id=activity_id, registration_id=registration_id
    )
    return _registration(registration, _scope(request))


@router.post("/activity-check-ins", response={200: RegistrationOut, **ERRORS})
def activity_check_in(request: HttpRequest, payload: CheckInIn):
    """Check in by QR: staff send a scanned ``ticket``, a resident the scanned ``door_token``. A second scan is a
    409."""
    if bool(payload.ticket) == bool(payload.door_token):
        raise ValidationFailed({"ticket": [gettext("Send the scanned ticket or the door code, one of the two.")]})
    if payload.ticket:
        registration = services.registration_check_in_by_ticket(actor=request.user, ticket=payload.ticket)
    else:
        registration = services.registration_check_in_at_door(actor=request.user, door_token=payload.door_token)
    return _registration(registration, _scope(request))


# Care register -------------------------------------------------------------------------------------------------------


def _care_project(request: HttpRequest, project_id: int) -> Any:
    scope = _scope(request)
    project = estates.project_get_for_user(scope, project_id)
    if not is_staff_account(scope):
        raise NotFound(NOT_FOUND)
    return project


@router.get("/care-register-summary", response={200: CareSummaryOut, 404: ErrorOut, 422: ErrorOut})
def care_register_summary(request: HttpRequest, filters: Query[CareSummaryFilter]):
    """Counts of a project's register (no personal data), for whoever works with the project."""
    project = _care_project(request, filters.project)
    summary = selectors.care_register_summary([project.pk], _today())[project.pk]
    return summary.__dict__


@router.get("/care-subjects", response=PageOut[CareSubjectOut])
def care_subject_list(request: HttpRequest, filters: Query[CareSubjectFilter], page: Query[PageIn]):
    """The entries the caller needs to know (coordinator or assigned visitor), overdue first, masked; the read is
    audited."""
    queryset = selectors.care_subject_list_for_user(
        _scope(request), project_id=filters.project, is_overdue=filters.is_overdue, today=_today()
    )
    result = paginate(queryset, page)
    selectors.care_subjects_read(request.user, result["items"])
    result["items"] = [selectors.care_subject_view(subject) for subject in result["items"]]
    return result


@router.post("/care-subjects", response={201: CareSubjectOut, **ERRORS})
def care_subject_register(request: HttpRequest, payload: CareSubjectIn):
    """Put a resident on the register with the consent recorded."""
    subject = services.care_subject_register(actor=request.user, **payload.dict())
    return 201, selectors.care_subject_view(
        selectors.care_subject_get_for_user(_scope(request), subject.pk, actor=request.user)
    )


@router.get("/care-subjects/{subject_id}", response={200: CareSubjectOut, 404: ErrorOut})
def care_subject_detail(request: HttpRequest, subject_id: ObjectId):
    """One entry, masked (audited)."""
    return selectors.care_subject_view(
        selectors.care_subject_get_for_user(_scope(request), subject_id, actor=request.user)
    )


@router.post("/care-subjects/{subject_id}/reveal", response={200: CareSubjectOut, **ERRORS})
def care_subject_reveal(request: HttpRequest, subject_id: ObjectId, payload: RevealIn):
    """The sensitive fields, for a stated reason (audited)."""
    return services.care_sensitive_reveal(actor=request.user, subject_id=subject_id, reason=payload.reason)


@router.post("/care-subjects/{subject_id}/visitors", response={201: VisitorOut, **ERRORS})
def care_visitor_assign(request: HttpRequest, subject_id: ObjectId, payload: VisitorIn):
    visitor = services.care_visitor_assign(actor=request.user, subject_id=subject_id, **payload.dict())
    return 201, {
        "subject_id": visitor.subject_id,
        "user_id": visitor.user_id,
        "role": visitor.role,
        "started_on": visitor.started_on,
    }


@router.get("/care-subjects/{subject_id}/visits", response={200: list[VisitOut], 404: ErrorOut})
def care_visit_list(request: HttpRequest, subject_id: ObjectId):
    subject = selectors.care_subject_get_for_user(_scope(request), subject_id, actor=request.user)
    return [_visit(visit) for visit in selectors.care_visit_list(subject)]


@router.post("/care-subjects/{subject_id}/visits", response={201: VisitOut, **ERRORS})
def care_visit_record(request: HttpRequest, subject_id: ObjectId, payload: VisitIn):
    """Record a visit or call (a home visit with the door code or the position)."""
    visit = services.care_visit_record(actor=request.user, subject_id=subject_id, **payload.dict())
    return 201, _visit(visit)


@router.post("/care-subjects/{subject_id}/meters", response={200: CareSubjectOut, **ERRORS})
def care_meters_link(request: HttpRequest, subject_id: ObjectId, payload: MetersIn):
    """Link the household's meters for the silent-household alert."""
    services.care_meters_link(actor=request.user, subject_id=subject_id, **payload.dict())
    return selectors.care_subject_view(
        selectors.care_subject_get_for_user(_scope(request), subject_id, actor=request.user)
    )


@router.post("/care-subjects/{subject_id}/close", response={200: CareSubjectOut, **ERRORS})
def care_subject_close(request: HttpRequest, subject_id: ObjectId, payload: ReasonIn):
    subject = services.care_subject_close(actor=request.user, subject_id=subject_id, reason=payload.reason)
    return selectors.care_subject_view(subject)


@router.post("/care-coordinator-transfers", response={200: TransferOut, **ERRORS})
def care_coordinator_transfer(request: HttpRequest, payload: TransferIn):
    """Hand a coordinator's entries at a project to someone else."""
    return {"moved": services.care_coordinator_transfer(actor=request.user, **payload.dict())}


# Disclosure board ----------------------------------------------------------------------------------------------------


@router.get("/disclosures", response=PageOut[DisclosureOut])
def disclosure_list(request: HttpRequest, filters: Query[DisclosureFilter], page: Query[PageIn]):
    queryset = selectors.disclosure_list_for_user(_scope(request), project_id=filters.project, kind=filters.kind)
    return paginate(queryset, page, _disclosure)


@router.post("/disclosures", response={201: DisclosureOut, **ERRORS})
def disclosure_publish(request: HttpRequest, payload: DisclosureIn):
    """Publish a board item now (a planned cut tells the residents)."""
    data = payload.dict()
    data["figures"] = [services.FigureIn(f["label"], str(f["amount"])) for f in data["figures"]]
    item = services.disclosure_publish(actor=request.user, **data)
    return 201, _disclosure(selectors.disclosure_get_for_user(_scope(request), item.pk))


@router.get("/disclosures/{disclosure_id}", response={200: DisclosureOut, 404: ErrorOut})
def disclosure_detail(request: HttpRequest, disclosure_id: ObjectId):
    return _disclosure(selectors.disclosure_get_for_user(_scope(request), disclosure_id))


@router.post("/disclosures/{disclosure_id}/withdraw", response={200: DisclosureOut, **ERRORS})
def disclosure_withdraw(request: HttpRequest, disclosure_id: ObjectId, payload: ReasonIn):
    services.disclosure_withdraw(actor=request.user, disclosure_id=disclosure_id, reason=payload.reason)
    return _disclosure(selectors.disclosure_get_for_user(_scope(request), disclosure_id))


@router.get("/disclosure-boards/{project_id}", response={200: BoardOut, 404: ErrorOut})
def disclosure_board(request: HttpRequest, project_id: ObjectId):
    """A project's board now: each required item with its freshness, and the cuts announced ahead."""
    project = estates.project_get_for_user(_scope(request), project_id)
    board = selectors.board_for_project(project.pk, timezone.now())
    for outage in board.outages:
        outage.project = project
    return {
        "project_id": project.pk,
        "required": len(board.rows),
        "fresh": board.fresh_count,
        "missing_or_stale": board.missing_or_stale,
        "rows": [
            {
                "kind": row.kind,
                "label": row.label,
                "disclosure_id": row.item.pk if row.item else None,
                "published_at": row.item.published_at if row.item else None,
                "expires_at": row.expires_at,
                "is_fresh": row.is_fresh,
            }
            for row in board.rows
        ],
        "outages": [_disclosure(outage) for outage in board.outages],
    }
