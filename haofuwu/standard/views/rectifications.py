"""Rectification pages: the list with filters, and a task with the company's answer and the regulator's review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.core.errors import DomainError
from haofuwu.standard import permissions, selectors, services
from haofuwu.standard.choices import RectificationStatus
from haofuwu.standard.forms import RectificationReviewForm, RespondForm
from haofuwu.standard.views.common import _is_partial, _scope, form_errors

PAGE_SIZE = 50


@login_required
def rectification_list(request: HttpRequest) -> HttpResponse:
    """Rectification tasks of the user's projects, soonest deadline first; overdue ones marked."""
    scope = _scope(request)
    now = timezone.now()
    status = request.GET.get("status", "")
    if status not in RectificationStatus.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    queryset = selectors.rectification_list_for_user(
        scope, status=status, is_overdue=True if overdue else None, now=now
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tasks": page.object_list,
        "status": status,
        "overdue": overdue,
        "statuses": RectificationStatus.choices,
        "now": now,
    }
    template = "standard/partials/rectification_table.html" if _is_partial(request) else "standard/rectifications.html"
    return render(request, template, context)


@login_required
def rectification_detail(request: HttpRequest, rectification_id: int) -> HttpResponse:
    """One task: the company answers an open task; a regulator accepts or rejects an answered one."""
    scope = _scope(request)
    task = selectors.rectification_get_for_user(scope, rectification_id)
    can_respond = permissions.can_act_for_project(scope, task.project_id, task.project.company_id)
    can_review = permissions.is_regulator_of(scope, task.project.district)
    respond_form = RespondForm()
    review_form = RectificationReviewForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        form = (
            RespondForm(request.POST, request.FILES) if action == "respond" else RectificationReviewForm(request.POST)
        )
        if action == "respond":
            respond_form = form  # type: ignore[assignment]
        else:
            review_form = form  # type: ignore[assignment]
        if form.is_valid():
            try:
                if action == "respond":
                    services.rectification_respond(
                        actor=request.user,
                        rectification_id=task.pk,
                        note=form.cleaned_data["note"],
                        upload=form.cleaned_data.get("file"),
                    )
                    messages.success(request, _("Answer sent to the regulator."))
                else:
                    services.rectification_review(
                        actor=request.user,
                        rectification_id=task.pk,
                        decision=form.cleaned_data["decision"],
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Review saved."))
                return redirect("standard:rectification_detail", rectification_id=task.pk)
            except DomainError as error:
                if error.status in (403, 404):
                    raise
                form_errors(form, error)
        status = 422
    return render(
        request,
        "standard/rectification.html",
        {
            "task": task,
            "evidence": task.evidence.all().order_by("-uploaded_at"),
            "is_overdue": task.status == RectificationStatus.OPEN and task.deadline < timezone.now(),
            "can_respond": can_respond and task.status == RectificationStatus.OPEN,
            "can_review": can_review and task.status == RectificationStatus.RESPONDED,
            "respond_form": respond_form,
            "review_form": review_form,
        },
        status=status,
    )
