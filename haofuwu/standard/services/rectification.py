"""The rectification loop: a failing indicator opens a task (see ``evaluation``), the company responds with a
note and evidence, a regulator accepts (closes) or rejects (back to open); overdue tasks escalate once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import Conflict, PermissionDenied, ValidationFailed
from haofuwu.core.notifications import notify
from haofuwu.estates import selectors as estates
from haofuwu.standard import permissions
from haofuwu.standard.choices import RectificationStatus
from haofuwu.standard.models import Rectification
from haofuwu.standard.selectors import rectification_get_for_user
from haofuwu.standard.services.evidence import NOT_REGULATOR, REASON_REQUIRED, evidence_upload

NOT_OPEN = _("Only an open rectification can be answered.")
NOT_RESPONDED = _("Only a rectification the company has answered can be reviewed.")
NOT_COMPANY = _("Only the company and the project's managers may answer a rectification.")
NOTE_REQUIRED = _("Say what was done.")
BAD_DECISION = _("Choose accept or reject.")


@transaction.atomic
def rectification_respond(
    *, actor: Any, rectification_id: int, note: str, upload: Any = None, now: dt.datetime | None = None
) -> Rectification:
    """The company says what it did, optionally with an evidence file; the task waits for the regulator."""
    scope = scope_for_user(actor)
    task = rectification_get_for_user(scope, rectification_id)
    if not permissions.can_act_for_project(scope, task.project_id, task.project.company_id):
        raise PermissionDenied(NOT_COMPANY)
    note = note.strip()
    if not note:
        raise ValidationFailed({"note": [str(NOTE_REQUIRED)]})
    if len(note) > 2000:
        raise ValidationFailed({"note": [_gettext("At most 2000 characters.")]})
    now = now or timezone.now()
    changed = Rectification.objects.filter(pk=task.pk, status=RectificationStatus.OPEN).update(
        status=RectificationStatus.RESPONDED, response_note=note, responded_at=now, responded_by=actor
    )
    if changed != 1:
        raise Conflict(NOT_OPEN)
    if upload is not None:
        evidence_upload(
            actor=actor,
            project_id=task.project_id,
            catalogue_code=task.catalogue_code,
            indicator_id=task.indicator_id,
            upload=upload,
            note=note,
            rectification_id=task.pk,
            now=now,
            require_evidence_indicator=False,
        )
    task.refresh_from_db()
    audit.record(actor, "standard.rectification.respond", task, {})
    return task


@transaction.atomic
def rectification_review(
    *, actor: Any, rectification_id: int, decision: str, reason: str = "", now: dt.datetime | None = None
) -> Rectification:
    """A regulator accepts the response (the task closes) or rejects it with a reason (back to open)."""
    scope = scope_for_user(actor)
    task = rectification_get_for_user(scope, rectification_id)
    if not permissions.is_regulator_of(scope, task.project.district):
        raise PermissionDenied(NOT_REGULATOR)
    if decision not in ("accept", "reject"):
        raise ValidationFailed({"decision": [str(BAD_DECISION)]})
    reason = reason.strip()
    if decision == "reject" and not reason:
        raise ValidationFailed({"reason": [str(REASON_REQUIRED)]})
    now = now or timezone.now()
    accepted = decision == "accept"
    changed = Rectification.objects.filter(pk=task.pk, status=RectificationStatus.RESPONDED).update(
        status=RectificationStatus.CLOSED if accepted else RectificationStatus.OPEN,
        review_reason=reason,
        reviewed_at=now,
        reviewed_by=actor,
        closed_at=now if accepted else None,
    )
    if changed != 1:
        raise Conflict(NOT_RESPONDED)
    task.refresh_from_db()
    audit.record(actor, f"standard.rectification.{decision}", task, {"reason": reason})
    if not accepted and task.owner_id:
        owner = task.owner
        title = _gettext("Rectification %(indicator)s rejected") % {"indicator": task.indicator_id}
        transaction.on_commit(
            lambda: notify(recipient=owner, title=title, body=reason, link=f"/standard/rectifications/{task.pk}/")
        )
    return task


def rectification_escalation_sweep(now: dt.datetime | None = None) -> int:
    """Escalate each overdue open task once to the company's administrators and its owner. The claim is a
    conditional UPDATE on ``escalated_at``: of two workers, only the one that changed the row notifies, and the
    notifications carry a dedup key besides."""
    now = now or timezone.now()
    overdue = list(
        Rectification.objects.filter(
            status=RectificationStatus.OPEN, deadline__lt=now, escalated_at__isnull=True
        ).select_related("project", "owner")[:500]
    )
    escalated = 0
    for task in overdue:
        with transaction.atomic():
            claimed = Rectification.objects.filter(pk=task.pk, escalated_at__isnull=True).update(escalated_at=now)
            if claimed != 1:
                continue
            escalated += 1
            recipients = {user.pk: user for user in estates.company_admin_users(task.project.company_id)}
            if task.owner is not None:
                recipients[task.owner.pk] = task.owner
            title = _gettext("Rectification overdue: %(project)s %(indicator)s") % {
                "project": task.project.name,
                "indicator": task.indicator_id,
            }
            for user in recipients.values():
                notify(
                    recipient=user,
                    title=title,
                    body=task.title,
                    link=f"/standard/rectifications/{task.pk}/",
                    dedup_key=f"standard.rectification.{task.pk}.overdue",
                )
    return escalated
