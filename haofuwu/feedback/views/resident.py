"""The resident's phone pages: the reception-day calendar with booking and cancelling, open surveys to answer,
and the published results of their project's surveys."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.core.errors import DomainError, PermissionDenied, ValidationFailed
from haofuwu.feedback import selectors, services
from haofuwu.feedback.forms import AnswerForm, BookingForm
from haofuwu.feedback.views.common import posted_id, scope_of
from haofuwu.feedback.views.surveys import _results_context

DEVICE_COOKIE = "hfw_device"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600


@login_required
def resident_reception_days(request: HttpRequest) -> HttpResponse:
    """Upcoming reception days of the resident's project: book a slot with a topic, or cancel the booking."""
    scope = scope_of(request)
    today = timezone.localdate()
    days = list(
        selectors.reception_day_list_for_user(scope, date_from=today, status="published").order_by("date", "id")[:12]
    )
    posted_day = posted_id(request, "day") if request.method == "POST" else 0
    error: DomainError | None = None
    forms: dict[int, BookingForm] = {}
    if request.method == "POST":
        intent = request.POST.get("intent", "")
        try:
            if intent == "cancel":
                services.reception_booking_cancel(
                    actor=request.user, day_id=posted_day, booking_id=posted_id(request, "booking")
                )
                messages.success(request, _("Your booking is cancelled."))
                return redirect("feedback:resident_reception_days")
            if intent == "book":
                day = selectors.reception_day_get_for_user(scope, posted_day)
                form = BookingForm(request.POST, slots=_slot_choices(day), prefix=f"day{day.pk}")
                forms[day.pk] = form
                if form.is_valid():
                    try:
                        services.reception_booking_create(
                            actor=request.user,
                            day_id=day.pk,
                            slot_id=form.cleaned_data["slot"],
                            topic=form.cleaned_data["topic"],
                        )
                    except ValidationFailed as failure:
                        form.add_service_errors(failure.errors)
                    except DomainError as failure:
                        form.add_error("slot" if failure.field == "slot_id" else None, failure.message)
                    else:
                        messages.success(request, _("Booked. We will remind you the day before."))
                        return redirect("feedback:resident_reception_days")
        except DomainError as failure:
            error = failure
    mine = selectors.household_bookings(scope.household_unit_ids, [day.pk for day in days])
    cards = []
    for day in days:
        form = forms.get(day.pk) or BookingForm(slots=_slot_choices(day), prefix=f"day{day.pk}")
        cards.append({"day": day, "booking": mine.get(day.pk), "form": form})
    is_invalid = any(form.is_bound and form.errors for form in forms.values())
    status = error.status if error else 422 if is_invalid else 200
    return render(
        request,
        "feedback/resident_reception_days.html",
        {"cards": cards, "error": error, "has_household": bool(scope.household_unit_ids)},
        status=status,
    )


def _slot_choices(day: Any) -> list[tuple[int, str]]:
    choices = []
    for slot in day.slots.all():
        if slot.remaining:
            label = _("%(start)s–%(end)s (%(left)d left)") % {
                "start": f"{slot.starts_at:%H:%M}",
                "end": f"{slot.ends_at:%H:%M}",
                "left": slot.remaining,
            }
            choices.append((slot.pk, label))
    return choices


@login_required
def resident_surveys(request: HttpRequest) -> HttpResponse:
    """Open surveys to answer (or already answered) and closed surveys with their results."""
    scope = scope_of(request)
    today = timezone.localdate()
    surveys = list(selectors.survey_list_for_user(scope)[:30])
    answered = set(
        selectors.survey_response_ids_of_households(scope.household_unit_ids, [survey.pk for survey in surveys])
    )
    open_surveys = [
        {"survey": survey, "is_answered": survey.pk in answered}
        for survey in surveys
        if selectors.is_survey_open(survey, today)
    ]
    closed = [survey for survey in surveys if selectors.is_survey_closed(survey, today)]
    return render(request, "feedback/resident_surveys.html", {"open_surveys": open_surveys, "closed": closed})


@login_required
def resident_survey_answer(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Answer a survey on a phone: one screen of questions, each level a big button."""
    scope = scope_of(request)
    survey = selectors.survey_get_for_user(scope, survey_id)
    if not selectors.is_survey_open(survey):
        raise PermissionDenied(_("This survey is not open."))
    if selectors.household_response(survey, scope.household_unit_ids) is not None:
        messages.info(request, _("Your household has already answered this survey. Thank you."))
        return redirect("feedback:resident_surveys")
    form = AnswerForm(request.POST or None, questions=list(survey.questions.all()))
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_response_submit(
                actor=request.user,
                survey_id=survey.pk,
                answers=[services.AnswerIn(**answer) for answer in form.answers()],
                ip=str(request.META.get("REMOTE_ADDR", ""))[:64],
                device_id=request.COOKIES.get(DEVICE_COOKIE, ""),
            )
        except ValidationFailed as failure:
            form.add_service_errors(failure.errors)
        except DomainError as failure:
            error = failure
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect("feedback:resident_surveys")
    status = error.status if error else 422 if form.is_bound and form.errors else 200
    response = render(
        request, "feedback/resident_survey_answer.html", {"survey": survey, "form": form, "error": error}, status=status
    )
    if DEVICE_COOKIE not in request.COOKIES:
        # A random id for this browser, to notice many answers from one device; it identifies no one.
        response.set_cookie(
            DEVICE_COOKIE, secrets.token_hex(16), max_age=DEVICE_COOKIE_AGE, httponly=True, samesite="Lax"
        )
    return response


@login_required
def resident_survey_results(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The published results of a closed survey of the resident's project."""
    scope = scope_of(request)
    survey = selectors.survey_get_for_user(scope, survey_id)
    if not selectors.is_survey_closed(survey):
        raise PermissionDenied(_("The results are shown once the survey has closed."))
    results = selectors.survey_results(survey)
    context = _results_context(survey, results, counts_basic=survey.counts_basically_satisfied, is_staff=False)
    context["is_resident"] = True
    return render(request, "feedback/survey_results.html", context)
