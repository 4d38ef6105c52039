"""Periodic household visits (走访, P-21): plan them and record their outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import READ_ONLY, Conflict, PermissionDenied, ValidationFailed
from haofuwu.estates import selectors as estates
from haofuwu.feedback import selectors
from haofuwu.feedback.choices import ContactMethod, PeriodicVisitOutcome
from haofuwu.feedback.models import PeriodicVisit
from haofuwu.feedback.permissions import manages, works_at


@transaction.atomic
def periodic_visit_plan(*, actor: Any, project_id: int, due_on: dt.date) -> int:
    """Plan a visit to every delivered household of the project due on a date; households already planned that
    day are skipped. Returns how many were planned."""
    scope = scope_for_user(actor)
    project = estates.project_get_for_user(scope, project_id)
    if not manages(scope, project.pk, project.company_id):
        raise PermissionDenied(READ_ONLY)
    unit_ids = list(estates.delivered_units([project.pk]).values_list("pk", flat=True))
    created = PeriodicVisit.objects.bulk_create(
        [PeriodicVisit(project=project, unit_id=unit_id, due_on=due_on) for unit_id in unit_ids],
        ignore_conflicts=True,
    )
    audit.record(actor, "periodic_visit.plan", project, {"due_on": due_on.isoformat(), "households": len(unit_ids)})
    return len(created)


@transaction.atomic
def periodic_visit_record(*, actor: Any, visit_id: int, method: str, outcome: str, note: str = "") -> PeriodicVisit:
    """Record that a planned household visit was made, how and what the household said."""
    scope = scope_for_user(actor)
    visit = selectors.periodic_visit_get_for_user(scope, visit_id)
    if not works_at(scope, visit.project_id, visit.project.company_id):
        raise PermissionDenied(READ_ONLY)
    if visit.visited_at is not None:
        raise Conflict(_("This visit is already recorded."))
    if method not in ContactMethod.values:
        raise ValidationFailed({"method": [_("Choose how the household was visited.")]})
    if outcome not in PeriodicVisitOutcome.values:
        raise ValidationFailed({"outcome": [_("Choose the outcome.")]})
    visit.method, visit.outcome, visit.note = method, outcome, note.strip()[:500]
    visit.visitor = actor
    visit.visited_at = timezone.now()
    visit.save(update_fields=["method", "outcome", "note", "visitor", "visited_at", "updated_at"])
    audit.record(actor, "periodic_visit.record", visit, {"outcome": outcome})
    return visit
