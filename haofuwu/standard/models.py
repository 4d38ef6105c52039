"""Models of the standard app: immutable scorecards with one row per indicator, evidence, sampling-inspection
findings, rectification tasks and the annual project-manager evaluation.

The app never imports another app's models (import-linter): projects, companies and staff are referenced by their
app label (``"estates.Project"``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haofuwu.core.scoping import ScopedQuerySet
from haofuwu.standard.choices import (
    OPEN_RECTIFICATION_STATUSES,
    EvidenceStatus,
    RectificationStatus,
    ResultStatus,
)


class Scorecard(models.Model):
    """One project's evaluation for one period under one catalogue version; never changed after it is written
    except to mark it superseded by a newer evaluation of the same project, period and catalogue."""

    scope_project_path = "project"

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey("estates.Company", on_delete=models.CASCADE, related_name="+")
    district = models.CharField(_("district"), max_length=6, db_index=True)
    households = models.PositiveIntegerField(_("households"), default=0)
    period = models.CharField(_("period"), max_length=10)
    period_kind = models.CharField(max_length=8)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    catalogue_code = models.CharField(_("catalogue"), max_length=50)
    catalogue_version = models.CharField(_("catalogue version"), max_length=30)
    catalogue_hash = models.CharField(max_length=64)
    score = models.FloatField(_("score"), null=True)
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    vetoed = models.BooleanField(_("veto failed"), default=False)
    points_earned = models.FloatField(default=0)
    points_possible = models.FloatField(default=0)
    totals = models.JSONField(default=dict)
    indicators_applicable = models.PositiveIntegerField(default=0)
    indicators_with_data = models.PositiveIntegerField(default=0)
    inputs_hash = models.CharField(max_length=64)
    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["-computed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period", "catalogue_code"],
                condition=Q(superseded_at__isnull=True),
                name="standard_scorecard_one_current",
            )
        ]
        indexes = [models.Index(fields=["period", "catalogue_code", "superseded_at"], name="standard_sc_period")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.period} {self.catalogue_code}@{self.catalogue_version}"

    @property
    def coverage(self) -> float | None:
        if not self.indicators_applicable:
            return None
        return self.indicators_with_data / self.indicators_applicable

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def is_published(self) -> bool:
        """Residents see a score once its period is over (a running quarter's score still moves)."""
        return self.superseded_at is None and self.period_end <= self.computed_at


class IndicatorResult(models.Model):
    """One indicator of a scorecard: the value read, how the rule scored it and the records behind it."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="results")
    indicator_id = models.CharField(_("indicator"), max_length=32)
    # The indicator's title, dimensions, category, metric and rule are those of the catalogue version the
    # scorecard names (code, version and the file's SHA-256); they are read from it rather than copied into
    # every row, which keeps a city's evaluation at a few hundred bytes per indicator.
    section = models.CharField(max_length=32)
    kind = models.CharField(max_length=10)
    value = models.FloatField(null=True)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    share = models.FloatField(null=True)
    points = models.FloatField(default=0)
    points_earned = models.FloatField(default=0)
    points_possible = models.FloatField(default=0)
    status = models.CharField(_("status"), max_length=16, choices=ResultStatus.choices)
    explanation = models.TextField(blank=True)
    record_type = models.CharField(max_length=100, blank=True)
    record_ids = models.JSONField(default=list)
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "indicator_id"], name="standard_result_unique_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.status}"


class Evidence(models.Model):
    """A file uploaded by staff to show an evidence indicator is met; a regulator verifies or rejects it."""

    scope_project_path = "project"

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    catalogue_code = models.CharField(_("catalogue"), max_length=50)
    indicator_id = models.CharField(_("indicator"), max_length=32)
    file = models.FileField(_("file"), upload_to="standard/evidence/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    note = models.TextField(_("note"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    status = models.CharField(
        _("status"), max_length=10, choices=EvidenceStatus.choices, default=EvidenceStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    rectification = models.ForeignKey(
        "standard.Rectification", null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["project", "indicator_id", "uploaded_at"], name="standard_evidence_lookup")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.original_name}"


class Finding(models.Model):
    """A sampling-inspection finding of a regulator against one indicator of a project, with the reason and
    (optionally) the points it takes off."""

    scope_project_path = "project"

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    catalogue_code = models.CharField(_("catalogue"), max_length=50)
    indicator_id = models.CharField(_("indicator"), max_length=32)
    found_at = models.DateTimeField(_("found at"))
    reason = models.TextField(_("reason"))
    deduction = models.FloatField(
        _("points deducted"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sampling-inspection finding")
        verbose_name_plural = _("sampling-inspection findings")
        ordering = ["-found_at", "-id"]
        indexes = [models.Index(fields=["project", "indicator_id", "found_at"], name="standard_finding_lookup")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.reason[:40]}"


class Rectification(models.Model):
    """A task to fix a failing indicator: the company responds with evidence, the regulator accepts or rejects."""

    scope_project_path = "project"

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    scorecard = models.ForeignKey(Scorecard, null=True, on_delete=models.SET_NULL, related_name="+")
    catalogue_code = models.CharField(_("catalogue"), max_length=50)
    indicator_id = models.CharField(_("indicator"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("period"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    deadline = models.DateTimeField(_("deadline"))
    response_note = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_reason = models.TextField(_("review reason"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "catalogue_code", "indicator_id", "period"],
                condition=Q(status__in=OPEN_RECTIFICATION_STATUSES),
                name="standard_rectification_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}"


class ManagerAssessment(models.Model):
    """The assessment score (0–100) a company or regulator gives a project manager for a year."""

    staff = models.ForeignKey("estates.Staff", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.FloatField(_("assessment score"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("manager assessment")
        verbose_name_plural = _("manager assessments")
        constraints = [models.UniqueConstraint(fields=["staff", "year"], name="standard_assessment_unique")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.year}: {self.score}"


class ManagerEvaluationRun(models.Model):
    """One run of the annual project-manager evaluation, with the formula (weights) it used."""

    year = models.PositiveSmallIntegerField(_("year"))
    weights = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("manager evaluation run")
        verbose_name_plural = _("manager evaluation runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} ({self.created_at:%Y-%m-%d})"


class ManagerEvaluation(models.Model):
    """One project manager's result in a run: the components, the total and the ranks."""

    run = models.ForeignKey(ManagerEvaluationRun, on_delete=models.CASCADE, related_name="evaluations")
    staff = models.ForeignKey("estates.Staff", on_delete=models.CASCADE, related_name="+")
    staff_name = models.CharField(max_length=50)
    company = models.ForeignKey("estates.Company", on_delete=models.CASCADE, related_name="+")
    district = models.CharField(max_length=6, blank=True)
    project_score = models.FloatField(null=True)
    satisfaction = models.FloatField(null=True)
    complaints_per_100 = models.FloatField(null=True)
    assessment = models.FloatField(null=True)
    total = models.FloatField(null=True)
    rank_in_company = models.PositiveIntegerField(null=True)
    rank_in_district = models.PositiveIntegerField(null=True)
    details = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("manager evaluation")
        verbose_name_plural = _("manager evaluations")
        ordering = ["rank_in_company", "id"]

    def __str__(self) -> str:
        return f"{self.staff_name} {self.total}"
