"""Staff pages of surveys: the list with the create form, the questionnaire builder with publishing, paper entry
and contact attempts, and the results with charts, comments and suspicious patterns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from haofuwu.core.errors import DomainError, ValidationFailed
from haofuwu.feedback import selectors, services
from haofuwu.feedback.choices import ResponseChannel, ServiceLine
from haofuwu.feedback.forms import AnswerForm, ContactForm, PaperEntryForm, QuestionForm, SurveyForm
from haofuwu.feedback.permissions import manages, works_at
from haofuwu.feedback.results import results_data
from haofuwu.feedback.views.common import household_choices, managed_projects, require_staff, scope_of


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """Surveys of the user's projects, newest first, with the form to create one."""
    scope = scope_of(request)
    require_staff(scope)
    projects = managed_projects(scope)
    form = SurveyForm(request.POST or None, projects=projects, initial={"use_default": True, "coverage_target": 70})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=request.user,
                project_id=data["project"],
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                counts_basically_satisfied=data["counts_basically_satisfied"],
                coverage_target=Decimal(data["coverage_target"]) / 100,
                questions=None if data["use_default"] else [],
            )
        except ValidationFailed as error:
            form.add_service_errors(error.errors)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Survey created. Check the questions, then publish it."))
            return redirect("feedback:survey_detail", survey_id=survey.pk)
    page = Paginator(selectors.survey_list_for_user(scope), 25).get_page(request.GET.get("page"))
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "feedback/survey_list.html",
        {"page": page, "surveys": page.object_list, "form": form if projects else None},
        status=status,
    )


@login_required
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The questionnaire: add questions and publish while a draft; then enter paper forms and log contacts."""
    scope = scope_of(request)
    require_staff(scope)
    survey = selectors.survey_get_for_user(scope, survey_id)
    company_id = survey.project.company_id
    intent = request.POST.get("intent", "") if request.method == "POST" else ""
    units = household_choices(scope, survey.project_id) if works_at(scope, survey.project_id, company_id) else []
    question_form = QuestionForm(request.POST if intent == "question" else None, prefix="question")
    paper_unit_form = PaperEntryForm(request.POST if intent == "paper" else None, units=units, prefix="paper")
    paper_form = AnswerForm(
        request.POST if intent == "paper" else None, questions=list(survey.questions.all()), prefix="paper"
    )
    contact_form = ContactForm(request.POST if intent == "contact" else None, units=units, prefix="contact")
    error: DomainError | None = None
    if intent:
        try:
            done = _act(request, intent, survey, question_form, paper_unit_form, paper_form, contact_form)
        except ValidationFailed as failure:
            forms_by_intent: dict[str, Any] = {"question": question_form, "paper": paper_form, "contact": contact_form}
            form = forms_by_intent.get(intent)
            if form is not None:
                form.add_service_errors(failure.errors)
                if intent in ("paper", "contact") and "unit_id" in failure.errors:
                    (paper_unit_form if intent == "paper" else contact_form).add_service_errors(
                        {"unit_id": failure.errors["unit_id"]}
                    )
            else:
                error = failure
        except DomainError as failure:
            error = failure
        else:
            if done:
                return redirect("feedback:survey_detail", survey_id=survey.pk)
    is_invalid = any(
        form.is_bound and form.errors for form in (question_form, paper_unit_form, paper_form, contact_form)
    )
    context = {
        "survey": survey,
        "questions": list(survey.questions.all()),
        "is_draft": survey.published_at is None,
        "is_open": selectors.is_survey_open(survey),
        "can_manage": manages(scope, survey.project_id, company_id),
        "can_work": bool(units),
        "question_form": question_form,
        "paper_unit_form": paper_unit_form,
        "paper_form": paper_form,
        "contact_form": contact_form,
        "error": error,
        "service_lines": ServiceLine,
    }
    status = error.status if error else 422 if is_invalid else 200
    return render(request, "feedback/survey_detail.html", context, status=status)


def _act(
    request: HttpRequest,
    intent: str,
    survey: Any,
    question_form: QuestionForm,
    paper_unit_form: PaperEntryForm,
    paper_form: AnswerForm,
    contact_form: ContactForm,
) -> bool:
    actor = request.user
    if intent == "question":
        if not question_form.is_valid():
            return False
        data = question_form.cleaned_data
        services.survey_question_add(
            actor=actor,
            survey_id=survey.pk,
            question=services.QuestionIn(
                kind=data["kind"],
                text=data["text"],
                service_line=data["service_line"],
                options=[line for line in data["options"].splitlines() if line.strip()],
                is_required=data["is_required"],
            ),
        )
        messages.success(request, _("Question added."))
    elif intent == "publish":
        services.survey_publish(actor=actor, survey_id=survey.pk)
        messages.success(request, _("Survey published."))
    elif intent == "paper":
        if not (paper_unit_form.is_valid() & paper_form.is_valid()):
            return False
        services.survey_response_submit(
            actor=actor,
            survey_id=survey.pk,
            unit_id=paper_unit_form.cleaned_data["unit"],
            channel=ResponseChannel.PAPER,
            answers=[services.AnswerIn(**answer) for answer in paper_form.answers()],
        )
        messages.success(request, _("Paper form entered."))
    elif intent == "contact":
        if not contact_form.is_valid():
            return False
        data = contact_form.cleaned_data
        services.survey_contact_record(
            actor=actor,
            survey_id=survey.pk,
            unit_id=data["unit"],
            method=data["method"],
            outcome=data["outcome"],
            note=data["note"],
        )
        messages.success(request, _("Contact attempt recorded."))
    else:
        return False
    return True


@login_required
def survey_results(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Results: satisfaction overall and per line with the cut-off switch, reach, charts, comments and flags."""
    scope = scope_of(request)
    require_staff(scope)
    survey = selectors.survey_get_for_user(scope, survey_id)
    basic = request.GET.get("basic")
    counts_basic = survey.counts_basically_satisfied if basic not in ("0", "1") else basic == "1"
    results = selectors.survey_results(survey, counts_basically_satisfied=counts_basic)
    return render(
        request,
        "feedback/survey_results.html",
        _results_context(survey, results, counts_basic=counts_basic, is_staff=True),
    )


def _results_context(survey: Any, results: Any, *, counts_basic: bool, is_staff: bool) -> dict[str, Any]:
    body = results_data(results, is_staff=is_staff)
    labels = dict(ServiceLine.choices)
    lines = [
        {"line": line, "label": str(labels.get(line, line)), "rate": rate} for line, rate in body["by_line"].items()
    ]
    charts = [
        {"id": f"chart-{item['question_id']}", "title": item["text"], "counts": item["counts"]}
        for item in body["questions"]
        if item["counts"]
    ]
    return {
        "survey": survey,
        "results": results,
        "body": body,
        "lines": lines,
        "charts": charts,
        "counts_basic": counts_basic,
        "comments": results.comments if is_staff else [],
        "flags": results.flags if is_staff else [],
    }
