"""Party-building pages: organisations with members, meetings and pioneer posts; one meeting with its roster
sign-in and minutes; red-property applications with the checklist, submission and the district's review;
appointments (cross appointments and grid members)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.community import red_property, selectors, services
from haofuwu.community.choices import (
    AppointmentKind,
    MemberPost,
    MemberStatus,
    PartyMeetingKind,
    PartyOrganisationKind,
    RedPropertyLevel,
    Verdict,
)
from haofuwu.community.permissions import manages_community, reviews_red_property
from haofuwu.community.views.common import (
    chosen_project,
    posted_date,
    posted_id,
    posted_ids,
    posted_moment,
    require_staff,
    run,
    scope_of,
)
from haofuwu.estates import selectors as estates


@login_required
def party_home(request: HttpRequest) -> HttpResponse:
    """The party organisations covering a project, their members and meetings, and the project's pioneer posts."""
    scope = scope_of(request)
    require_staff(scope)
    project = chosen_project(request, scope)
    may_manage = project is not None and manages_community(scope, project.pk, project.company_id)
    if request.method == "POST" and may_manage:
        intent = request.POST.get("intent", "")
        organisation_id = posted_id(request, "organisation") or 0
        actions = {
            "create": (
                lambda: services.party_organisation_create(
                    actor=request.user,
                    project_id=project.pk,
                    name=request.POST.get("name", ""),
                    kind=request.POST.get("kind", ""),
                    established_on=posted_date(request, "established_on"),
                    partners=request.POST.get("partners", ""),
                    liaison_name=request.POST.get("liaison_name", ""),
                ),
                _("The organisation is registered."),
            ),
            "member": (
                lambda: services.party_member_add(
                    actor=request.user,
                    organisation_id=organisation_id,
                    name=request.POST.get("name", ""),
                    status=request.POST.get("status", ""),
                    post=request.POST.get("post", MemberPost.MEMBER),
                    joined_on=posted_date(request, "joined_on"),
                ),
                _("The member is added."),
            ),
            "meeting": (
                lambda: services.party_meeting_plan(
                    actor=request.user,
                    organisation_id=organisation_id,
                    kind=request.POST.get("kind", ""),
                    title=request.POST.get("title", ""),
                    starts_at=posted_moment(request, "starts_at"),
                    place=request.POST.get("place", ""),
                    agenda=request.POST.get("agenda", ""),
                ),
                _("The meeting is planned."),
            ),
            "post": (
                lambda: services.pioneer_post_create(
                    actor=request.user,
                    project_id=project.pk,
                    member_id=posted_id(request, "member") or 0,
                    title=request.POST.get("title", ""),
                    pledge=request.POST.get("pledge", ""),
                ),
                _("The pioneer post is set up."),
            ),
        }
        if intent in actions:
            action, message = actions[intent]
            if run(request, action, message):
                return redirect(f"{request.path}?project={project.pk}")
    organisations = list(selectors.party_organisation_list_for_user(scope, project_id=project.pk if project else None))
    members = {o.pk: list(selectors.party_member_list_for_user(scope, o)[:200]) for o in organisations}
    return render(
        request,
        "community/party_home.html",
        {
            "project": project,
            "projects": estates.project_list_for_user(scope)[:200],
            "organisations": [{"organisation": o, "members": members[o.pk]} for o in organisations],
            "meetings": selectors.party_meeting_list_for_user(scope).filter(
                organisation_id__in=[o.pk for o in organisations]
            )[:30],
            "posts": selectors.pioneer_post_list_for_user(scope, project_id=project.pk) if project else [],
            "may_manage": may_manage,
            "kinds": PartyOrganisationKind.choices,
            "member_statuses": MemberStatus.choices,
            "member_posts": MemberPost.choices,
            "meeting_kinds": PartyMeetingKind.choices,
        },
    )


@login_required
def party_meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A 三会一课 meeting: its agenda, the roster to tick, and its minutes."""
    scope = scope_of(request)
    meeting = selectors.party_meeting_get_for_user(scope, meeting_id)
    if request.method == "POST":
        if request.POST.get("intent") == "record":
            run(
                request,
                lambda: services.party_meeting_record(
                    actor=request.user, meeting_id=meeting.pk, minutes=request.POST.get("minutes", "")
                ),
                _("The meeting is recorded as held."),
            )
        else:
            run(
                request,
                lambda: services.party_meeting_sign_in(
                    actor=request.user, meeting_id=meeting.pk, member_ids=posted_ids(request, "members")
                ),
                _("Signed in."),
            )
        return redirect("community:party_meeting_detail", meeting_id=meeting.pk)
    signed = set(meeting.sign_ins.values_list("member_id", flat=True))
    members = selectors.party_member_list_for_user(scope, meeting.organisation).filter(left_on__isnull=True)
    return render(
        request,
        "community/party_meeting_detail.html",
        {"meeting": meeting, "members": [{"member": m, "is_signed": m.pk in signed} for m in members]},
    )


@login_required
def red_property_list(request: HttpRequest) -> HttpResponse:
    """Applications of a project (or, for a regulator, those awaiting review), and the form to start one."""
    scope = scope_of(request)
    require_staff(scope)
    project = chosen_project(request, scope)
    may_apply = project is not None and manages_community(scope, project.pk, project.company_id)
    if request.method == "POST" and may_apply:

        def create() -> None:
            services.red_property_application_create(
                actor=request.user,
                project_id=project.pk,
                year=int(request.POST.get("year", "0") or 0) if request.POST.get("year", "").isdigit() else 0,
                level=request.POST.get("level", ""),
                plan=request.POST.get("plan", ""),
            )

        if run(request, create, _("The application is started.")):
            return redirect(f"{request.path}?project={project.pk}")
    reviewer = reviews_red_property(scope)
    applications = selectors.red_property_application_list_for_user(
        scope, project_id=None if reviewer else (project.pk if project else None)
    )[:100]
    return render(
        request,
        "community/red_property_list.html",
        {
            "project": project,
            "projects": estates.project_list_for_user(scope)[:200],
            "applications": applications,
            "may_apply": may_apply,
            "levels": RedPropertyLevel.choices,
            "year": timezone.localdate().year,
        },
    )


@login_required
def red_property_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """The checklist: the project claims criteria with evidence and submits; the district gives its verdicts."""
    scope = scope_of(request)
    application = selectors.red_property_application_get_for_user(scope, application_id)
    may_edit = manages_community(scope, application.project_id, application.project.company_id)
    may_review = reviews_red_property(scope)
    if request.method == "POST":
        intent = request.POST.get("intent", "")
        if intent == "criterion" and may_edit:
            run(
                request,
                lambda: services.red_property_criterion_update(
                    actor=request.user,
                    application_id=application.pk,
                    code=request.POST.get("code", ""),
                    is_claimed=request.POST.get("is_claimed") == "on",
                    evidence=request.POST.get("evidence", ""),
                ),
                _("Saved."),
            )
        elif intent == "submit" and may_edit:
            run(
                request,
                lambda: services.red_property_application_submit(actor=request.user, application_id=application.pk),
                _("Submitted to the district."),
            )
        elif intent == "review" and may_review:
            verdicts = [
                services.VerdictIn(code, request.POST.get(f"verdict-{code}", ""))
                for code in red_property.CODES
                if request.POST.get(f"verdict-{code}")
            ]
            run(
                request,
                lambda: services.red_property_application_review(
                    actor=request.user,
                    application_id=application.pk,
                    is_recognised=request.POST.get("is_recognised") == "on",
                    verdicts=verdicts,
                    note=request.POST.get("note", ""),
                ),
                _("The review is recorded."),
            )
        return redirect("community:red_property_detail", application_id=application.pk)
    checks = {check.code: check for check in application.checks.all()}
    return render(
        request,
        "community/red_property_detail.html",
        {
            "application": application,
            "criteria": [(code, label, checks.get(code)) for code, label in red_property.CRITERIA],
            "may_edit": may_edit and application.status == "draft",
            "may_review": may_review and application.status == "submitted",
            "verdicts": Verdict.choices,
        },
    )


@login_required
def appointment_list(request: HttpRequest) -> HttpResponse:
    """Cross appointments and grid members of a project, current first; the form to record one."""
    scope = scope_of(request)
    require_staff(scope)
    project = chosen_project(request, scope)
    may_manage = project is not None and manages_community(scope, project.pk, project.company_id)
    if request.method == "POST" and may_manage:
        if request.POST.get("intent") == "end":
            run(
                request,
                lambda: services.appointment_end(
                    actor=request.user,
                    appointment_id=posted_id(request, "appointment") or 0,
                    ended_on=timezone.localdate(),
                ),
                _("The appointment has ended."),
            )
            return redirect(f"{request.path}?project={project.pk}")

        def create() -> None:
            services.appointment_create(
                actor=request.user,
                project_id=project.pk,
                kind=request.POST.get("kind", ""),
                person_name=request.POST.get("person_name", ""),
                staff_id=posted_id(request, "staff"),
                grid=request.POST.get("grid", ""),
                appointed_by=request.POST.get("appointed_by", ""),
                document=request.POST.get("document", ""),
                started_on=posted_date(request, "started_on", default=timezone.localdate()),
            )

        if run(request, create, _("The appointment is recorded.")):
            return redirect(f"{request.path}?project={project.pk}")
    appointments = selectors.appointment_list_for_user(scope, project_id=project.pk if project else None)[:300]
    staff = estates.staff_list_for_user(scope, project_id=project.pk)[:300] if may_manage else []
    return render(
        request,
        "community/appointment_list.html",
        {
            "project": project,
            "projects": estates.project_list_for_user(scope)[:200],
            "appointments": appointments,
            "may_manage": may_manage,
            "kinds": AppointmentKind.choices,
            "staff": staff,
        },
    )
