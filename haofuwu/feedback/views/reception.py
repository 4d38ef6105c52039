"""Staff pages of reception days: the list with the publish and schedule forms, and the day itself — bookings,
walk-ins, issues raised (answered or turned into work orders) and the record of the day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.core.errors import DomainError, ValidationFailed
from haofuwu.feedback import selectors, services
from haofuwu.feedback.forms import CloseIssueForm, IssueForm, ReceptionDayForm, RecordDayForm, ScheduleForm, WalkInForm
from haofuwu.feedback.permissions import manages, shows_names, works_at
from haofuwu.feedback.views.common import household_choices, managed_projects, posted_id, require_staff, scope_of


@login_required
def reception_day_list(request: HttpRequest) -> HttpResponse:
    """Reception days of the user's projects, upcoming first, with the forms to publish one or a schedule."""
    scope = scope_of(request)
    require_staff(scope)
    projects = managed_projects(scope)
    intent = request.POST.get("intent", "") if request.method == "POST" else ""
    day_form = ReceptionDayForm(request.POST if intent == "day" else None, projects=projects, prefix="day")
    schedule_form = ScheduleForm(request.POST if intent == "schedule" else None, projects=projects, prefix="plan")
    if intent == "day" and day_form.is_valid():
        data = day_form.cleaned_data
        try:
            day = services.reception_day_publish(
                actor=request.user,
                project_id=data["project"],
                date=data["date"],
                place=data["place"],
                note=data["note"],
                slots=[services.SlotIn(start, end, data["capacity"]) for start, end in day_form.slot_times()],
            )
        except ValidationFailed as error:
            day_form.add_service_errors(error.errors)
        except DomainError as error:
            day_form.add_error(error.field if error.field in day_form.fields else None, error.message)
        else:
            messages.success(request, _("Reception day published."))
            return redirect("feedback:reception_day_detail", day_id=day.pk)
    if intent == "schedule" and schedule_form.is_valid():
        data = schedule_form.cleaned_data
        try:
            days = services.reception_schedule_publish(
                actor=request.user,
                project_id=data["project"],
                start=timezone.localdate(),
                months=data["months"],
                place=data["place"],
                weekday=data["weekday"],
                ordinal=data["ordinal"],
            )
        except ValidationFailed as error:
            schedule_form.add_service_errors(error.errors)
        except DomainError as error:
            schedule_form.add_error(None, error.message)
        else:
            messages.success(request, _("%(count)d reception days published.") % {"count": len(days)})
            return redirect("feedback:reception_day_list")
    today = timezone.localdate()
    upcoming = list(selectors.reception_day_list_for_user(scope, date_from=today).order_by("date", "id")[:50])
    past = Paginator(
        selectors.reception_day_list_for_user(scope, date_until=today - dt.timedelta(days=1)), 25
    ).get_page(request.GET.get("page"))
    status = (
        422 if (day_form.is_bound and day_form.errors) or (schedule_form.is_bound and schedule_form.errors) else 200
    )
    return render(
        request,
        "feedback/reception_day_list.html",
        {
            "upcoming": upcoming,
            "page": past,
            "past": past.object_list,
            "day_form": day_form if projects else None,
            "schedule_form": schedule_form if projects else None,
            "open_form": intent,
        },
        status=status,
    )


@login_required
def reception_day_detail(request: HttpRequest, day_id: int) -> HttpResponse:
    """One reception day: bookings by slot, walk-ins, issues raised and the record of the day."""
    scope = scope_of(request)
    require_staff(scope)
    day = selectors.reception_day_get_for_user(scope, day_id)
    company_id = day.project.company_id
    bookings = list(selectors.reception_booking_list_for_user(scope, day))
    booking_choices = [
        (b.pk, f"{b.visitor_name or (b.unit.label if b.unit else '')} · {b.topic[:30]}")
        for b in bookings
        if b.status != "cancelled"
    ]
    intent = request.POST.get("intent", "") if request.method == "POST" else ""
    walk_in_form = WalkInForm(
        request.POST if intent == "walk_in" else None, units=household_choices(scope, day.project_id), prefix="walk"
    )
    issue_form = IssueForm(request.POST if intent == "issue" else None, bookings=booking_choices, prefix="issue")
    record_form = RecordDayForm(request.POST if intent == "record" else None, initial={"summary": day.summary})
    error: DomainError | None = None
    if intent:
        try:
            done = _act(request, intent, day, walk_in_form, issue_form, record_form)
        except ValidationFailed as failure:
            forms_by_intent: dict[str, Any] = {"walk_in": walk_in_form, "issue": issue_form}
            form = forms_by_intent.get(intent)
            if form is not None:
                form.add_service_errors(failure.errors)
            else:
                error = failure
        except DomainError as failure:
            error = failure
        else:
            if done:
                return redirect("feedback:reception_day_detail", day_id=day.pk)
    issues = list(selectors.reception_issue_list_for_user(scope, day=day))
    is_invalid = any(form.is_bound and form.errors for form in (walk_in_form, issue_form, record_form))
    context: dict[str, Any] = {
        "day": day,
        "bookings": bookings,
        "issues": issues,
        "walk_in_form": walk_in_form,
        "issue_form": issue_form,
        "record_form": record_form,
        "close_form": CloseIssueForm(),
        "shows_names": shows_names(scope, None),
        "can_manage": manages(scope, day.project_id, company_id),
        "can_work": works_at(scope, day.project_id, company_id),
        "today": timezone.localdate(),
        "error": error,
    }
    status = error.status if error else 422 if is_invalid else 200
    return render(request, "feedback/reception_day_detail.html", context, status=status)


def _act(
    request: HttpRequest,
    intent: str,
    day: Any,
    walk_in_form: WalkInForm,
    issue_form: IssueForm,
    record_form: RecordDayForm,
) -> bool:
    """Carry out one posted action; True when it was done (the page redirects)."""
    actor = request.user
    if intent == "walk_in":
        if not walk_in_form.is_valid():
            return False
        data = walk_in_form.cleaned_data
        services.reception_walk_in_record(
            actor=actor, day_id=day.pk, visitor_name=data["visitor_name"], topic=data["topic"], unit_id=data["unit"]
        )
        messages.success(request, _("Walk-in recorded."))
    elif intent == "issue":
        if not issue_form.is_valid():
            return False
        data = issue_form.cleaned_data
        issue = services.reception_issue_record(
            actor=actor,
            day_id=day.pk,
            description=data["description"],
            answer=data["answer"],
            create_work_order=data["create_work_order"],
            kind=data["kind"],
            category=data["category"],
            booking_id=data["booking"],
        )
        if issue.work_order_id:
            messages.success(request, _("Issue recorded as work order WO%(id)07d.") % {"id": issue.work_order_id})
        else:
            messages.success(request, _("Issue recorded."))
    elif intent in ("attended", "no_show"):
        services.reception_booking_mark(
            actor=actor, day_id=day.pk, booking_id=posted_id(request, "booking"), attended=intent == "attended"
        )
    elif intent == "cancel_booking":
        services.reception_booking_cancel(actor=actor, day_id=day.pk, booking_id=posted_id(request, "booking"))
    elif intent == "close_issue":
        form = CloseIssueForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed({"answer": [_("Write the answer given to the resident.")]})
        services.reception_issue_close(
            actor=actor, issue_id=posted_id(request, "issue"), answer=form.cleaned_data["answer"]
        )
    elif intent == "record":
        if not record_form.is_valid():
            return False
        services.reception_day_record(actor=actor, day_id=day.pk, summary=record_form.cleaned_data["summary"])
        messages.success(request, _("The day is recorded as held."))
    else:
        return False
    return True
