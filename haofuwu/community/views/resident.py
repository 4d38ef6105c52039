"""The resident's phone pages: the community hub, activities with sign-up, the waiting list and the ticket QR,
check-in by the door poster, the disclosure board, and — for volunteers — assigned care visits and their hours."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.community import selectors, services
from haofuwu.community.choices import AppointmentKind, VisitMethod, VisitOutcome
from haofuwu.community.qr import qr_svg
from haofuwu.community.views.common import chosen_project, posted_id, run, scope_of
from haofuwu.core.errors import NOT_FOUND, NotFound


@login_required
def resident_home(request: HttpRequest) -> HttpResponse:
    """The project's community at a glance: the red-property title, pioneer posts, grid members, what is on."""
    scope = scope_of(request)
    project = chosen_project(request, scope)
    today = timezone.localdate()
    context = {"project": project, "volunteer": bool(selectors.volunteer_of_user(scope.user_id))}
    if project is not None:
        context.update(
            recognitions=[
                a
                for a in selectors.red_property_application_list_for_user(
                    scope, project_id=project.pk, status="recognised"
                )
                if a.valid_until is None or a.valid_until >= today
            ],
            posts=selectors.pioneer_post_list_for_user(scope, project_id=project.pk, current_on=today)[:20],
            grid_members=selectors.appointment_list_for_user(
                scope, project_id=project.pk, kind=AppointmentKind.GRID_MEMBER, current_on=today
            )[:20],
        )
    return render(request, "community/resident_home.html", context)


@login_required
def resident_activities(request: HttpRequest) -> HttpResponse:
    """Upcoming activities open to the resident, each with its places left and the resident's own sign-up."""
    scope = scope_of(request)
    now = timezone.now()
    activities = list(
        selectors.activity_list_for_user(scope, status="published", starts_from=now - dt.timedelta(hours=6)).order_by(
            "starts_at", "id"
        )[:30]
    )
    mine = selectors.my_registrations(scope.user_id, [a.pk for a in activities])
    cards = [{"activity": a, "mine": mine.get(a.pk)} for a in activities]
    past = selectors.activity_list_for_user(scope, status="completed")[:10]
    return render(request, "community/resident_activities.html", {"cards": cards, "past": past})


@login_required
def resident_activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    """One activity on the phone: sign up (or join the waiting list), cancel, see the place in line, show the
    ticket QR at the door."""
    scope = scope_of(request)
    activity = selectors.activity_get_for_user(scope, activity_id)
    if request.method == "POST":
        intent = request.POST.get("intent", "")
        if intent == "sign_up":
            run(
                request,
                lambda: services.registration_create(actor=request.user, activity_id=activity.pk),
                _("You are signed up."),
            )
        elif intent == "cancel":
            run(
                request,
                lambda: services.registration_cancel(
                    actor=request.user, activity_id=activity.pk, registration_id=posted_id(request, "registration") or 0
                ),
                _("Your sign-up is cancelled."),
            )
        return redirect("community:resident_activity", activity_id=activity.pk)
    mine = selectors.my_registrations(scope.user_id, [activity.pk]).get(activity.pk)
    ticket_url = (
        request.build_absolute_uri(reverse("community:ticket_scan", args=[mine.ticket])) if mine is not None else ""
    )
    now = timezone.now()
    return render(
        request,
        "community/resident_activity.html",
        {
            "activity": activity,
            "mine": mine,
            "position": selectors.waitlist_position(mine) if mine else None,
            "ticket_qr": qr_svg(ticket_url, scale=6) if mine is not None and mine.status == "confirmed" else "",
            "is_open": activity.status == "published" and activity.signup_opens_at <= now < activity.signup_closes_at,
            "has_household": activity.project_id in scope.household_project_ids,
        },
    )


@login_required
def door_check_in(request: HttpRequest, door_token: str) -> HttpResponse:
    """The page a resident's phone opens from the door poster's QR code: one button checks them in."""
    scope = scope_of(request)
    activity = selectors.activity_by_door_token(door_token)
    if activity is None or not selectors.activity_list_for_user(scope).filter(pk=activity.pk).exists():
        raise NotFound(NOT_FOUND)
    status = 200
    if request.method == "POST":
        if run(
            request,
            lambda: services.registration_check_in_at_door(actor=request.user, door_token=door_token),
            _("Checked in. Enjoy!"),
        ):
            return redirect("community:resident_activity", activity_id=activity.pk)
        status = 409
    return render(request, "community/door_check_in.html", {"activity": activity}, status=status)


@login_required
def resident_board(request: HttpRequest) -> HttpResponse:
    """The project's disclosure board on a phone: planned cuts first, then each required item."""
    scope = scope_of(request)
    project = chosen_project(request, scope)
    board = selectors.board_for_project(project.pk, timezone.now()) if project is not None else None
    return render(request, "community/resident_board.html", {"project": project, "board": board})


@login_required
def resident_visits(request: HttpRequest) -> HttpResponse:
    """A visitor's (volunteer's, staff's) residents to visit, welfare checks and overdue first, with the form to
    record a visit: the door code, or the phone's position."""
    scope = scope_of(request)
    today = timezone.localdate()
    if request.method == "POST":
        subject_id = posted_id(request, "subject") or 0

        def record() -> None:
            services.care_visit_record(
                actor=request.user,
                subject_id=subject_id,
                method=request.POST.get("method", ""),
                outcome=request.POST.get("outcome", ""),
                notes=request.POST.get("notes", ""),
                door_code=request.POST.get("door_code", ""),
                latitude=_float(request.POST.get("latitude", "")),
                longitude=_float(request.POST.get("longitude", "")),
            )

        run(request, record, _("The visit is recorded."))
        return redirect("community:resident_visits")
    subjects = selectors.care_subjects_read(
        request.user, list(selectors.care_subject_list_for_user(scope, today=today)[:100])
    )
    welfare = selectors.open_welfare_visits([s.pk for s in subjects])
    cards = [
        {
            "view": selectors.care_subject_view(s),
            "subject": s,
            "welfare": welfare.get(s.pk),
            "is_overdue": s.next_visit_due < today,
        }
        for s in subjects
    ]
    return render(
        request,
        "community/resident_visits.html",
        {"cards": cards, "methods": VisitMethod.choices, "outcomes": VisitOutcome.choices},
    )


def _float(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value == value and abs(value) <= 180 else None


@login_required
def resident_volunteering(request: HttpRequest) -> HttpResponse:
    """A volunteer's hours, points and certificates; a certificate is issued on request."""
    scope = scope_of(request)
    volunteers = selectors.volunteer_of_user(scope.user_id)
    if request.method == "POST":
        run(
            request,
            lambda: services.certificate_issue(actor=request.user, volunteer_id=posted_id(request, "volunteer") or 0),
            _("Your certificate is ready."),
        )
        return redirect("community:resident_volunteering")
    rows = [
        {
            "volunteer": v,
            "hours": selectors.hours_total(v.pk),
            "points": selectors.points_balance(v.pk),
            "records": selectors.service_record_list(v)[:20],
            "certificates": selectors.certificate_list(v)[:5],
        }
        for v in volunteers
    ]
    return render(request, "community/resident_volunteering.html", {"rows": rows})
