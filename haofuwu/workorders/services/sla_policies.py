"""Saving the SLA deadlines of a company or one of its projects."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit
from haofuwu.core.errors import READ_ONLY, PermissionDenied, ValidationFailed
from haofuwu.estates import selectors as estates
from haofuwu.workorders.models import SlaPolicy


@transaction.atomic
def sla_policy_save(
    *,
    actor: Any,
    company_id: int,
    project_id: int | None,
    kind: str,
    category: str,
    urgency: str,
    terms: dict[str, Any],
) -> SlaPolicy:
    """Create or replace the deadlines for a kind/category/urgency of a company, or of one of its projects."""
    scope = scope_for_user(actor)
    company = estates.company_get_for_user(scope, company_id)
    project = None
    if project_id is not None:
        project = estates.project_get_for_user(scope, project_id)
        if project.company_id != company.pk:
            raise ValidationFailed({"project_id": [_("This project belongs to another company.")]})
        allowed = scope.can_write_project(project.pk, company.pk)
    else:
        allowed = scope.can_write_company(company.pk)
    if not allowed:
        raise PermissionDenied(READ_ONLY)
    policy, created = SlaPolicy.objects.update_or_create(
        company=company,
        project=project if project_id is not None else None,
        kind=kind,
        category=category,
        urgency=urgency,
        defaults=terms,
    )
    try:
        policy.full_clean(exclude=["company", "project"])
    except ValidationError as error:
        raise ValidationFailed(error.message_dict) from None
    audit.record(actor, "sla_policy.create" if created else "sla_policy.update", policy, {"kind": kind, **terms})
    return policy
