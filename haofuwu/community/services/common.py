"""Steps the community services share."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core.errors import READ_ONLY, PermissionDenied, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates

_REQUIRED = gettext_lazy("This field is required.")
_TOO_LONG = gettext_lazy("At most %(count)d characters.")


def full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        raise ValidationFailed(error.message_dict) from None


def project_for(actor: Any, project_id: int, allowed: Any) -> tuple[Scope, Any]:
    """The actor's scope and the project (NotFound outside the scope), checked with ``allowed(scope, project_id,
    company_id)`` (PermissionDenied when they may see but not do)."""
    scope = scope_for_user(actor)
    project = estates.project_get_for_user(scope, project_id)
    if not allowed(scope, project.pk, project.company_id):
        raise PermissionDenied(READ_ONLY)
    return scope, project


def serves_project(user_id: int, project_id: int, company_id: int) -> Any:
    """The active user if they work for the project (staff, manager, company, community worker) or volunteer for
    it; else None. Care visitors and action owners are such people."""
    from django.contrib.auth import get_user_model

    from haofuwu.community.models import Volunteer
    from haofuwu.community.permissions import works_for

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    if works_for(scope_for_user(user), project_id, company_id):
        return user
    if Volunteer.objects.filter(project_id=project_id, user=user, is_active=True).exists():
        return user
    return None


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied(READ_ONLY)


def token(length: int = 16) -> str:
    """A random URL-safe token (for QR codes)."""
    return secrets.token_urlsafe(length)[: length * 4 // 3]


def short_code(digits: int = 6) -> str:
    """A code a person can read out or type: digits only."""
    return "".join(secrets.choice("0123456789") for _ in range(digits))


def clean_text(value: str, *, field: str, max_length: int, required: bool = True, message: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed({field: [message or str(_REQUIRED)]})
    if len(text) > max_length:
        raise ValidationFailed({field: [str(_TOO_LONG) % {"count": max_length}]})
    return text
