"""The disclosure board (公示): items a property company publishes for a project, each kind with its cadence
(``disclosure_rules``), planned water or power cuts with their times (P-18), and financial figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haofuwu.community.choices import DisclosureKind, DisclosureStatus, OutageKind
from haofuwu.core.models import TimeStampedModel
from haofuwu.core.scoping import ScopedQuerySet

USER = settings.AUTH_USER_MODEL


class Disclosure(TimeStampedModel):
    """One published board item. ``published_at`` is the server time it went up: the notice time of a cut."""

    scope_project_path = "project"

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=DisclosureKind.choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=5000)
    # Financial items: [{"label": ..., "amount": "12345.60"}], and the months they cover.
    figures = models.JSONField(_("figures"), default=list, blank=True)
    covers_from = models.DateField(_("covers from"), null=True, blank=True)
    covers_until = models.DateField(_("covers until"), null=True, blank=True)
    outage_kind = models.CharField(_("what is cut"), max_length=8, choices=OutageKind.choices, blank=True)
    outage_starts_at = models.DateTimeField(_("cut starts"), null=True, blank=True)
    outage_ends_at = models.DateTimeField(_("cut ends"), null=True, blank=True)
    affected_area = models.CharField(_("affected area"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DisclosureStatus.choices, default=DisclosureStatus.PUBLISHED
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["project", "kind", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=DisclosureKind.PLANNED_OUTAGE)
                | (
                    Q(outage_starts_at__isnull=False) & Q(outage_ends_at__gt=F("outage_starts_at")) & ~Q(outage_kind="")
                ),
                name="community_disclosure_outage_has_times",
            )
        ]

    def __str__(self) -> str:
        return self.title
