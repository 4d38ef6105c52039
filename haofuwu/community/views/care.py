"""Care-register pages: the entries the user coordinates or visits (masked, every read audited) with the register's
counts and the form to register a resident; one entry with its visits, visitors, meters and the reveal form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.community import selectors, services
from haofuwu.community.choices import CareCategory, CareTier, ConsentGiver, VisitMethod, VisitorRole, VisitOutcome
from haofuwu.community.permissions import registers_care
from haofuwu.community.views.common import chosen_project, posted_id, posted_int, require_staff, run, scope_of
from haofuwu.core.errors import DomainError
from haofuwu.estates import selectors as estates


@login_required
def care_list(request: HttpRequest) -> HttpResponse:
    """My entries (coordinator or visitor), overdue first; the project's counts; registering a resident."""
    scope = scope_of(request)
    require_staff(scope)
    today = timezone.localdate()
    project = chosen_project(request, scope)
    may_register = project is not None and registers_care(scope, project.pk, project.company_id)
    if request.method == "POST" and may_register:

        def register() -> None:
            services.care_subject_register(
                actor=request.user,
                resident_id=posted_id(request, "resident") or 0,
                category=request.POST.get("category", ""),
                tier=request.POST.get("tier", ""),
                consent_giver=request.POST.get("consent_giver", ""),
                consent_giver_name=request.POST.get("consent_giver_name", ""),
                has_sensitive_consent=request.POST.get("has_sensitive_consent") == "on",
                health_notes=request.POST.get("health_notes", ""),
                emergency_contact=request.POST.get("emergency_contact", ""),
                silent_alert_enabled=request.POST.get("silent_alert_enabled") == "on",
                silent_hours=posted_int(request, "silent_hours", low=12, high=96),
            )

        if run(request, register, _("The resident is on the register; you coordinate their care.")):
            return redirect(f"{request.path}?project={project.pk}")
    subjects = selectors.care_subjects_read(
        request.user,
        list(
            selectors.care_subject_list_for_user(scope, project_id=project.pk if project else None, today=today)[:200]
        ),
    )
    summary = selectors.care_register_summary([project.pk], today)[project.pk] if project else None
    residents: Any = []
    if may_register:
        residents = estates.resident_list_for_user(scope, project_id=project.pk, is_vulnerable=True)[:300]
    return render(
        request,
        "community/care_list.html",
        {
            "project": project,
            "projects": estates.project_list_for_user(scope)[:200],
            "rows": [
                {"view": selectors.care_subject_view(s), "is_overdue": s.next_visit_due < today} for s in subjects
            ],
            "summary": summary,
            "may_register": may_register,
            "residents": residents,
            "categories": CareCategory.choices,
            "tiers": CareTier.choices,
            "givers": ConsentGiver.choices,
        },
    )


@login_required
def care_detail(request: HttpRequest, subject_id: int) -> HttpResponse:
    """One entry (need to know only; the read is audited): masked until revealed for a reason."""
    scope = scope_of(request)
    subject = selectors.care_subject_get_for_user(scope, subject_id, actor=request.user)
    revealed = None
    if request.method == "POST":
        intent = request.POST.get("intent", "")
        if intent == "reveal":
            try:
                revealed = services.care_sensitive_reveal(
                    actor=request.user, subject_id=subject.pk, reason=request.POST.get("reason", "")
                )
            except DomainError as error:
                messages.error(request, error.message)
        else:
            actions = {
                "visit": (
                    lambda: services.care_visit_record(
                        actor=request.user,
                        subject_id=subject.pk,
                        method=request.POST.get("method", ""),
                        outcome=request.POST.get("outcome", ""),
                        notes=request.POST.get("notes", ""),
                        door_code=request.POST.get("door_code", ""),
                    ),
                    _("The visit is recorded."),
                ),
                "assign": (
                    lambda: services.care_visitor_assign(
                        actor=request.user,
                        subject_id=subject.pk,
                        user_id=posted_id(request, "user") or 0,
                        role=request.POST.get("role", ""),
                    ),
                    _("The visitor is assigned."),
                ),
                "meters": (
                    lambda: services.care_meters_link(
                        actor=request.user,
                        subject_id=subject.pk,
                        electricity_meter_id=posted_id(request, "electricity_meter"),
                        water_meter_id=posted_id(request, "water_meter"),
                    ),
                    _("The meters are linked."),
                ),
                "close": (
                    lambda: services.care_subject_close(
                        actor=request.user, subject_id=subject.pk, reason=request.POST.get("reason", "")
                    ),
                    _("The resident has left the register."),
                ),
            }
            if intent in actions:
                action, message = actions[intent]
                run(request, action, message)
            return redirect("community:care_detail", subject_id=subject.pk)
    is_coordinator = subject.coordinator_id == request.user.pk
    return render(
        request,
        "community/care_detail.html",
        {
            "subject": subject,
            "view": revealed or selectors.care_subject_view(subject),
            "visits": selectors.care_visit_list(subject),
            "visitors": list(subject.visitors.all()),
            "is_coordinator": is_coordinator,
            "candidates": selectors.visitor_candidates(scope, subject.project_id) if is_coordinator else [],
            "meters": selectors.household_meter_choices(scope, subject.project_id, subject.unit.building_id)
            if is_coordinator
            else [],
            "methods": VisitMethod.choices,
            "outcomes": VisitOutcome.choices,
            "roles": VisitorRole.choices,
        },
    )
