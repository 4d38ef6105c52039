"""Read side of the care register. Need to know: an entry is visible only to its coordinator and its assigned
visitors (not to the project's manager, the company, a regulator or a platform administrator), and every read of an
entry — one entry or a page of them — writes an audit row (PIPL arts. 28–31; module docstring of models/care.py).
Others who organise care see counts only (``care_register_summary``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from haofuwu.community.choices import SENSITIVE_CATEGORIES, VisitKind, VisitStatus
from haofuwu.community.models import Appointment, CareSubject, CareVisit, CareVisitor, Volunteer
from haofuwu.community.selectors.common import get_or_404
from haofuwu.community.silence import MeterWindow
from haofuwu.core import audit
from haofuwu.core.masking import mask_name, mask_phone
from haofuwu.core.scoping import Scope
from haofuwu.energy import selectors as energy
from haofuwu.estates import selectors as estates

MASK = "••••"


def need_to_know_q(user_id: int | None) -> Q:
    """Entries the user coordinates or is assigned to visit (now)."""
    if user_id is None:
        return Q(pk__in=[])
    assigned = CareVisitor.objects.filter(subject=OuterRef("pk"), user_id=user_id, ended_on__isnull=True)
    return Q(coordinator_id=user_id) | Q(Exists(assigned))


def care_subject_list_for_user(
    scope: Scope,
    *,
    project_id: int | None = None,
    is_overdue: bool | None = None,
    include_closed: bool = False,
    today: dt.date,
) -> QuerySet[CareSubject]:
    """The entries the user needs to know, overdue visits first (lazy: read them through ``care_subject_page``)."""
    queryset = CareSubject.objects.filter(need_to_know_q(scope.user_id)).select_related(
        "resident", "unit__building", "project", "coordinator"
    )
    if not include_closed:
        queryset = queryset.filter(closed_on__isnull=True)
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if is_overdue is True:
        queryset = queryset.filter(next_visit_due__lt=today)
    elif is_overdue is False:
        queryset = queryset.filter(next_visit_due__gte=today)
    open_welfare = CareVisit.objects.filter(subject=OuterRef("pk"), kind=VisitKind.WELFARE, status=VisitStatus.OPEN)
    return queryset.annotate(has_open_welfare=Exists(open_welfare)).order_by(
        "-has_open_welfare", "next_visit_due", "id"
    )


def care_subjects_read(actor: Any, subjects: list[CareSubject], *, action: str = "care.list") -> list[CareSubject]:
    """Record that ``actor`` read these entries (one audit row naming their ids) and return them."""
    if subjects:
        audit.record(actor, action, subjects[0] if len(subjects) == 1 else None, {"ids": [s.pk for s in subjects]})
    return subjects


def care_subject_get_for_user(scope: Scope, subject_id: int, *, actor: Any) -> CareSubject:
    """One entry the user needs to know (else ``NotFound``: the entry's existence is not told), audited."""
    queryset = CareSubject.objects.filter(need_to_know_q(scope.user_id)).select_related(
        "resident", "unit__building", "project__company", "coordinator"
    )
    subject = get_or_404(
        queryset.prefetch_related(
            Prefetch("visitors", CareVisitor.objects.filter(ended_on__isnull=True).select_related("user"))
        ),
        subject_id,
    )
    audit.record(actor, "care.read", subject, {})
    return subject


def care_visit_list(subject: CareSubject, *, limit: int = 50) -> list[CareVisit]:
    return list(CareVisit.objects.filter(subject=subject).select_related("visitor").order_by("-created_at")[:limit])


def open_welfare_visits(subject_ids: list[int]) -> dict[int, CareVisit]:
    rows = CareVisit.objects.filter(subject_id__in=subject_ids, kind=VisitKind.WELFARE, status=VisitStatus.OPEN)
    return {visit.subject_id: visit for visit in rows.order_by("due_at")}


def care_subject_view(subject: CareSubject, *, is_revealed: bool = False) -> dict[str, Any]:
    """What the entry's page and the API show: the name masked and the sensitive fields hidden until revealed
    (PIPL art. 28: health data and a child's data)."""
    resident = subject.resident
    is_sensitive_category = subject.category in SENSITIVE_CATEGORIES
    show = is_revealed
    return {
        "id": subject.pk,
        "project_id": subject.project_id,
        "project_name": subject.project.name,
        "household": subject.unit.label,
        "name": resident.name if show else mask_name(resident.name),
        "phone": (resident.phone if show else mask_phone(resident.phone)) if resident.phone else "",
        "category": subject.category if (show or not is_sensitive_category) else "",
        "is_child": subject.is_child,
        "birth_year": (resident.birth_year if show else None) if subject.is_child else resident.birth_year,
        "tier": subject.tier,
        "health_notes": subject.health_notes if show else (MASK if subject.health_notes else ""),
        "emergency_contact": subject.emergency_contact if show else (MASK if subject.emergency_contact else ""),
        "has_sensitive_consent": subject.sensitive_consent_at is not None,
        "consent_giver": subject.consent_giver,
        "consent_recorded_at": subject.consent_recorded_at,
        "coordinator": str(subject.coordinator),
        "silent_alert_enabled": subject.silent_alert_enabled,
        "silent_hours": subject.silent_hours,
        "has_meters": bool(subject.electricity_meter_id or subject.water_meter_id),
        "registered_on": subject.registered_on,
        "last_contact_on": subject.last_contact_on,
        "next_visit_due": subject.next_visit_due,
        "closed_on": subject.closed_on,
        "is_revealed": show,
    }


@dataclass(frozen=True)
class RegisterSummary:
    """Counts of a project's register for those who organise care without reading entries."""

    project_id: int
    active: int
    by_tier: dict[str, int]
    overdue: int
    open_welfare_checks: int
    without_visitor: int


def care_register_summary(project_ids: list[int], today: dt.date) -> dict[int, RegisterSummary]:
    """Aggregates only: no entry, name or household in here."""
    active = CareSubject.objects.filter(project_id__in=project_ids, closed_on__isnull=True)
    rows: dict[int, dict[str, Any]] = {pk: {"by_tier": {}, "active": 0} for pk in project_ids}
    for project_id, tier, count in active.values_list("project_id", "tier").annotate(n=Count("pk")).order_by():
        rows[project_id]["by_tier"][tier] = count
        rows[project_id]["active"] += count
    overdue = dict(active.filter(next_visit_due__lt=today).values_list("project_id").annotate(n=Count("pk")).order_by())
    welfare = dict(
        CareVisit.objects.filter(subject__project_id__in=project_ids, kind=VisitKind.WELFARE, status=VisitStatus.OPEN)
        .values_list("subject__project_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    visited = CareVisitor.objects.filter(subject=OuterRef("pk"), ended_on__isnull=True)
    lonely = dict(active.exclude(Exists(visited)).values_list("project_id").annotate(n=Count("pk")).order_by())
    return {
        pk: RegisterSummary(
            pk, row["active"], row["by_tier"], overdue.get(pk, 0), welfare.get(pk, 0), lonely.get(pk, 0)
        )
        for pk, row in rows.items()
    }


def household_meter_choices(scope: Scope, project_id: int, building_id: int) -> list[tuple[int, str, str]]:
    """Household meters of the building the coordinator may link: (id, kind, name)."""
    meters = energy.meter_list_for_user(scope, project_id=project_id, meter_scope="household").filter(
        Q(building_id=building_id) | Q(building__isnull=True)
    )
    return [(meter.pk, meter.kind, meter.name) for meter in meters[:500]]


def household_usage(meter_ids: dict[str, int | None], start: dt.datetime, end: dt.datetime) -> list[MeterWindow]:
    """The linked meters' consumption over ``[start, end)`` from the energy app's hourly rollups.

    The one place this app reads the energy app's data (through its public selector), so a change there is a change
    here only. The energy app's meters belong to a project and a building, not to a household: which meter is a
    household's is the coordinator's link (``CareSubject.electricity_meter_id`` / ``water_meter_id``)."""
    windows = []
    for kind, meter_id in meter_ids.items():
        if meter_id is None:
            continue
        series = energy.usage_series([meter_id], "hour", start, end)
        windows.append(
            MeterWindow(kind, sum(amount or 0 for _hour, amount, _n in series), sum(1 for _h, _a, n in series if n))
        )
    return windows


def subjects_with_silent_alert() -> QuerySet[CareSubject]:
    """Active entries that opted in to the alert and have a linked meter (unscoped, for the sweep)."""
    return CareSubject.objects.filter(closed_on__isnull=True, silent_alert_enabled=True).filter(
        Q(electricity_meter_id__isnull=False) | Q(water_meter_id__isnull=False)
    )


def subjects_due(today: dt.date) -> QuerySet[CareSubject]:
    """Active entries whose visit is due today or overdue, with their visitors (unscoped, for the reminder sweep)."""
    return (
        CareSubject.objects.filter(closed_on__isnull=True, next_visit_due__lte=today)
        .select_related("coordinator")
        .prefetch_related(
            Prefetch("visitors", CareVisitor.objects.filter(ended_on__isnull=True).select_related("user"))
        )
    )


def visitor_candidates(scope: Scope, project_id: int) -> list[tuple[int, str]]:
    """Accounts that may be assigned as visitors: staff of the project with an account, and volunteers."""
    staff = [
        (member.user_id, member.name)
        for member in estates.staff_list_for_user(scope, project_id=project_id).filter(user__isnull=False)[:500]
    ]
    volunteers = list(
        Volunteer.objects.filter(project_id=project_id, is_active=True, user__isnull=False).values_list(
            "user_id", "name"
        )[:500]
    )
    grid = list(
        Appointment.objects.filter(project_id=project_id, ended_on__isnull=True, user__isnull=False).values_list(
            "user_id", "person_name"
        )[:500]
    )
    found: dict[int, str] = {}
    for user_id, name in staff + volunteers + grid:
        if user_id is not None:
            found.setdefault(user_id, name)
    return sorted(found.items(), key=lambda row: row[1])
