"""Periodic household visits (走访, P-21): planned visits to households with their outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haofuwu.core.models import TimeStampedModel
from haofuwu.core.scoping import ScopedQuerySet
from haofuwu.feedback.choices import ContactMethod, PeriodicVisitOutcome


class PeriodicVisit(TimeStampedModel):
    """A visit due to a household (quarterly in the company procedures P-21 cites), done or not yet."""

    scope_project_path = "project"
    scope_household_path = "unit_id"

    project = models.ForeignKey(
        "estates.Project", on_delete=models.CASCADE, related_name="periodic_visits", verbose_name=_("project")
    )
    unit = models.ForeignKey("estates.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("household"))
    due_on = models.DateField(_("due on"), db_index=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=16, choices=ContactMethod.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=PeriodicVisitOutcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("periodic visit")
        verbose_name_plural = _("periodic visits")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "due_on"], name="feedback_periodic_visit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.due_on}"
