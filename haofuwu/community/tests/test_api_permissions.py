"""Permission matrix of the community API (see haofuwu/core/tests/matrix.py): every route, every role, the status —
and nothing changed when refused. Targets live in project A; each call gets a fresh target where it writes.

The care register is the strict one: only the entry's coordinator (community_a) and its assigned visitor
(engineer_a) get past a 404 — not the manager, the company, a regulator or the platform administrator."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from haofuwu.accounts.services import api_token_create
from haofuwu.community import models as m
from haofuwu.community.choices import AppointmentKind, MeetingStatus, Party, PointsReason
from haofuwu.community.tests import factories
from haofuwu.core.models import AuditEntry
from haofuwu.core.tests.matrix import EVERYONE, SEES_PROJECT_A, WRITES_PROJECT_A, Case, read, run, write
from haofuwu.estates.tests.factories import ProjectFactory, ResidentFactory

MANAGES_A = frozenset({"admin", "company_admin_a", "manager_a", "community_a"})
RUNS_A = MANAGES_A | {"engineer_a", "security_a"}
REGISTERS_CARE_A = frozenset({"admin", "manager_a", "community_a"})
REVIEWERS_A = frozenset({"admin", "regulator_city", "regulator_lixia"})
STAFF_READ = {**read(SEES_PROJECT_A), "resident_a": 404}
CARE_READ = {**read({"community_a", "engineer_a"})}
_counter = itertools.count(1)
_stash: dict[str, Any] = {}


def _staff_only(expected: dict[str, int]) -> dict[str, int]:
    return {**expected, "resident_a": 404}


COUNTED = (
    m.PartyOrganisation,
    m.PartyCoverage,
    m.PartyMember,
    m.PartyMeeting,
    m.PartyMeetingSignIn,
    m.PioneerPost,
    m.RedPropertyApplication,
    m.Appointment,
    m.JointMeeting,
    m.JointAction,
    m.Volunteer,
    m.ServiceRecord,
    m.PointsEntry,
    m.HoursCertificate,
    m.Activity,
    m.Registration,
    m.CareSubject,
    m.CareVisitor,
    m.CareVisit,
    m.Disclosure,
)


def _fingerprint_sql() -> str:
    """One query for the whole fingerprint (15 roles × 2 reads a case): each table's row count and, where rows are
    time-stamped, the latest change; the places counter and the checklist claims, which change without one."""
    parts = []
    for model in COUNTED:
        table = model._meta.db_table
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        if any(field.name == "updated_at" for field in model._meta.fields):
            parts.append(f"(SELECT MAX(updated_at) FROM {table})")
    parts.append(f"(SELECT SUM(confirmed) FROM {m.Activity._meta.db_table})")
    checks = m.RedPropertyCriterionCheck._meta.db_table
    parts.append(f"(SELECT SUM(CASE WHEN is_claimed THEN id ELSE 0 END) FROM {checks})")
    audit = AuditEntry._meta.db_table
    parts.append(f"(SELECT COUNT(*) FROM {audit} WHERE action NOT IN ('token.create', 'care.read', 'care.list'))")
    return "SELECT " + ", ".join(parts)


def _state() -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return tuple(cursor.fetchone())


def _organisation(w: Any) -> m.PartyOrganisation:
    organisation = m.PartyOrganisation.objects.create(
        company=w.company_a,
        name=f"支部{next(_counter)}",
        kind="independent",
        established_on=dt.date(2020, 7, 1),
        meeting_code="123456",
    )
    m.PartyCoverage.objects.create(organisation=organisation, project=w.project_a, started_on=dt.date(2020, 7, 1))
    return organisation


def _member(w: Any) -> m.PartyMember:
    return m.PartyMember.objects.create(
        organisation=_organisation(w), name="党员甲", status="full", joined_on=dt.date(2015, 7, 1)
    )


def _party_meeting(w: Any) -> m.PartyMeeting:
    member = _member(w)
    _stash["member"] = member.pk
    return m.PartyMeeting.objects.create(
        organisation=member.organisation,
        kind="members_meeting",
        title="党员大会",
        starts_at=timezone.now() - dt.timedelta(hours=1),
    )


def _application(w: Any, status: str = "draft") -> m.RedPropertyApplication:
    application = m.RedPropertyApplication.objects.create(
        project=w.project_a, year=2000 + next(_counter), level="district", plan="创建方案", status=status
    )
    m.RedPropertyCriterionCheck.objects.create(
        application=application, code="grid_members", is_claimed=True, evidence="x"
    )
    return application


def _joint_meeting(w: Any) -> m.JointMeeting:
    meeting = m.JointMeeting.objects.create(
        project=w.project_a,
        title="联席会",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        status=MeetingStatus.PLANNED,
    )
    m.JointMeetingAttendee.objects.create(meeting=meeting, party=Party.PROPERTY_COMPANY, name="赵经理")
    return meeting


def _action(w: Any) -> m.JointAction:
    return m.JointAction.objects.create(
        meeting=_joint_meeting(w), item="修路灯", party="property_company", owner_name="赵", due_on=timezone.localdate()
    )


def _volunteer(w: Any, *, hours: bool = False, points: int = 0) -> m.Volunteer:
    volunteer = m.Volunteer.objects.create(
        project=w.project_a, name=f"志愿者{next(_counter)}", kind="resident", registered_on=dt.date(2024, 1, 1)
    )
    if hours:
        m.ServiceRecord.objects.create(volunteer=volunteer, served_on=dt.date(2025, 3, 1), hours=2, description="巡逻")
    if points:
        m.PointsEntry.objects.create(volunteer=volunteer, points=points, reason=PointsReason.CORRECTION)
    return volunteer


def _soon(w: Any, **fields: Any) -> m.Activity:
    return factories.activity(w.project_a, capacity=5, starts_in=dt.timedelta(minutes=30), **fields)


def _registration(w: Any, **fields: Any) -> m.Registration:
    activity = _soon(w, **fields)
    m.Activity.objects.filter(pk=activity.pk).update(confirmed=1)
    return m.Registration.objects.create(
        activity=activity,
        user=w.users["resident_a"],
        unit=w.unit_a,
        name="张甲",
        status="confirmed",
        ticket=f"t{next(_counter)}",
    )


def _ticket_url(w: Any) -> str:
    _stash["ticket"] = _registration(w).ticket
    return "/api/v1/activity-check-ins"


def _subject(w: Any) -> m.CareSubject:
    resident = ResidentFactory(unit=w.unit_a2, name=f"独居{next(_counter)}")
    subject = factories.care_subject(resident, w.users["community_a"])
    m.CareVisitor.objects.create(
        subject=subject, user=w.users["engineer_a"], role="staff", started_on=dt.date(2025, 1, 1)
    )
    return subject


def _care_url(w: Any, suffix: str = "") -> str:
    return f"/api/v1/care-subjects/{_subject(w).pk}{suffix}"


def _new_resident_url(w: Any) -> str:
    _stash["resident"] = ResidentFactory(unit=w.unit_a2, name=f"老人{next(_counter)}").pk
    return "/api/v1/care-subjects"


def _disclosure(w: Any) -> m.Disclosure:
    return m.Disclosure.objects.create(
        project=w.project_a, kind="fees", title="收费标准", body="住宅 1.8 元/㎡·月", published_at=timezone.now()
    )


def _fresh_year_url(w: Any) -> str:
    """The previous call's application is withdrawn first, so this year's city-level one may be applied for."""
    m.RedPropertyApplication.objects.filter(project=w.project_a).update(status="withdrawn")
    return "/api/v1/red-property-applications"


SOON = lambda: (timezone.now() + dt.timedelta(days=5)).isoformat()  # noqa: E731
LATER = lambda: (timezone.now() + dt.timedelta(days=5, hours=2)).isoformat()  # noqa: E731

CASES = [
    Case("organisations", "get", lambda w: "/api/v1/party-organisations", read(EVERYONE)),
    Case(
        "create organisation",
        "post",
        lambda w: "/api/v1/party-organisations",
        write(SEES_PROJECT_A, MANAGES_A, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "name": f"党支部{next(_counter)}",
            "kind": "independent",
            "established_on": "2021-07-01",
        },
    ),
    Case("organisation", "get", lambda w: f"/api/v1/party-organisations/{_organisation(w).pk}", read(SEES_PROJECT_A)),
    Case(
        "cover project",
        "post",
        lambda w: f"/api/v1/party-organisations/{_organisation(w).pk}/projects",
        # The new project is company A's: its admin may attach it; the manager and the worker of project A do not
        # see it at all.
        {**write(SEES_PROJECT_A, {"admin", "company_admin_a"}, 201), "manager_a": 404, "community_a": 404},
        lambda w: {"project_id": ProjectFactory(company=w.company_a, district="370102").pk, "liaison_name": "联络员"},
    ),
    Case(
        "members", "get", lambda w: f"/api/v1/party-organisations/{_organisation(w).pk}/members", read(SEES_PROJECT_A)
    ),
    Case(
        "add member",
        "post",
        lambda w: f"/api/v1/party-organisations/{_organisation(w).pk}/members",
        write(SEES_PROJECT_A, MANAGES_A, 201),
        lambda w: {"name": "党员乙", "status": "probationary", "joined_on": "2024-07-01"},
    ),
    Case("party meetings", "get", lambda w: "/api/v1/party-meetings", read(EVERYONE)),
    Case(
        "plan party meeting",
        "post",
        lambda w: f"/api/v1/party-meetings?o={_stash.setdefault('org', 0) or _stash.update(org=_organisation(w).pk)}",
        write(SEES_PROJECT_A, MANAGES_A, 201),
        lambda w: {"organisation_id": _stash["org"], "kind": "lesson", "title": "党课", "starts_at": SOON()},
    ),
    Case(
        "sign in",
        "post",
        lambda w: f"/api/v1/party-meetings/{_party_meeting(w).pk}/sign-ins",
        _staff_only(write(SEES_PROJECT_A, MANAGES_A)),
        lambda w: {"member_ids": [_stash["member"]]},
    ),
    Case(
        "record party meeting",
        "post",
        lambda w: f"/api/v1/party-meetings/{_party_meeting(w).pk}/record",
        _staff_only(write(SEES_PROJECT_A, MANAGES_A)),
        lambda w: {"minutes": "学习了会议精神"},
    ),
    Case("pioneer posts", "get", lambda w: "/api/v1/pioneer-posts", read(EVERYONE)),
    Case(
        "create pioneer post",
        "post",
        lambda w: f"/api/v1/pioneer-posts?m={_stash.update(post_member=_member(w).pk) or 1}",
        write(SEES_PROJECT_A, MANAGES_A, 201),
        lambda w: {"project_id": w.project_a.pk, "member_id": _stash["post_member"], "title": "客服党员先锋岗"},
    ),
    Case("applications", "get", lambda w: "/api/v1/red-property-applications", read(EVERYONE)),
    Case(
        "create application",
        "post",
        _fresh_year_url,
        write(SEES_PROJECT_A, MANAGES_A, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "plan": "三年创建计划",
            "year": timezone.localdate().year,
            "level": "city",
        },
    ),
    Case("application", "get", lambda w: f"/api/v1/red-property-applications/{_application(w).pk}", STAFF_READ),
    Case(
        "claim criterion",
        "post",
        lambda w: f"/api/v1/red-property-applications/{_application(w).pk}/criteria",
        _staff_only(write(SEES_PROJECT_A, MANAGES_A)),
        lambda w: {"code": "grid_members", "is_claimed": False},
    ),
    Case(
        "submit application",
        "post",
        lambda w: f"/api/v1/red-property-applications/{_application(w).pk}/submit",
        _staff_only(write(SEES_PROJECT_A, MANAGES_A)),
    ),
    Case(
        "review application",
        "post",
        lambda w: f"/api/v1/red-property-applications/{_application(w, 'submitted').pk}/review",
        _staff_only(write(SEES_PROJECT_A, REVIEWERS_A)),
        lambda w: {
            "is_recognised": False,
            "verdicts": [{"code": "grid_members", "verdict": "not_met"}],
            "note": "材料不足",
        },
    ),
    Case("appointments", "get", lambda w: "/api/v1/appointments", read(EVERYONE)),
    Case(
        "create appointment",
        "post",
        lambda w: "/api/v1/appointments",
        write(SEES_PROJECT_A, MANAGES_A, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "kind": "grid_member",
            "person_name": "赵工",
            "grid": "第三网格",
            "appointed_by": "甲社区",
            "started_on": "2025-01-01",
        },
    ),
    Case(
        "end appointment",
        "post",
        lambda w: "/api/v1/appointments/{}/end".format(
            m.Appointment.objects.create(
                project=w.project_a,
                kind=AppointmentKind.QUALITY_SUPERVISOR,
                person_name="社区委员",
                appointed_by="甲社区",
                started_on=dt.date(2024, 1, 1),
            ).pk
        ),
        _staff_only(write(SEES_PROJECT_A, MANAGES_A)),
        lambda w: {"ended_on": "2025-06-30"},
    ),
    Case("joint meetings", "get", lambda w: "/api/v1/joint-meetings", read(EVERYONE)),
    Case(
        "call joint meeting",
        "post",
        lambda w: "/api/v1/joint-meetings",
        write(SEES_PROJECT_A, MANAGES_A, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "title": "三方联动会",
            "starts_at": SOON(),
            "attendees": [{"party": "owners_committee", "name": "刘主任"}],
        },
    ),
    Case("joint meeting", "get", lambda w: f"/api/v1/joint-meetings/{_joint_meeting(w).pk}", STAFF_READ),
    Case(
        "record joint meeting",
        "post",
        lambda w: f"/api/v1/joint-meetings/{_joint_meeting(w).pk}/record",
        _staff_only(write(SEES_PROJECT_A, MANAGES_A)),
        lambda w: {"minutes": "议定三项事项"},
    ),
    Case(
        "create action",
        "post",
        lambda w: f"/api/v1/joint-meetings/{_joint_meeting(w).pk}/actions",
        _staff_only(write(SEES_PROJECT_A, MANAGES_A, 201)),
        lambda w: {
            "item": "增设充电桩",
            "party": "property_company",
            "owner_name": "赵经理",
            "due_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    ),
    Case("actions", "get", lambda w: "/api/v1/joint-actions", read(EVERYONE)),
    Case(
        "close action",
        "post",
        lambda w: f"/api/v1/joint-actions/{_action(w).pk}/close",
        _staff_only(write(SEES_PROJECT_A, MANAGES_A)),
        lambda w: {"evidence": "已完成，附验收单"},
    ),
    Case("volunteers", "get", lambda w: "/api/v1/volunteers", read(EVERYONE)),
    Case(
        "register volunteer",
        "post",
        lambda w: "/api/v1/volunteers",
        write(SEES_PROJECT_A, MANAGES_A, 201),
        lambda w: {"project_id": w.project_a.pk, "kind": "party_member", "name": f"志愿者{next(_counter)}"},
    ),
    Case("volunteer", "get", lambda w: f"/api/v1/volunteers/{_volunteer(w).pk}", STAFF_READ),
    Case("service records", "get", lambda w: f"/api/v1/volunteers/{_volunteer(w).pk}/service-records", STAFF_READ),
    Case(
        "record hours",
        "post",
        lambda w: f"/api/v1/volunteers/{_volunteer(w).pk}/service-records",
        _staff_only(write(SEES_PROJECT_A, RUNS_A, 201)),
        lambda w: {"served_on": timezone.localdate().isoformat(), "hours": "1.5", "description": "助老服务"},
    ),
    Case("points", "get", lambda w: f"/api/v1/volunteers/{_volunteer(w).pk}/points", STAFF_READ),
    Case(
        "redeem points",
        "post",
        lambda w: f"/api/v1/volunteers/{_volunteer(w, points=100).pk}/points/redeem",
        _staff_only(write(SEES_PROJECT_A, MANAGES_A, 201)),
        lambda w: {"points": 30, "note": "兑换洗衣液"},
    ),
    Case(
        "issue certificate",
        "post",
        lambda w: f"/api/v1/volunteers/{_volunteer(w, hours=True).pk}/certificates",
        _staff_only(write(SEES_PROJECT_A, MANAGES_A, 201)),
    ),
    Case("activities", "get", lambda w: "/api/v1/activities", read(EVERYONE)),
    Case(
        "create activity",
        "post",
        lambda w: "/api/v1/activities",
        write(SEES_PROJECT_A, RUNS_A, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "title": "重阳节包饺子",
            "kind": "festival",
            "place": "活动室",
            "starts_at": SOON(),
            "ends_at": LATER(),
            "capacity": 30,
        },
    ),
    Case("activity", "get", lambda w: f"/api/v1/activities/{_soon(w).pk}", read(SEES_PROJECT_A)),
    Case(
        "publish activity",
        "post",
        lambda w: f"/api/v1/activities/{_soon(w, status='draft').pk}/publish",
        _staff_only(write(SEES_PROJECT_A, RUNS_A)),
    ),
    Case(
        "cancel activity",
        "post",
        lambda w: f"/api/v1/activities/{_soon(w).pk}/cancel",
        write(SEES_PROJECT_A, RUNS_A),
        lambda w: {"reason": "天气原因"},
    ),
    Case(
        "complete activity",
        "post",
        lambda w: f"/api/v1/activities/{_soon(w, starts_at=timezone.now() - dt.timedelta(minutes=10)).pk}/complete",
        write(SEES_PROJECT_A, RUNS_A),
        lambda w: {"report": "五十余位居民参加"},
    ),
    Case("registrations", "get", lambda w: f"/api/v1/activities/{_soon(w).pk}/registrations", read(SEES_PROJECT_A)),
    Case(
        "sign up",
        "post",
        lambda w: f"/api/v1/activities/{_soon(w).pk}/registrations",
        write(SEES_PROJECT_A, {"resident_a"}, 201),
    ),
    Case(
        "cancel sign-up",
        "post",
        lambda w: (lambda r: f"/api/v1/activities/{r.activity_id}/registrations/{r.pk}/cancel")(_registration(w)),
        write(SEES_PROJECT_A, RUNS_A | {"resident_a"}),
    ),
    Case(
        "roster check-in",
        "post",
        lambda w: (lambda r: f"/api/v1/activities/{r.activity_id}/registrations/{r.pk}/check-in")(_registration(w)),
        write(SEES_PROJECT_A, RUNS_A),
    ),
    Case("ticket check-in", "post", _ticket_url, write(SEES_PROJECT_A, RUNS_A), lambda w: {"ticket": _stash["ticket"]}),
    Case("care summary", "get", lambda w: f"/api/v1/care-register-summary?project={w.project_a.pk}", STAFF_READ),
    Case("care subjects", "get", lambda w: "/api/v1/care-subjects", read(EVERYONE)),
    Case(
        "register care",
        "post",
        _new_resident_url,
        {
            **write(SEES_PROJECT_A, REGISTERS_CARE_A, 201),
            "regulator_city": 404,
            "regulator_lixia": 404,
            "resident_a": 404,
        },
        lambda w: {
            "resident_id": _stash["resident"],
            "category": "elderly_alone",
            "tier": "key",
            "consent_giver": "self",
            "consent_giver_name": "本人",
        },
    ),
    Case("care subject", "get", lambda w: _care_url(w), CARE_READ),
    Case(
        "reveal",
        "post",
        lambda w: _care_url(w, "/reveal"),
        read({"community_a", "engineer_a"}),
        lambda w: {"reason": "上门核对"},
    ),
    Case(
        "assign visitor",
        "post",
        lambda w: _care_url(w, "/visitors"),
        write({"community_a", "engineer_a"}, {"community_a"}, 201),
        lambda w: {"user_id": w.users["security_a"].pk, "role": "staff"},
    ),
    Case("care visits", "get", lambda w: _care_url(w, "/visits"), CARE_READ),
    Case(
        "record visit",
        "post",
        lambda w: _care_url(w, "/visits"),
        write({"community_a", "engineer_a"}, {"community_a", "engineer_a"}, 201),
        lambda w: {"method": "phone", "outcome": "well"},
    ),
    Case(
        "link meters",
        "post",
        lambda w: _care_url(w, "/meters"),
        write({"community_a", "engineer_a"}, {"community_a"}),
        lambda w: {"electricity_meter_id": None, "water_meter_id": None},
    ),
    Case(
        "close care",
        "post",
        lambda w: _care_url(w, "/close"),
        write({"community_a", "engineer_a"}, {"community_a"}),
        lambda w: {"reason": "搬离小区"},
    ),
    Case(
        "transfer coordinator",
        "post",
        lambda w: "/api/v1/care-coordinator-transfers",
        write(SEES_PROJECT_A, REGISTERS_CARE_A),
        lambda w: {
            "project_id": w.project_a.pk,
            "from_user_id": w.users["community_a"].pk,
            "to_user_id": w.users["manager_a"].pk,
        },
    ),
    Case("disclosures", "get", lambda w: "/api/v1/disclosures", read(EVERYONE)),
    Case(
        "publish disclosure",
        "post",
        lambda w: "/api/v1/disclosures",
        write(SEES_PROJECT_A, WRITES_PROJECT_A, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "kind": "parking_rules",
            "title": "停车管理规定",
            "body": "外来车辆登记",
        },
    ),
    Case("disclosure", "get", lambda w: f"/api/v1/disclosures/{_disclosure(w).pk}", read(SEES_PROJECT_A)),
    Case(
        "withdraw disclosure",
        "post",
        lambda w: f"/api/v1/disclosures/{_disclosure(w).pk}/withdraw",
        write(SEES_PROJECT_A, WRITES_PROJECT_A),
        lambda w: {"reason": "发布有误"},
    ),
    Case("board", "get", lambda w: f"/api/v1/disclosure-boards/{w.project_a.pk}", read(SEES_PROJECT_A)),
]

ROUTES: set[tuple[str, str]] = {
    ("GET", "/api/v1/party-organisations"),
    ("POST", "/api/v1/party-organisations"),
    ("GET", "/api/v1/party-organisations/{organisation_id}"),
    ("POST", "/api/v1/party-organisations/{organisation_id}/projects"),
    ("GET", "/api/v1/party-organisations/{organisation_id}/members"),
    ("POST", "/api/v1/party-organisations/{organisation_id}/members"),
    ("GET", "/api/v1/party-meetings"),
    ("POST", "/api/v1/party-meetings"),
    ("POST", "/api/v1/party-meetings/{meeting_id}/sign-ins"),
    ("POST", "/api/v1/party-meetings/{meeting_id}/record"),
    ("GET", "/api/v1/pioneer-posts"),
    ("POST", "/api/v1/pioneer-posts"),
    ("GET", "/api/v1/red-property-applications"),
    ("POST", "/api/v1/red-property-applications"),
    ("GET", "/api/v1/red-property-applications/{application_id}"),
    ("POST", "/api/v1/red-property-applications/{application_id}/criteria"),
    ("POST", "/api/v1/red-property-applications/{application_id}/submit"),
    ("POST", "/api/v1/red-property-applications/{application_id}/review"),
    ("GET", "/api/v1/appointments"),
    ("POST", "/api/v1/appointments"),
    ("POST", "/api/v1/appointments/{appointment_id}/end"),
    ("GET", "/api/v1/joint-meetings"),
    ("POST", "/api/v1/joint-meetings"),
    ("GET", "/api/v1/joint-meetings/{meeting_id}"),
    ("POST", "/api/v1/joint-meetings/{meeting_id}/record"),
    ("POST", "/api/v1/joint-meetings/{meeting_id}/actions"),
    ("GET", "/api/v1/joint-actions"),
    ("POST", "/api/v1/joint-actions/{action_id}/close"),
    ("GET", "/api/v1/volunteers"),
    ("POST", "/api/v1/volunteers"),
    ("GET", "/api/v1/volunteers/{volunteer_id}"),
    ("GET", "/api/v1/volunteers/{volunteer_id}/service-records"),
    ("POST", "/api/v1/volunteers/{volunteer_id}/service-records"),
    ("GET", "/api/v1/volunteers/{volunteer_id}/points"),
    ("POST", "/api/v1/volunteers/{volunteer_id}/points/redeem"),
    ("POST", "/api/v1/volunteers/{volunteer_id}/certificates"),
    ("GET", "/api/v1/activities"),
    ("POST", "/api/v1/activities"),
    ("GET", "/api/v1/activities/{activity_id}"),
    ("POST", "/api/v1/activities/{activity_id}/publish"),
    ("POST", "/api/v1/activities/{activity_id}/cancel"),
    ("POST", "/api/v1/activities/{activity_id}/complete"),
    ("GET", "/api/v1/activities/{activity_id}/registrations"),
    ("POST", "/api/v1/activities/{activity_id}/registrations"),
    ("POST", "/api/v1/activities/{activity_id}/registrations/{registration_id}/cancel"),
    ("POST", "/api/v1/activities/{activity_id}/registrations/{registration_id}/check-in"),
    ("POST", "/api/v1/activity-check-ins"),
    ("GET", "/api/v1/care-register-summary"),
    ("GET", "/api/v1/care-subjects"),
    ("POST", "/api/v1/care-subjects"),
    ("GET", "/api/v1/care-subjects/{subject_id}"),
    ("POST", "/api/v1/care-subjects/{subject_id}/reveal"),
    ("POST", "/api/v1/care-subjects/{subject_id}/visitors"),
    ("GET", "/api/v1/care-subjects/{subject_id}/visits"),
    ("POST", "/api/v1/care-subjects/{subject_id}/visits"),
    ("POST", "/api/v1/care-subjects/{subject_id}/meters"),
    ("POST", "/api/v1/care-subjects/{subject_id}/close"),
    ("POST", "/api/v1/care-coordinator-transfers"),
    ("GET", "/api/v1/disclosures"),
    ("POST", "/api/v1/disclosures"),
    ("GET", "/api/v1/disclosures/{disclosure_id}"),
    ("POST", "/api/v1/disclosures/{disclosure_id}/withdraw"),
    ("GET", "/api/v1/disclosure-boards/{project_id}"),
}
# Routes whose permissions are tested elsewhere (name the test module in a comment beside each).
OWN_ROUTES: set[tuple[str, str]] = set()


@pytest.fixture(autouse=True)
def _fresh_stash():  # type: ignore[no-untyped-def]
    _stash.clear()
    yield


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_endpoint_answers_each_role_with_the_expected_status(world, client, case: Case) -> None:
    tokens = {name: api_token_create(user=user)[1] for name, user in world.users.items()}
    failures = run(client, world, case, tokens, _state)
    assert not failures, "\n".join(failures)
