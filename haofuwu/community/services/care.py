"""The care register: register a vulnerable resident with recorded consent, assign visitors, record visits with
proof, reveal sensitive fields on purpose (audited), hand entries over, close them; the silent-household check and
the visit reminders the worker runs.

PIPL: health data and a child's data are sensitive (art. 28) and need a separate consent (art. 29), a guardian's for
a child under 14 (art. 31); the register keeps the minimum, and only the coordinator and assigned visitors read it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.community import care_schedule, selectors, silence
from haofuwu.community.choices import (
    CareCategory,
    CareTier,
    ConsentGiver,
    VisitKind,
    VisitMethod,
    VisitorRole,
    VisitOutcome,
    VisitProof,
    VisitStatus,
)
from haofuwu.community.models import CONTACT_Q, CareSubject, CareVisit, CareVisitor, SilentAlert
from haofuwu.community.permissions import registers_care
from haofuwu.community.services.common import clean_text, full_clean, require, serves_project, short_code
from haofuwu.core import audit
from haofuwu.core.errors import Conflict, NotFound, ValidationFailed
from haofuwu.core.notifications import notify
from haofuwu.estates import selectors as estates

CHILD_AGE = 14  # PIPL art. 28/31: personal information of minors under 14 is sensitive.
# A home visit is proven by position within this distance of the project's recorded location (I: a large 小区 spans
# a few hundred metres; phone positions indoors are off by tens of metres).
POSITION_RADIUS_M = 300
ALERTING_OUTCOMES = (VisitOutcome.NEEDS_HELP, VisitOutcome.HOSPITAL, VisitOutcome.REFERRED)


def _choice(value: str, choices: Any, field: str) -> None:
    if value not in choices.values:
        raise ValidationFailed({field: [_("Choose one of the options.")]})


@transaction.atomic
def care_subject_register(
    *,
    actor: Any,
    resident_id: int,
    category: str,
    tier: str,
    consent_giver: str,
    consent_giver_name: str,
    has_sensitive_consent: bool = False,
    health_notes: str = "",
    emergency_contact: str = "",
    coordinator_id: int | None = None,
    silent_alert_enabled: bool = False,
    silent_hours: int = 24,
) -> CareSubject:
    """Put a resident on the care register with the consent recorded; the actor coordinates unless they name
    someone else who may register care at the project."""
    scope = scope_for_user(actor)
    resident = estates.resident_get_for_user(scope, resident_id)
    project = resident.unit.building.project
    require(registers_care(scope, project.pk, project.company_id))
    _choice(category, CareCategory, "category")
    _choice(tier, CareTier, "tier")
    _choice(consent_giver, ConsentGiver, "consent_giver")
    today = timezone.localdate()
    is_child = category == CareCategory.LEFT_BEHIND_CHILD or (
        resident.birth_year is not None and today.year - resident.birth_year < CHILD_AGE
    )
    if is_child and consent_giver != ConsentGiver.GUARDIAN:
        raise ValidationFailed({"consent_giver": [_("A child under 14 is registered with a guardian's consent.")]})
    if is_child and not has_sensitive_consent:
        raise ValidationFailed(
            {"has_sensitive_consent": [_("A child's data is sensitive: record the guardian's separate consent.")]}
        )
    if (health_notes.strip() or silent_alert_enabled) and not has_sensitive_consent:
        raise ValidationFailed(
            {"has_sensitive_consent": [_("Health notes and the silent-household alert need a separate consent.")]}
        )
    if not 12 <= silent_hours <= 96:
        raise ValidationFailed({"silent_hours": [_("Between 12 and 96 hours.")]})
    coordinator = actor
    if coordinator_id is not None and coordinator_id != actor.pk:
        coordinator = get_user_model().objects.filter(pk=coordinator_id, is_active=True).first()
        if coordinator is None or not registers_care(scope_for_user(coordinator), project.pk, project.company_id):
            raise ValidationFailed({"coordinator_id": [_("Choose someone who organises care at this project.")]})
    now = timezone.now()
    subject = CareSubject(
        project=project,
        resident=resident,
        unit=resident.unit,
        category=category,
        tier=tier,
        is_child=is_child,
        consent_giver=consent_giver,
        consent_giver_name=clean_text(consent_giver_name, field="consent_giver_name", max_length=50),
        consent_recorded_at=now,
        sensitive_consent_at=now if has_sensitive_consent else None,
        health_notes=health_notes.strip()[:2000],
        emergency_contact=emergency_contact.strip()[:200],
        coordinator=coordinator,
        silent_alert_enabled=silent_alert_enabled,
        silent_hours=silent_hours,
        registered_on=today,
        next_visit_due=care_schedule.next_visit_due(tier, today, None),
        door_code=short_code(),
    )
    full_clean(subject, exclude=["project", "resident", "unit", "coordinator"])
    try:
        with transaction.atomic():
            subject.save()
    except IntegrityError:
        raise Conflict(_("This resident is already on the care register."), field="resident_id") from None
    audit.record(actor, "care.register", subject, {"tier": tier, "sensitive_consent": has_sensitive_consent})
    return subject


def _subject(actor: Any, subject_id: int, *, coordinator_only: bool = False) -> CareSubject:
    scope = scope_for_user(actor)
    subject = selectors.care_subject_get_for_user(scope, subject_id, actor=actor)
    if coordinator_only:
        require(subject.coordinator_id == actor.pk)
    return subject


@transaction.atomic
def care_visitor_assign(*, actor: Any, subject_id: int, user_id: int, role: str) -> CareVisitor:
    """The coordinator assigns a visitor (staff, grid member, community worker or volunteer of the project)."""
    subject = _subject(actor, subject_id, coordinator_only=True)
    _choice(role, VisitorRole, "role")
    user = serves_project(user_id, subject.project_id, subject.project.company_id)
    if user is None:
        raise ValidationFailed({"user_id": [_("Choose a staff member, volunteer or worker of this project.")]})
    visitor = CareVisitor(subject=subject, user=user, role=role, started_on=timezone.localdate())
    try:
        with transaction.atomic():
            visitor.save()
    except IntegrityError:
        raise Conflict(_("This person is already assigned."), field="user_id") from None
    audit.record(actor, "care.visitor_assign", subject, {"user": user.pk, "role": role})
    return visitor


@transaction.atomic
def care_visitor_end(*, actor: Any, subject_id: int, user_id: int) -> int:
    """End an assignment: the person loses access to the entry from now on."""
    subject = _subject(actor, subject_id, coordinator_only=True)
    ended = CareVisitor.objects.filter(subject=subject, user_id=user_id, ended_on__isnull=True).update(
        ended_on=timezone.localdate(), updated_at=timezone.now()
    )
    if not ended:
        raise NotFound(_("This person is not assigned."), field="user_id")
    audit.record(actor, "care.visitor_end", subject, {"user": user_id})
    return ended


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine on a 6,371 km sphere; ample for a few hundred metres)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def _proof(
    subject: CareSubject, method: str, door_code: str, latitude: float | None, longitude: float | None
) -> tuple[str, int | None]:
    if method != VisitMethod.HOME:
        return "", None
    if door_code.strip():
        if door_code.strip() != subject.door_code:
            raise ValidationFailed({"door_code": [_("The door code is wrong. Read it from the card inside the door.")]})
        return VisitProof.DOOR_CODE, None
    project = subject.project
    if latitude is not None and longitude is not None and project.latitude is not None and project.longitude:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationFailed({"latitude": [_("Not a position on Earth.")]})
        metres = round(distance_m(latitude, longitude, float(project.latitude), float(project.longitude)))
        return (VisitProof.POSITION if metres <= POSITION_RADIUS_M else VisitProof.NONE), metres
    return VisitProof.NONE, None


@transaction.atomic
def care_visit_record(
    *,
    actor: Any,
    subject_id: int,
    method: str,
    outcome: str,
    notes: str = "",
    door_code: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> CareVisit:
    """A visitor records a visit or call at server time. A home visit carries its proof: the door code, or a
    position near the project; one without proof is kept but does not count as contact (P-23). It completes an
    open welfare check of the entry."""
    subject = _subject(actor, subject_id)
    if subject.closed_on is not None:
        raise Conflict(_("This resident has left the register."))
    _choice(method, VisitMethod, "method")
    _choice(outcome, VisitOutcome, "outcome")
    proof, metres = _proof(subject, method, door_code, latitude, longitude)
    now = timezone.now()
    visit = (
        CareVisit.objects.select_for_update()
        .filter(subject=subject, kind=VisitKind.WELFARE, status=VisitStatus.OPEN)
        .order_by("due_at")
        .first()
    ) or CareVisit(subject=subject, kind=VisitKind.ROUTINE)
    visit.status = VisitStatus.DONE
    visit.visitor = actor
    visit.method, visit.outcome, visit.proof, visit.distance_m = method, outcome, proof, metres
    visit.visited_at = now
    visit.notes = notes.strip()[:2000]
    full_clean(visit, exclude=["subject", "visitor"])
    visit.save()
    if visit.kind == VisitKind.WELFARE:
        SilentAlert.objects.filter(subject=subject, visit=visit, resolved_at__isnull=True).update(resolved_at=now)
    if visit.counts_as_contact:
        today = timezone.localdate(now)
        subject.last_contact_on = today
        subject.next_visit_due = care_schedule.next_visit_due(subject.tier, subject.registered_on, today)
        subject.save(update_fields=["last_contact_on", "next_visit_due", "updated_at"])
    if outcome in ALERTING_OUTCOMES and subject.coordinator_id != actor.pk:
        notify(
            recipient=subject.coordinator,
            title=_("A visit needs follow-up: %(outcome)s") % {"outcome": VisitOutcome(outcome).label},
            link=reverse("community:care_detail", args=[subject.pk]),
            channels=["sms"],
        )
    audit.record(actor, "care.visit", subject, {"visit": visit.pk, "method": method, "proof": proof})
    return visit


def care_sensitive_reveal(*, actor: Any, subject_id: int, reason: str) -> dict[str, Any]:
    """Show an entry's sensitive fields to someone with the need to know, for a stated reason (audited)."""
    subject = _subject(actor, subject_id)
    text = clean_text(reason, field="reason", max_length=200, message=_("Say why you need to see it."))
    audit.record(actor, "care.reveal", subject, {"reason": text})
    return selectors.care_subject_view(subject, is_revealed=True)


@transaction.atomic
def care_meters_link(
    *, actor: Any, subject_id: int, electricity_meter_id: int | None, water_meter_id: int | None
) -> CareSubject:
    """The coordinator links the household's meters for the silent-household alert (from the energy app)."""
    subject = _subject(actor, subject_id, coordinator_only=True)
    choices = {
        pk: kind
        for pk, kind, _name in selectors.household_meter_choices(
            scope_for_user(actor), subject.project_id, subject.unit.building_id
        )
    }
    for field, meter_id, kind in (
        ("electricity_meter_id", electricity_meter_id, "electricity"),
        ("water_meter_id", water_meter_id, "water"),
    ):
        if meter_id is not None and choices.get(meter_id) != kind:
            raise ValidationFailed({field: [_("Choose a household %(kind)s meter of this building.") % {"kind": kind}]})
    subject.electricity_meter_id, subject.water_meter_id = electricity_meter_id, water_meter_id
    subject.save(update_fields=["electricity_meter_id", "water_meter_id", "updated_at"])
    audit.record(actor, "care.meters", subject, {"electricity": electricity_meter_id, "water": water_meter_id})
    return subject


@transaction.atomic
def care_subject_close(*, actor: Any, subject_id: int, reason: str) -> CareSubject:
    """Take a resident off the register (moved away, consent withdrawn, passed away); visitors lose access."""
    subject = _subject(actor, subject_id, coordinator_only=True)
    if subject.closed_on is not None:
        raise Conflict(_("This resident has already left the register."))
    subject.closed_on = timezone.localdate()
    subject.closed_reason = clean_text(reason, field="reason", max_length=200, message=_("Say why."))
    subject.silent_alert_enabled = False
    subject.save(update_fields=["closed_on", "closed_reason", "silent_alert_enabled", "updated_at"])
    CareVisitor.objects.filter(subject=subject, ended_on__isnull=True).update(ended_on=subject.closed_on)
    audit.record(actor, "care.close", subject, {})
    return subject


@transaction.atomic
def care_coordinator_transfer(*, actor: Any, project_id: int, from_user_id: int, to_user_id: int) -> int:
    """Hand every entry of one coordinator at a project to another (someone leaving), without reading them."""
    scope = scope_for_user(actor)
    project = estates.project_get_for_user(scope, project_id)
    require(registers_care(scope, project.pk, project.company_id))
    target = get_user_model().objects.filter(pk=to_user_id, is_active=True).first()
    if target is None or not registers_care(scope_for_user(target), project.pk, project.company_id):
        raise ValidationFailed({"to_user_id": [_("Choose someone who organises care at this project.")]})
    moved = CareSubject.objects.filter(project=project, coordinator_id=from_user_id, closed_on__isnull=True).update(
        coordinator=target, updated_at=timezone.now()
    )
    audit.record(actor, "care.transfer", project, {"from": from_user_id, "to": to_user_id, "entries": moved})
    return moved


def care_silent_check(now: dt.datetime) -> int:
    """Open a welfare check, with the tier's deadline, for each opted-in resident whose meters show no use over
    their window; at most one open alert per resident (a unique constraint), so running twice opens nothing more."""
    opened = 0
    for subject in selectors.subjects_with_silent_alert().select_related("coordinator", "unit"):
        if SilentAlert.objects.filter(subject=subject, resolved_at__isnull=True).exists():
            continue
        start = now - dt.timedelta(hours=subject.silent_hours)
        windows = selectors.household_usage(
            {"electricity": subject.electricity_meter_id, "water": subject.water_meter_id}, start, now
        )
        if not silence.is_silent(windows, subject.silent_hours):
            continue
        by_kind = {window.kind: window.consumption for window in windows}
        try:
            with transaction.atomic():
                visit = CareVisit.objects.create(
                    subject=subject,
                    kind=VisitKind.WELFARE,
                    status=VisitStatus.OPEN,
                    due_at=care_schedule.welfare_deadline(subject.tier, now),
                )
                SilentAlert.objects.create(
                    subject=subject,
                    detected_at=now,
                    window_hours=subject.silent_hours,
                    electricity_kwh=by_kind.get("electricity"),
                    water_m3=by_kind.get("water"),
                    visit=visit,
                )
                _tell_welfare(subject, visit)
                audit.record(None, "care.silent_alert", subject, {"visit": visit.pk, "hours": subject.silent_hours})
        except IntegrityError:
            continue  # another worker opened it first
        opened += 1
    return opened


def _tell_welfare(subject: CareSubject, visit: CareVisit) -> None:
    recipients = {subject.coordinator_id: subject.coordinator}
    for visitor in CareVisitor.objects.filter(subject=subject, ended_on__isnull=True).select_related("user"):
        recipients[visitor.user_id] = visitor.user
    deadline = timezone.localtime(visit.due_at)
    for user in recipients.values():
        notify(
            recipient=user,
            # No name in the message: SMS texts leave the system.
            title=_("Welfare check by %(time)s: no water or power use at a registered home")
            % {"time": f"{deadline:%H:%M}"},
            link=reverse("community:care_detail", args=[subject.pk]),
            channels=["sms"],
            dedup_key=f"community.welfare:{visit.pk}",
        )


def care_visit_reminders(now: dt.datetime) -> int:
    """Tell the visitors (or the coordinator, when nobody is assigned) of each resident whose visit is due; once
    per resident and due date however often this runs."""
    today = timezone.localdate(now)
    sent = 0
    for subject in selectors.subjects_due(today):
        users = [visitor.user for visitor in subject.visitors.all()] or [subject.coordinator]
        for user in users:
            if notify(
                recipient=user,
                title=_("A care visit is due (since %(date)s)") % {"date": subject.next_visit_due.isoformat()},
                link=reverse("community:resident_visits"),
                dedup_key=f"community.care_due:{subject.pk}:{subject.next_visit_due.isoformat()}",
            ):
                sent += 1
    return sent


def last_contact_on(subject_id: int) -> dt.date | None:
    """The day of the entry's latest visit that counts as contact (for repairs of the stored date)."""
    visit = CareVisit.objects.filter(CONTACT_Q, subject_id=subject_id).order_by("-visited_at").first()
    return timezone.localdate(visit.visited_at) if visit and visit.visited_at else None
