"""Enumerations of the standard app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultStatus(models.TextChoices):
    PASS = "pass", _("Met")
    PARTIAL = "partial", _("Partly met")
    FAIL = "fail", _("Not met")
    NO_DATA = "no_data", _("No data")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class EvidenceStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed")


OPEN_RECTIFICATION_STATUSES = (RectificationStatus.OPEN, RectificationStatus.RESPONDED)
