"""Activity pages: the staff list with the create form, one activity with its sign-ups, roster check-in, the door
poster and the report; the ticket page staff reach by scanning a resident's ticket QR."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.community import selectors, services
from haofuwu.community.choices import ActivityKind, RegistrationStatus
from haofuwu.community.permissions import runs_activities
from haofuwu.community.qr import qr_svg
from haofuwu.community.views.common import (
    chosen_project,
    posted_id,
    posted_ids,
    posted_int,
    posted_moment,
    require_staff,
    run,
    scope_of,
)
from haofuwu.core.errors import NOT_FOUND, NotFound
from haofuwu.estates import selectors as estates


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    """Activities of a project, newest first, and the form to publish one."""
    scope = scope_of(request)
    require_staff(scope)
    project = chosen_project(request, scope)
    can_create = project is not None and runs_activities(scope, project.pk, project.company_id)
    if request.method == "POST" and can_create:

        def create() -> None:
            services.activity_create(
                actor=request.user,
                project_id=project.pk,
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", ""),
                place=request.POST.get("place", ""),
                description=request.POST.get("description", ""),
                starts_at=posted_moment(request, "starts_at"),
                ends_at=posted_moment(request, "ends_at"),
                capacity=posted_int(request, "capacity", low=1, high=2000),
                building_ids=posted_ids(request, "building_ids") or None,
            )

        if run(request, create, _("The activity is published.")):
            return redirect(f"{reverse('community:activity_list')}?project={project.pk}")
    activities = selectors.activity_list_for_user(scope, project_id=project.pk if project else None)[:100]
    buildings = estates.building_list_for_user(scope, project_id=project.pk)[:200] if project else []
    return render(
        request,
        "community/activity_list.html",
        {
            "project": project,
            "projects": estates.project_list_for_user(scope)[:200],
            "activities": activities,
            "can_create": can_create,
            "kinds": ActivityKind.choices,
            "buildings": buildings,
            "posted": request.POST,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    """One activity: its sign-ups (places, then the waiting list), roster check-in, the door poster, the report."""
    scope = scope_of(request)
    require_staff(scope)
    activity = selectors.activity_get_for_user(scope, activity_id)
    may_run = runs_activities(scope, activity.project_id, activity.project.company_id)
    if request.method == "POST" and may_run:
        intent = request.POST.get("intent", "")
        registration_id = posted_id(request, "registration") or 0
        actions = {
            "check_in": (
                lambda: services.registration_check_in_on_roster(
                    actor=request.user, activity_id=activity.pk, registration_id=registration_id
                ),
                _("Checked in."),
            ),
            "cancel_registration": (
                lambda: services.registration_cancel(
                    actor=request.user, activity_id=activity.pk, registration_id=registration_id
                ),
                _("The sign-up is cancelled."),
            ),
            "complete": (
                lambda: services.activity_complete(
                    actor=request.user, activity_id=activity.pk, report=request.POST.get("report", "")
                ),
                _("The activity is recorded as held."),
            ),
            "cancel": (
                lambda: services.activity_cancel(
                    actor=request.user, activity_id=activity.pk, reason=request.POST.get("reason", "")
                ),
                _("The activity is called off; everyone signed up is told."),
            ),
            "publish": (
                lambda: services.activity_publish(actor=request.user, activity_id=activity.pk),
                _("Published."),
            ),
        }
        if intent in actions:
            action, message = actions[intent]
            run(request, action, message)
        return redirect("community:activity_detail", activity_id=activity.pk)
    registrations = list(selectors.registration_list_for_user(scope, activity)[:2000])
    door_url = request.build_absolute_uri(reverse("community:door_check_in", args=[activity.door_token]))
    return render(
        request,
        "community/activity_detail.html",
        {
            "activity": activity,
            "placed": [r for r in registrations if r.status != RegistrationStatus.WAITLISTED],
            "waitlist": [r for r in registrations if r.status == RegistrationStatus.WAITLISTED],
            "may_run": may_run,
            "door_qr": qr_svg(door_url) if may_run else "",
            "door_url": door_url,
            "now": timezone.now(),
        },
    )


@login_required
def ticket_scan(request: HttpRequest, ticket: str) -> HttpResponse:
    """What staff see after scanning a resident's ticket QR: who it is, the place, and the check-in button. A
    second scan shows the first check-in and refuses another."""
    scope = scope_of(request)
    require_staff(scope)
    registration = selectors.registration_by_ticket(ticket)
    if registration is None or not selectors.activity_list_for_user(scope).filter(pk=registration.activity_id).exists():
        raise NotFound(NOT_FOUND)
    status = 200
    if request.method == "POST":
        if not run(
            request,
            lambda: services.registration_check_in_by_ticket(actor=request.user, ticket=ticket),
            _("Checked in. Welcome!"),
        ):
            status = 409
        registration = selectors.registration_by_ticket(ticket)
    return render(request, "community/ticket_scan.html", {"registration": registration}, status=status)
