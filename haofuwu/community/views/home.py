"""The community overview: per project, where party building, governance, activities, care and the board stand."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from haofuwu.community import selectors
from haofuwu.community.permissions import is_staff_account
from haofuwu.community.views.common import chosen_project, scope_of
from haofuwu.estates import selectors as estates


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not is_staff_account(scope):
        return redirect("community:resident_home")
    project = chosen_project(request, scope)
    context: dict = {"project": project, "projects": estates.project_list_for_user(scope)[:200]}
    if project is not None:
        now = timezone.now()
        today = timezone.localdate(now)
        context.update(
            organisations=selectors.party_organisation_list_for_user(scope, project_id=project.pk),
            applications=selectors.red_property_application_list_for_user(scope, project_id=project.pk)[:3],
            overdue_actions=selectors.joint_action_list_for_user(
                scope, project_id=project.pk, is_overdue=True, today=today
            ).count(),
            open_actions=selectors.joint_action_list_for_user(
                scope, project_id=project.pk, status="open", today=today
            ).count(),
            activities=selectors.activity_list_for_user(scope, project_id=project.pk, starts_from=now).order_by(
                "starts_at"
            )[:5],
            board=selectors.board_for_project(project.pk, now),
            care=selectors.care_register_summary([project.pk], today)[project.pk],
            grid_members=selectors.appointment_list_for_user(
                scope, project_id=project.pk, kind="grid_member", current_on=today
            ).count(),
        )
    return render(request, "community/home.html", context)
