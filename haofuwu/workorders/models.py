"""Work orders (repairs, complaints, help requests, enquiries, 12345 cases), their timeline, photos, holds,
return visits, and the SLA policies and calendars that set their deadlines."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haofuwu.core.crypto import EncryptedTextField
from haofuwu.core.models import TimeStampedModel
from haofuwu.core.private_files import PrivateFileField
from haofuwu.core.scoping import ScopedQuerySet
from haofuwu.workorders.choices import (
    Category,
    Channel,
    EscalationLevel,
    Kind,
    Status,
    Urgency,
    VisitMethod,
    VisitOutcome,
)


def work_order_number(pk: int) -> str:
    """The number residents quote on the phone for the work order with this id."""
    return f"WO{pk:07d}"


class WorkOrder(TimeStampedModel):
    """One request from a resident, a patrol, an alarm or the 12345 hotline, followed to its close."""

    scope_project_path = "project"
    scope_household_path = "unit_id"

    project = models.ForeignKey(
        "estates.Project", on_delete=models.PROTECT, related_name="work_orders", verbose_name=_("project")
    )
    building = models.ForeignKey(
        "estates.Building",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("building"),
    )
    unit = models.ForeignKey(
        "estates.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("household")
    )
    public_area = models.CharField(_("public area"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REPAIR)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.OTHER)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.APP)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=2000)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    status_before_hold = models.CharField(max_length=16, choices=Status.choices, blank=True)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_work_orders"
    )
    reporter_name = models.CharField(_("reporter"), max_length=50, blank=True)
    reporter_phone = EncryptedTextField(_("reporter phone"), blank=True)
    assignee = models.ForeignKey(
        "estates.Staff",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_orders",
        verbose_name=_("assignee"),
    )

    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived on site at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("last reopened at"), null=True, blank=True)
    appointment_start = models.DateTimeField(_("appointment from"), null=True, blank=True)
    appointment_end = models.DateTimeField(_("appointment until"), null=True, blank=True)

    # Deadlines are recomputed by the SLA clock on every event that moves them (hold, resume, reopen) and stored,
    # so that "overdue" is an indexed comparison. NULL while the clock is stopped on hold.
    sla_policy = models.ForeignKey("SlaPolicy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    response_due_at = models.DateTimeField(_("respond by"), null=True, blank=True)
    arrival_due_at = models.DateTimeField(_("on site by"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True, db_index=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation"), choices=EscalationLevel.choices, default=EscalationLevel.NONE
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    resolution_note = models.TextField(_("resolution"), blank=True, max_length=2000)
    materials = models.CharField(_("materials used"), max_length=500, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    hotline_case_number = models.CharField(_("12345 case number"), max_length=40, blank=True)
    hotline_deadline = models.DateTimeField(_("12345 deadline"), null=True, blank=True)
    hotline_reply = models.TextField(_("reply to 12345"), blank=True, max_length=2000)
    hotline_replied_at = models.DateTimeField(_("replied to 12345 at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["project", "status", "-submitted_at"]),
            # The scoped list with no status filter: a project's orders, newest first.
            models.Index(fields=["project", "-submitted_at", "-id"], name="workorders_project_recent"),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["status", "resolution_due_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hotline_case_number"],
                condition=~Q(hotline_case_number=""),
                name="workorders_unique_12345_case",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="workorders_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """The number residents quote on the phone."""
        return work_order_number(self.pk) if self.pk else "WO-new"


class WorkOrderEvent(models.Model):
    """One entry of a work order's timeline: who did what, when, and what it changed."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=24)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("work-order event")
        verbose_name_plural = _("work-order events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"


def photo_path(instance: WorkOrderPhoto, filename: str) -> str:
    """Where photos were stored before they were private; kept because the first migration names it."""
    return f"workorders/{instance.work_order_id}/{filename}"


class WorkOrderPhoto(models.Model):
    """A photo of the problem (from the reporter) or of the result (from the assignee)."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(max_length=16, choices=[("report", _("Report")), ("resolution", _("Resolution"))])
    image = PrivateFileField(_("photo"), folder="workorders/photos")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.image.name or ""


class WorkOrderHold(models.Model):
    """A span during which the work order's clock was stopped, with the reason."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="holds")
    reason = models.CharField(_("reason"), max_length=200)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return self.reason


class ReturnVisit(models.Model):
    """A follow-up call or visit (回访) after a work order, and what the resident said."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="return_visits")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(_("method"), max_length=16, choices=VisitMethod.choices, default=VisitMethod.PHONE)
    outcome = models.CharField(_("outcome"), max_length=24, choices=VisitOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    visited_at = models.DateTimeField(_("visited at"))

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["-visited_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.visited_at:%Y-%m-%d}"


class SlaPolicy(TimeStampedModel):
    """Deadlines for work orders of a company (or, overriding it, one project), by kind, category and urgency.

    Blank category or urgency matches any; the most specific policy wins (project over company, then category, then
    urgency). Durations are minutes of counting time: around the clock, or working time when ``uses_working_hours``.
    """

    company = models.ForeignKey("estates.Company", on_delete=models.CASCADE, related_name="sla_policies")
    project = models.ForeignKey(
        "estates.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="sla_policies"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, blank=True)
    response_minutes = models.PositiveIntegerField(_("respond within (minutes)"), validators=[MinValueValidator(1)])
    arrival_minutes = models.PositiveIntegerField(_("on site within (minutes)"), null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(_("resolve within (minutes)"), validators=[MinValueValidator(1)])
    uses_working_hours = models.BooleanField(_("count working hours only"), default=False)
    warn_before_minutes = models.PositiveIntegerField(_("warn the assignee this many minutes before"), default=30)
    escalate_after_minutes = models.PositiveIntegerField(
        _("escalate to the company this many minutes after a breach"), default=24 * 60
    )

    scope_project_path = "project"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "kind", "category", "urgency"],
                condition=Q(project__isnull=True),
                name="workorders_sla_unique_company",
            ),
            models.UniqueConstraint(
                fields=["project", "kind", "category", "urgency"],
                condition=Q(project__isnull=False),
                name="workorders_sla_unique_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.category or '*'} {self.urgency or '*'}"


class CalendarDay(models.Model):
    """A public holiday or a make-up working day (调休上班) in a company's working calendar."""

    company = models.ForeignKey("estates.Company", on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(_("working day"), default=False)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["company", "date"], name="workorders_calendar_unique_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
