"""Evidence uploaded by staff, verified by a regulator; sampling-inspection findings recorded by a regulator.

Both feed the next evaluation of the project (see ``evaluation.score_indicator``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit, private_files
from haofuwu.core.errors import Conflict, PermissionDenied, ValidationFailed
from haofuwu.estates import selectors as estates
from haofuwu.standard import evidence_files, permissions
from haofuwu.standard.catalogue import Indicator, catalogue_by_key
from haofuwu.standard.choices import EvidenceStatus
from haofuwu.standard.models import Evidence, Finding
from haofuwu.standard.selectors import evidence_get_for_user

UNKNOWN_CATALOGUE = _("No catalogue has this code.")
UNKNOWN_INDICATOR = _("The catalogue has no indicator with this id.")
NOT_EVIDENCE = _("This indicator is computed from records; it takes no uploaded evidence.")
NOT_PROJECT_STAFF = _("Only the company and the project's managers may upload evidence.")
NOT_REGULATOR = _("Only a regulator of the project's district may do this.")
ALREADY_REVIEWED = _("This evidence has already been reviewed.")
REASON_REQUIRED = _("Give the reason.")
NOTE_TOO_LONG = _("At most 2000 characters.")
BAD_DECISION = _("Choose verify or reject.")
NO_NUL = _("Must not contain NUL characters.")


def indicator_of(catalogue_code: str, indicator_id: str, *, field: str = "indicator_id") -> Indicator:
    """The indicator of the newest version of a catalogue, or a 422 naming the field."""
    catalogue = catalogue_by_key(catalogue_code)
    if catalogue is None:
        raise ValidationFailed({"catalogue_code": [str(UNKNOWN_CATALOGUE)]})
    indicator = catalogue.indicator(indicator_id)
    if indicator is None:
        raise ValidationFailed({field: [str(UNKNOWN_INDICATOR)]})
    return indicator


@transaction.atomic
def evidence_upload(
    *,
    actor: Any,
    project_id: int,
    catalogue_code: str,
    indicator_id: str,
    upload: Any,
    note: str = "",
    rectification_id: int | None = None,
    now: dt.datetime | None = None,
    require_evidence_indicator: bool = True,
) -> Evidence:
    """Store a file as evidence for an evidence indicator of a project, awaiting a regulator's verification."""
    scope = scope_for_user(actor)
    project = estates.project_get_for_user(scope, project_id)
    if not permissions.can_act_for_project(scope, project.pk, project.company_id):
        raise PermissionDenied(NOT_PROJECT_STAFF)
    indicator = indicator_of(catalogue_code, indicator_id)
    if require_evidence_indicator and indicator.metric is not None:
        raise ValidationFailed({"indicator_id": [str(NOT_EVIDENCE)]})
    if len(note) > 2000:
        raise ValidationFailed({"note": [str(NOTE_TOO_LONG)]})
    if "\x00" in note:
        raise ValidationFailed({"note": [str(NO_NUL)]})
    # Decoded, not sniffed: photos are re-encoded without their EXIF data, PDFs parsed; stored under a random name.
    accepted = private_files.accept_upload(
        upload, kinds=private_files.PHOTO_OR_PDF, field="file", max_mb=evidence_files.max_mb()
    )
    stored = accepted.as_file()
    evidence = Evidence(
        project_id=project.pk,
        catalogue_code=catalogue_code,
        indicator_id=indicator_id,
        original_name=accepted.original_name[:200],
        content_type=accepted.content_type,
        size=accepted.size,
        note=note,
        uploaded_by=actor,
        uploaded_at=now or timezone.now(),
        rectification_id=rectification_id,
    )
    evidence.file.save(stored.name or "", stored, save=False)
    evidence.full_clean(exclude=["file"])
    evidence.save()
    audit.record(actor, "standard.evidence.upload", evidence, {"indicator": indicator_id})
    return evidence


@transaction.atomic
def evidence_review(
    *, actor: Any, evidence_id: int, decision: str, reason: str = "", now: dt.datetime | None = None
) -> Evidence:
    """A regulator verifies the evidence as meeting the requirement, or rejects it with a reason."""
    scope = scope_for_user(actor)
    evidence = evidence_get_for_user(scope, evidence_id)
    if not permissions.is_regulator_of(scope, evidence.project.district):
        raise PermissionDenied(NOT_REGULATOR)
    if decision not in ("verify", "reject"):
        raise ValidationFailed({"decision": [str(BAD_DECISION)]})
    reason = reason.strip()
    if decision == "reject" and not reason:
        raise ValidationFailed({"reason": [str(REASON_REQUIRED)]})
    changed = Evidence.objects.filter(pk=evidence.pk, status=EvidenceStatus.PENDING).update(
        status=EvidenceStatus.VERIFIED if decision == "verify" else EvidenceStatus.REJECTED,
        reviewed_by=actor,
        reviewed_at=now or timezone.now(),
        reason=reason,
    )
    if changed != 1:
        raise Conflict(ALREADY_REVIEWED)
    evidence.refresh_from_db()
    audit.record(actor, f"standard.evidence.{decision}", evidence, {"reason": reason})
    return evidence


@transaction.atomic
def finding_record(
    *,
    actor: Any,
    project_id: int,
    catalogue_code: str,
    indicator_id: str,
    reason: str,
    deduction: float | None = None,
    found_at: dt.datetime | None = None,
) -> Finding:
    """A regulator records what a sampling inspection found against an indicator; it lowers the next score."""
    scope = scope_for_user(actor)
    project = estates.project_get_for_user(scope, project_id)
    if not permissions.is_regulator_of(scope, project.district):
        raise PermissionDenied(NOT_REGULATOR)
    indicator_of(catalogue_code, indicator_id)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": [str(REASON_REQUIRED)]})
    finding = Finding(
        project_id=project.pk,
        catalogue_code=catalogue_code,
        indicator_id=indicator_id,
        reason=reason,
        deduction=deduction,
        found_at=found_at or timezone.now(),
        recorded_by=actor,
    )
    finding.full_clean()
    finding.save()
    audit.record(actor, "standard.finding.record", finding, {"indicator": indicator_id, "deduction": deduction})
    return finding
