"""Project-manager reception days (项目经理接待日, P-19): the day, its time slots, bookings and the issues raised."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haofuwu.core.models import TimeStampedModel
from haofuwu.core.scoping import ScopedQuerySet
from haofuwu.feedback.choices import BookingStatus, IssueOutcome, ReceptionDayStatus


class ReceptionDay(TimeStampedModel):
    """A day on which the project manager receives residents, at a place, in time slots."""

    scope_project_path = "project"

    project = models.ForeignKey(
        "estates.Project", on_delete=models.CASCADE, related_name="reception_days", verbose_name=_("project")
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    host_name = models.CharField(_("host"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReceptionDayStatus.choices, default=ReceptionDayStatus.PUBLISHED
    )
    held_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True)
    summary = models.TextField(_("record of the day"), blank=True, max_length=2000)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "date"], name="feedback_reception_day_unique")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place}"


class ReceptionSlot(models.Model):
    """A time slot of a reception day with a capacity; ``booked`` counts active bookings (updated with F())."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=5, validators=[MinValueValidator(1)])
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["day_id", "starts_at"]
        constraints = [
            # The last line of defence of the capacity: a booking that would overfill the slot fails here.
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="feedback_slot_within_capacity"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="feedback_slot_ends_after_start"),
            models.UniqueConstraint(fields=["day", "starts_at"], name="feedback_slot_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)


class ReceptionBooking(TimeStampedModel):
    """A household's booking of a slot with a topic, or a walk-in recorded by staff on the day."""

    scope_project_path = "day__project"
    scope_household_path = "unit_id"

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(ReceptionSlot, null=True, blank=True, on_delete=models.CASCADE, related_name="bookings")
    unit = models.ForeignKey(
        "estates.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("household")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visitor_name = models.CharField(_("name"), max_length=50, blank=True)
    topic = models.CharField(_("topic"), max_length=300)
    status = models.CharField(_("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    is_walk_in = models.BooleanField(_("walk-in"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reception booking")
        verbose_name_plural = _("reception bookings")
        ordering = ["day_id", "slot__starts_at", "id"]
        constraints = [
            # One booking per household per day (cancelled ones do not count).
            models.UniqueConstraint(
                fields=["day", "unit"],
                condition=Q(unit__isnull=False) & ~Q(status=BookingStatus.CANCELLED),
                name="feedback_booking_one_per_household_day",
            ),
        ]

    def __str__(self) -> str:
        return self.topic


class ReceptionIssue(TimeStampedModel):
    """An issue raised at a reception day: answered on the spot, or turned into a work order, with a deadline."""

    scope_project_path = "day__project"

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="issues")
    booking = models.ForeignKey(
        ReceptionBooking, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues"
    )
    unit = models.ForeignKey(
        "estates.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("household")
    )
    raised_by = models.CharField(_("raised by"), max_length=50, blank=True)
    description = models.TextField(_("issue"), max_length=2000)
    outcome = models.CharField(_("outcome"), max_length=16, choices=IssueOutcome.choices)
    answer = models.TextField(_("answer"), blank=True, max_length=2000)
    work_order = models.ForeignKey(
        "workorders.WorkOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_due = models.DateField(_("follow up by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reception issue")
        verbose_name_plural = _("reception issues")
        ordering = ["day_id", "id"]

    def __str__(self) -> str:
        return self.description[:50]
