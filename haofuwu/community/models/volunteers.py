"""Volunteers (志愿服务): party-member, resident and staff volunteers of a project, their service records with
hours, an append-only points ledger and certificates of hours (志愿服务条例 art. 19)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haofuwu.community.choices import PointsReason, VolunteerKind
from haofuwu.core.models import TimeStampedModel
from haofuwu.core.scoping import ScopedQuerySet

USER = settings.AUTH_USER_MODEL


class Volunteer(TimeStampedModel):
    """A volunteer of a project; an account lets them see their record and their assigned care visits."""

    scope_project_path = "project"

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=VolunteerKind.choices)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    registry_number = models.CharField(
        _("national volunteer registry number"), max_length=40, blank=True, help_text=_("中国志愿服务网 number")
    )
    registered_on = models.DateField(_("registered on"))
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["project_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"], condition=Q(user__isnull=False), name="community_volunteer_one_per_user"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceRecord(TimeStampedModel):
    """Hours of volunteer service on a day, with what was done (art. 19: recorded truthfully, free of charge)."""

    scope_project_path = "volunteer__project"

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="records")
    served_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(12)],
    )
    description = models.CharField(_("service"), max_length=200)
    activity = models.ForeignKey(
        "community.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-id"]

    def __str__(self) -> str:
        return f"{self.served_on} {self.hours}h"


class PointsEntry(models.Model):
    """One line of the red-property points ledger: append-only (a mistake is corrected by a new line), the balance
    is the sum. Service lines are unique per record, so a record never earns twice."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="points")
    points = models.IntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=12, choices=PointsReason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    record = models.ForeignKey(ServiceRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points ledger")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(record__isnull=False), name="community_points_once_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.points:+d}"


class HoursCertificate(models.Model):
    """A certificate of volunteer hours issued on request, free of charge, numbered, with the hours it states."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField(_("number"), max_length=30, unique=True)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=1)
    records = models.PositiveIntegerField(_("service records"))
    first_on = models.DateField(null=True, blank=True)
    last_on = models.DateField(null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("certificate of hours")
        verbose_name_plural = _("certificates of hours")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number
