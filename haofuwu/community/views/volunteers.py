"""Volunteer pages: the roster with hours and points and the register form; one volunteer with records, the
ledger and certificates; a certificate to print."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.community import selectors, services
from haofuwu.community.choices import VolunteerKind
from haofuwu.community.permissions import manages_community, runs_activities
from haofuwu.community.views.common import (
    chosen_project,
    posted_date,
    posted_decimal,
    posted_id,
    posted_int,
    require_staff,
    run,
    scope_of,
)
from haofuwu.estates import selectors as estates


@login_required
def volunteer_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    require_staff(scope)
    project = chosen_project(request, scope)
    may_manage = project is not None and manages_community(scope, project.pk, project.company_id)
    if request.method == "POST" and may_manage:

        def register() -> None:
            services.volunteer_register(
                actor=request.user,
                project_id=project.pk,
                kind=request.POST.get("kind", ""),
                name=request.POST.get("name", ""),
                resident_id=posted_id(request, "resident"),
                skills=request.POST.get("skills", ""),
            )

        if run(request, register, _("The volunteer is registered.")):
            return redirect(f"{request.path}?project={project.pk}")
    volunteers = selectors.volunteer_list_for_user(scope, project_id=project.pk if project else None)[:300]
    return render(
        request,
        "community/volunteer_list.html",
        {
            "project": project,
            "projects": estates.project_list_for_user(scope)[:200],
            "volunteers": volunteers,
            "may_manage": may_manage,
            "kinds": VolunteerKind.choices,
        },
    )


@login_required
def volunteer_detail(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    scope = scope_of(request)
    require_staff(scope)
    volunteer = selectors.volunteer_get_for_user(scope, volunteer_id)
    company_id = volunteer.project.company_id
    if request.method == "POST":
        intent = request.POST.get("intent", "")
        if intent == "hours":
            run(
                request,
                lambda: services.service_record_add(
                    actor=request.user,
                    volunteer_id=volunteer.pk,
                    served_on=posted_date(request, "served_on", default=timezone.localdate()),
                    hours=posted_decimal(request, "hours"),
                    description=request.POST.get("description", ""),
                ),
                _("The hours are recorded."),
            )
        elif intent == "redeem":
            run(
                request,
                lambda: services.points_redeem(
                    actor=request.user,
                    volunteer_id=volunteer.pk,
                    points=posted_int(request, "points", low=1, high=10_000),
                    note=request.POST.get("note", ""),
                ),
                _("The points are redeemed."),
            )
        elif intent == "certificate":
            run(
                request,
                lambda: services.certificate_issue(actor=request.user, volunteer_id=volunteer.pk),
                _("The certificate is issued."),
            )
        return redirect("community:volunteer_detail", volunteer_id=volunteer.pk)
    return render(
        request,
        "community/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "records": selectors.service_record_list(volunteer)[:200],
            "ledger": selectors.points_ledger(volunteer)[:200],
            "certificates": selectors.certificate_list(volunteer)[:50],
            "may_record": runs_activities(scope, volunteer.project_id, company_id),
            "may_manage": manages_community(scope, volunteer.project_id, company_id),
        },
    )


@login_required
def certificate_detail(request: HttpRequest, volunteer_id: int, certificate_id: int) -> HttpResponse:
    """A certificate of volunteer hours, laid out for printing."""
    certificate = selectors.certificate_get_for_user(scope_of(request), volunteer_id, certificate_id)
    return render(request, "community/certificate.html", {"certificate": certificate})
