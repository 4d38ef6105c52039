"""Joint-governance pages: meetings with attendees and their actions; the action ledger, overdue first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.community import selectors, services
from haofuwu.community.choices import JointMeetingLevel, Party
from haofuwu.community.permissions import manages_community
from haofuwu.community.views.common import (
    chosen_project,
    posted_date,
    posted_id,
    posted_moment,
    require_staff,
    run,
    scope_of,
)
from haofuwu.estates import selectors as estates


def _attendees(request: HttpRequest) -> list[services.AttendeeIn]:
    """Attendee lines from the form: ``party-N``, ``name-N``, ``position-N``."""
    rows = []
    for index in range(12):
        name = request.POST.get(f"name-{index}", "").strip()
        if name:
            rows.append(
                services.AttendeeIn(
                    request.POST.get(f"party-{index}", ""), name, request.POST.get(f"position-{index}", "")
                )
            )
    return rows


@login_required
def joint_meeting_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    require_staff(scope)
    project = chosen_project(request, scope)
    may_manage = project is not None and manages_community(scope, project.pk, project.company_id)
    if request.method == "POST" and may_manage:

        def create() -> None:
            services.joint_meeting_create(
                actor=request.user,
                project_id=project.pk,
                level=request.POST.get("level", JointMeetingLevel.COMMUNITY),
                title=request.POST.get("title", ""),
                starts_at=posted_moment(request, "starts_at"),
                place=request.POST.get("place", ""),
                attendees=_attendees(request),
            )

        if run(request, create, _("The meeting is called.")):
            return redirect(f"{request.path}?project={project.pk}")
    meetings = selectors.joint_meeting_list_for_user(scope, project_id=project.pk if project else None)[:100]
    return render(
        request,
        "community/joint_meeting_list.html",
        {
            "project": project,
            "projects": estates.project_list_for_user(scope)[:200],
            "meetings": meetings,
            "may_manage": may_manage,
            "levels": JointMeetingLevel.choices,
            "parties": Party.choices,
            "attendee_rows": range(4),
        },
    )


@login_required
def joint_meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A meeting: attendees by party, minutes, and its agenda items as actions."""
    scope = scope_of(request)
    meeting = selectors.joint_meeting_get_for_user(scope, meeting_id)
    may_manage = manages_community(scope, meeting.project_id, meeting.project.company_id)
    if request.method == "POST" and may_manage:
        if request.POST.get("intent") == "record":
            run(
                request,
                lambda: services.joint_meeting_record(
                    actor=request.user,
                    meeting_id=meeting.pk,
                    minutes=request.POST.get("minutes", ""),
                    attendees=_attendees(request) or None,
                ),
                _("The meeting is recorded as held."),
            )
        else:
            run(
                request,
                lambda: services.joint_action_create(
                    actor=request.user,
                    meeting_id=meeting.pk,
                    item=request.POST.get("item", ""),
                    decision=request.POST.get("decision", ""),
                    party=request.POST.get("party", ""),
                    owner_name=request.POST.get("owner_name", ""),
                    due_on=posted_date(request, "due_on"),
                ),
                _("The item is now a tracked action."),
            )
        return redirect("community:joint_meeting_detail", meeting_id=meeting.pk)
    return render(
        request,
        "community/joint_meeting_detail.html",
        {
            "meeting": meeting,
            "may_manage": may_manage,
            "parties": Party.choices,
            "attendee_rows": range(6),
            "today": timezone.localdate(),
        },
    )


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    """The action ledger of a project: overdue first, with the form to close each with its evidence."""
    scope = scope_of(request)
    require_staff(scope)
    project = chosen_project(request, scope)
    today = timezone.localdate()
    if request.method == "POST":
        run(
            request,
            lambda: services.joint_action_close(
                actor=request.user,
                action_id=posted_id(request, "action") or 0,
                evidence=request.POST.get("evidence", ""),
            ),
            _("The action is closed."),
        )
        return redirect(f"{request.path}?project={project.pk}" if project else request.path)
    actions = selectors.joint_action_list_for_user(scope, project_id=project.pk if project else None, today=today)[:300]
    return render(
        request,
        "community/action_list.html",
        {
            "project": project,
            "projects": estates.project_list_for_user(scope)[:200],
            "actions": actions,
            "today": today,
        },
    )
