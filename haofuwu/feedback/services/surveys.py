"""Satisfaction surveys (P-20, R-01–R-03): build a questionnaire, publish it, take one response per household
(online from a verified resident, or a paper form entered by staff) and log contact attempts for coverage.

A second response from the same household is refused with a 409 (``Conflict``), never stored or counted twice:
an answered questionnaire is evidence for the standard and should not change after the fact. The unique constraint
on (survey, household) holds this even when two requests race.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit, crypto
from haofuwu.core.errors import READ_ONLY, Conflict, PermissionDenied, ValidationFailed
from haofuwu.estates import selectors as estates
from haofuwu.feedback import selectors
from haofuwu.feedback.choices import ContactMethod, ContactOutcome, QuestionKind, ResponseChannel, ServiceLine
from haofuwu.feedback.models import Answer, ContactAttempt, Question, Survey, SurveyResponse
from haofuwu.feedback.permissions import is_staff_account, manages, works_at
from haofuwu.feedback.services.common import full_clean, own_unit, project_unit

ALREADY_ANSWERED = gettext_lazy("Your household has already answered this survey; a household answers once.")
MAX_QUESTIONS = 60
MAX_OPTIONS = 20

# The default questionnaire: one 5-level question per service line (research/standard.md §4.2), then a comment.
DEFAULT_QUESTIONS: list[tuple[str, Any]] = [
    (ServiceLine.CUSTOMER_SERVICE, gettext_lazy("How satisfied are you with the service desk and staff manners?")),
    (ServiceLine.REPAIRS, gettext_lazy("How satisfied are you with repairs: speed, quality and follow-up?")),
    (ServiceLine.SECURITY, gettext_lazy("How satisfied are you with security, visitor and vehicle control?")),
    (ServiceLine.CLEANING, gettext_lazy("How satisfied are you with the cleaning of buildings and grounds?")),
    (ServiceLine.GREENING, gettext_lazy("How satisfied are you with the greening and landscape?")),
    (ServiceLine.FACILITIES, gettext_lazy("How satisfied are you with the upkeep of elevators and facilities?")),
    (ServiceLine.FEE_TRANSPARENCY, gettext_lazy("How satisfied are you with the transparency of fees?")),
]


@dataclass(frozen=True)
class QuestionIn:
    kind: str
    text: str
    service_line: str = ""
    options: list[str] = field(default_factory=list)
    is_required: bool = True


@dataclass(frozen=True)
class AnswerIn:
    question_id: int
    level: int | None = None
    choices: list[str] = field(default_factory=list)
    text: str = ""


def default_questions() -> list[QuestionIn]:
    """One satisfaction question per service line and an optional comment."""
    questions = [QuestionIn(QuestionKind.SATISFACTION, str(text), str(line)) for line, text in DEFAULT_QUESTIONS]
    questions.append(QuestionIn(QuestionKind.FREE_TEXT, _("What should we do better? (optional)"), is_required=False))
    return questions


def _question(survey: Survey, position: int, question: QuestionIn) -> Question:
    if question.kind not in QuestionKind.values:
        raise ValidationFailed({"kind": [_("Choose a kind of question.")]})
    if not question.text.strip():
        raise ValidationFailed({"text": [_("Write the question.")]})
    line = question.service_line if question.kind == QuestionKind.SATISFACTION else ""
    if question.kind == QuestionKind.SATISFACTION and line not in ServiceLine.values:
        raise ValidationFailed({"service_line": [_("A satisfaction question rates one service line.")]})
    options = [option.strip() for option in question.options if option.strip()]
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        if len(options) < 2 or len(options) > MAX_OPTIONS or len(set(options)) != len(options):
            raise ValidationFailed(
                {"options": [_("A choice question needs 2 to %(max)d different options.") % {"max": MAX_OPTIONS}]}
            )
        if any(len(option) > 100 for option in options):
            raise ValidationFailed({"options": [_("An option has at most 100 characters.")]})
    else:
        options = []
    item = Question(
        survey=survey,
        position=position,
        kind=question.kind,
        service_line=line,
        text=question.text.strip(),
        options=options,
        is_required=question.is_required,
    )
    full_clean(item, exclude=["survey"])
    return item


@transaction.atomic
def survey_create(
    *,
    actor: Any,
    project_id: int,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    counts_basically_satisfied: bool = False,
    coverage_target: Decimal | float = Decimal("0.70"),
    questions: list[QuestionIn] | None = None,
) -> Survey:
    """Create a draft survey for a project and period, with the default questionnaire unless questions are given."""
    scope = scope_for_user(actor)
    project = estates.project_get_for_user(scope, project_id)
    if not manages(scope, project.pk, project.company_id):
        raise PermissionDenied(READ_ONLY)
    if closes_on < opens_on:
        raise ValidationFailed({"closes_on": [_("The survey must close on or after the day it opens.")]})
    if (closes_on - opens_on).days > 366:
        raise ValidationFailed({"closes_on": [_("A survey runs for at most a year.")]})
    items = questions if questions is not None else default_questions()
    if len(items) > MAX_QUESTIONS:
        raise ValidationFailed({"questions": [_("At most %(max)d questions.") % {"max": MAX_QUESTIONS}]})
    survey = Survey(
        project=project,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        counts_basically_satisfied=counts_basically_satisfied,
        coverage_target=Decimal(str(coverage_target)).quantize(Decimal("0.01")),
        created_by=actor,
    )
    full_clean(survey, exclude=["project", "created_by"])
    survey.save()
    Question.objects.bulk_create([_question(survey, position, item) for position, item in enumerate(items, 1)])
    audit.record(actor, "survey.create", survey, {"questions": len(items)})
    return survey


def _draft(actor: Any, survey_id: int) -> Survey:
    scope = scope_for_user(actor)
    survey = selectors.survey_get_for_user(scope, survey_id)
    if not manages(scope, survey.project_id, survey.project.company_id):
        raise PermissionDenied(READ_ONLY)
    if survey.published_at is not None:
        raise Conflict(_("A published survey cannot be changed."))
    return survey


@transaction.atomic
def survey_question_add(*, actor: Any, survey_id: int, question: QuestionIn) -> Question:
    """Add a question to a draft survey (the builder)."""
    survey = _draft(actor, survey_id)
    if survey.questions.count() >= MAX_QUESTIONS:
        raise ValidationFailed({"questions": [_("At most %(max)d questions.") % {"max": MAX_QUESTIONS}]})
    position = (survey.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    item = _question(survey, position, question)
    item.save()
    audit.record(actor, "survey.question_add", survey, {"kind": item.kind})
    return item


@transaction.atomic
def survey_publish(*, actor: Any, survey_id: int) -> Survey:
    """Publish a draft survey: households of the project can answer it between its open and close dates."""
    survey = _draft(actor, survey_id)
    if not survey.questions.exists():
        raise ValidationFailed({"questions": [_("Add at least one question first.")]})
    if survey.closes_on < timezone.localdate():
        raise ValidationFailed({"closes_on": [_("This survey would already be closed.")]})
    survey.status = "published"
    survey.published_at = timezone.now()
    survey.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(actor, "survey.publish", survey, {})
    return survey


def ip_digest(ip: str) -> str:
    """A keyed digest of a client IP: bursts from one address can be found, the address itself is never stored."""
    return crypto.blind_index(ip, purpose="feedback-ip")


def _answers(survey: Survey, response: SurveyResponse, answers: list[AnswerIn]) -> list[Answer]:
    questions = {question.pk: question for question in survey.questions.all()}
    given: dict[int, AnswerIn] = {}
    for item in answers:
        if item.question_id not in questions:
            raise ValidationFailed({"answers": [_("An answer names a question not in this survey.")]})
        if item.question_id in given:
            raise ValidationFailed({"answers": [_("Each question is answered once.")]})
        given[item.question_id] = item
    rows = []
    errors: dict[str, list[str]] = {}
    for question in questions.values():
        answer = given.get(question.pk)
        key = f"q{question.pk}"
        row = Answer(response=response, question=question)
        if question.kind == QuestionKind.SATISFACTION:
            level = answer.level if answer else None
            if level is not None and not 1 <= level <= 5:
                errors[key] = [_("Choose one of the five levels.")]
                continue
            row.level = level
            empty = level is None
        elif question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            choices = list(dict.fromkeys(answer.choices)) if answer else []
            if any(choice not in question.options for choice in choices):
                errors[key] = [_("Choose among the options given.")]
                continue
            if question.kind == QuestionKind.SINGLE_CHOICE and len(choices) > 1:
                errors[key] = [_("Choose one option.")]
                continue
            row.choices = choices
            empty = not choices
        else:
            text = (answer.text if answer else "").strip()
            if len(text) > 2000:
                errors[key] = [_("At most 2000 characters.")]
                continue
            row.text = text
            empty = not text
        if empty:
            if question.is_required:
                errors[key] = [_("Please answer this question.")]
            continue
        rows.append(row)
    if errors:
        raise ValidationFailed(errors)
    return rows


@transaction.atomic
def survey_response_submit(
    *,
    actor: Any,
    survey_id: int,
    answers: list[AnswerIn],
    unit_id: int | None = None,
    channel: str = ResponseChannel.ONLINE,
    ip: str = "",
    device_id: str = "",
    submitted_at: dt.datetime | None = None,
) -> SurveyResponse:
    """Store one household's answers. Online: a verified resident (an account linked to a household of the
    project) answers for their household while the survey is open; a staff account may not. Paper: staff of the
    project enter a paper form for a household, recorded as paper with their name. A second response from the same
    household is refused (409)."""
    scope = scope_for_user(actor)
    survey = selectors.survey_get_for_user(scope, survey_id)
    now = timezone.now()
    if channel == ResponseChannel.PAPER:
        if not works_at(scope, survey.project_id, survey.project.company_id):
            raise PermissionDenied(_("Paper forms are entered by staff of the project."))
        if unit_id is None:
            raise ValidationFailed({"unit_id": [_("Say which household filled in the form.")]})
        unit = project_unit(scope, survey.project_id, unit_id)
        respondent, entered_by = None, actor
    elif channel == ResponseChannel.ONLINE:
        if is_staff_account(scope):
            raise PermissionDenied(_("A staff account cannot answer a survey for a household."))
        if survey.project_id not in scope.household_project_ids:
            raise PermissionDenied(_("Only households of this project answer its survey."))
        unit = own_unit(scope, survey.project_id, unit_id)
        respondent, entered_by = actor, None
    else:
        raise ValidationFailed({"channel": [_("Choose online or paper.")]})
    today = timezone.localdate(now)
    if survey.status != "published" or (
        channel == ResponseChannel.ONLINE and not selectors.is_survey_open(survey, today)
    ):
        raise Conflict(_("This survey is not open."))
    if channel == ResponseChannel.PAPER and today < survey.opens_on:
        raise Conflict(_("This survey is not open."))
    if SurveyResponse.objects.filter(survey=survey, unit=unit).exists():
        raise Conflict(str(ALREADY_ANSWERED))
    response = SurveyResponse(
        survey=survey,
        unit=unit,
        channel=channel,
        respondent=respondent,
        entered_by=entered_by,
        submitted_at=min(submitted_at or now, now),
        ip_digest=ip_digest(ip) if channel == ResponseChannel.ONLINE else "",
        device_id=device_id[:64] if channel == ResponseChannel.ONLINE else "",
    )
    rows = _answers(survey, response, answers)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise Conflict(str(ALREADY_ANSWERED)) from None
    Answer.objects.bulk_create(rows)
    audit.record(actor, "survey.response", survey, {"channel": channel, "unit": unit.pk})
    return response


@transaction.atomic
def survey_contact_record(
    *, actor: Any, survey_id: int, unit_id: int, method: str, outcome: str, note: str = ""
) -> ContactAttempt:
    """Staff log an attempt to reach a household for the survey (counts towards coverage, R-03)."""
    scope = scope_for_user(actor)
    survey = selectors.survey_get_for_user(scope, survey_id)
    if not works_at(scope, survey.project_id, survey.project.company_id):
        raise PermissionDenied(READ_ONLY)
    unit = project_unit(scope, survey.project_id, unit_id)
    if method not in ContactMethod.values:
        raise ValidationFailed({"method": [_("Choose how the household was contacted.")]})
    if outcome not in ContactOutcome.values:
        raise ValidationFailed({"outcome": [_("Choose what came of it.")]})
    attempt = ContactAttempt(
        survey=survey,
        unit=unit,
        staff=actor,
        method=method,
        outcome=outcome,
        note=note.strip()[:300],
        attempted_at=timezone.now(),
    )
    attempt.save()
    audit.record(actor, "survey.contact", survey, {"unit": unit.pk, "outcome": outcome})
    return attempt
