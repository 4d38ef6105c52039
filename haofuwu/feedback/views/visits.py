"""Staff page of return visits: one list of visits due after repairs and complaints (work orders) and periodic
household visits, overdue first, with filters; periodic visits are planned and recorded here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.core.errors import DomainError, ValidationFailed
from haofuwu.feedback import selectors, services
from haofuwu.feedback.choices import PeriodicVisitOutcome
from haofuwu.feedback.forms import PeriodicVisitForm, PlanVisitsForm, ReturnVisitFilterForm
from haofuwu.feedback.views.common import (
    is_partial,
    managed_projects,
    posted_id,
    require_staff,
    scope_of,
    visible_projects,
)
from haofuwu.workorders.choices import VisitOutcome


@login_required
def return_visit_list(request: HttpRequest) -> HttpResponse:
    """Visits due, overdue first; filter by project, source and state."""
    scope = scope_of(request)
    require_staff(scope)
    projects = managed_projects(scope)
    plan_form = PlanVisitsForm(request.POST if request.POST.get("intent") == "plan" else None, projects=projects)
    error: DomainError | None = None
    if request.method == "POST":
        try:
            if request.POST.get("intent") == "plan" and plan_form.is_valid():
                count = services.periodic_visit_plan(
                    actor=request.user,
                    project_id=plan_form.cleaned_data["project"],
                    due_on=plan_form.cleaned_data["due_on"],
                )
                messages.success(request, _("%(count)d household visits planned.") % {"count": count})
                return redirect("feedback:return_visit_list")
            if request.POST.get("intent") == "visit":
                form = PeriodicVisitForm(request.POST)
                if form.is_valid():
                    services.periodic_visit_record(
                        actor=request.user,
                        visit_id=posted_id(request, "visit"),
                        **form.cleaned_data,
                    )
                    messages.success(request, _("Visit recorded."))
                    return redirect(request.get_full_path())
                error = ValidationFailed({"outcome": [_("Choose the method and the outcome.")]})
        except ValidationFailed as failure:
            plan_form.add_service_errors(failure.errors)
            error = failure
        except DomainError as failure:
            error = failure
    filters = ReturnVisitFilterForm(request.GET or None, projects=visible_projects(scope))
    data = filters.cleaned_data if filters.is_valid() else {}
    state = data.get("state") or ""
    rows = selectors.return_visit_due_list(
        scope,
        project_id=data.get("project"),
        source=data.get("source") or "",
        is_done=None if not state else state == "done",
        now=timezone.now(),
    )
    outcomes = dict(VisitOutcome.choices) | dict(PeriodicVisitOutcome.choices)
    for row in rows:
        row["outcome_label"] = outcomes.get(row["outcome"], "")
    context = {
        "rows": rows[:300],
        "total": len(rows),
        "overdue": sum(1 for row in rows if row["is_overdue"]),
        "filters": filters,
        "plan_form": plan_form if projects else None,
        "visit_form": PeriodicVisitForm(),
        "error": error,
    }
    template = "feedback/partials/return_visit_rows.html" if is_partial(request) else "feedback/return_visit_list.html"
    status = error.status if error else 200
    return render(request, template, context, status=status)
