"""Satisfaction surveys (满意度调查, P-20, R-01–R-03): questionnaire, responses by household, contact attempts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haofuwu.core.models import TimeStampedModel
from haofuwu.core.scoping import ScopedQuerySet
from haofuwu.feedback.choices import (
    ContactMethod,
    ContactOutcome,
    QuestionKind,
    ResponseChannel,
    ServiceLine,
    SurveyStatus,
)


class Survey(TimeStampedModel):
    """A questionnaire published to the households of one project for a period (open and close dates)."""

    scope_project_path = "project"

    project = models.ForeignKey(
        "estates.Project", on_delete=models.CASCADE, related_name="surveys", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=100)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    # Whether 基本满意 (level 3) counts as satisfied: sources differ (research/standard.md §4.4), so it is a setting.
    counts_basically_satisfied = models.BooleanField(_("count “basically satisfied” as satisfied"), default=False)
    # P-20 / R-03: contact at least 70% of delivered households (前期物业 一级 standard).
    coverage_target = models.DecimalField(
        _("coverage target"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.70"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="feedback_survey_period_order"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question of a survey: a 5-level satisfaction question about a service line, a choice or free text."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    service_line = models.CharField(_("service line"), max_length=24, choices=ServiceLine.choices, blank=True)
    text = models.CharField(_("question"), max_length=300)
    options = models.JSONField(_("options"), default=list, blank=True)
    is_required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=QuestionKind.SATISFACTION) | ~Q(service_line=""),
                name="feedback_satisfaction_question_has_line",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(TimeStampedModel):
    """One household's answers to a survey: online by a verified resident, or a paper form entered by staff.

    A household answers once: a second response is refused (409), never counted twice — the unique constraint
    holds it even under a race."""

    scope_project_path = "survey__project"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey("estates.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("household"))
    channel = models.CharField(_("channel"), max_length=16, choices=ResponseChannel.choices)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    # A keyed digest of the client IP (never the IP) and the device cookie, to flag bursts from one source.
    ip_digest = models.CharField(max_length=64, blank=True, db_index=True)
    device_id = models.CharField(max_length=64, blank=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "unit"], name="feedback_response_one_per_household"),
            models.CheckConstraint(
                condition=~Q(channel=ResponseChannel.PAPER) | Q(entered_by__isnull=False),
                name="feedback_paper_response_has_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.unit_id}"


class Answer(models.Model):
    """The answer to one question: a level (1–5), the chosen options, or text."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="feedback_answer_unique"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=5), name="feedback_answer_level_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.level or self.text[:20]}"


class ContactAttempt(TimeStampedModel):
    """Staff tried to reach a household for a survey (counts towards coverage, R-03, even without an answer)."""

    scope_project_path = "survey__project"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey("estates.Unit", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(_("method"), max_length=16, choices=ContactMethod.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ContactOutcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    attempted_at = models.DateTimeField(_("attempted at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering = ["-attempted_at"]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.unit_id} {self.outcome}"
