"""Helpers the community pages share: the scope, posted values, the choices of projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy

from haofuwu.community.permissions import is_staff_account
from haofuwu.core.errors import DomainError, PermissionDenied, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates

NO_ACCESS = gettext_lazy("Your role does not give access to this page.")
BAD_DATE = gettext_lazy("Give a date like 2026-03-01.")
BAD_TIME = gettext_lazy("Give a date and time like 2026-03-01 09:30.")


def scope_of(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def require_staff(scope: Scope) -> None:
    if not is_staff_account(scope):
        raise PermissionDenied(str(NO_ACCESS))


def posted_id(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def posted_ids(request: HttpRequest, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit() and len(v) < 10][:500]


def posted_date(request: HttpRequest, name: str, *, default: dt.date | None = None) -> dt.date:
    raw = request.POST.get(name, "").strip()
    if not raw and default is not None:
        return default
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None or not dt.date(2000, 1, 1) <= value <= dt.date(2100, 1, 1):
        raise ValidationFailed({name: [str(BAD_DATE)]})
    return value


def posted_moment(request: HttpRequest, name: str) -> dt.datetime:
    """A ``datetime-local`` input, read in the site's time zone."""
    raw = request.POST.get(name, "").strip().replace(" ", "T")
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None or not 2000 <= value.year <= 2100:
        raise ValidationFailed({name: [str(BAD_TIME)]})
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def posted_int(request: HttpRequest, name: str, *, low: int, high: int) -> int:
    raw = request.POST.get(name, "").strip()
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValidationFailed(
            {name: [str(gettext_lazy("Give a whole number from %(low)d to %(high)d.")) % {"low": low, "high": high}]}
        )
    return int(raw)


def posted_decimal(request: HttpRequest, name: str) -> Decimal:
    try:
        return Decimal(request.POST.get(name, "").strip())
    except InvalidOperation:
        raise ValidationFailed({name: [str(gettext_lazy("Give a number."))]}) from None


def run(request: HttpRequest, action: Any, success: str) -> bool:
    """Call a service; a user's mistake becomes an error message on the page (the form keeps what they typed)."""
    try:
        action()
    except ValidationFailed as failure:
        for field, errors in failure.errors.items():
            for error in errors:
                messages.error(request, error if field == "__all__" else f"{error}")
        return False
    except DomainError as failure:
        if failure.status == 404:
            raise
        messages.error(request, failure.message)
        return False
    messages.success(request, success)
    return True


def project_choices(scope: Scope) -> list[tuple[int, str]]:
    return [(project.pk, project.name) for project in estates.project_list_for_user(scope)[:500]]


def chosen_project(request: HttpRequest, scope: Scope) -> Any:
    """The project named by ``?project=`` or the first the user works with (None when they see none)."""
    raw = request.GET.get("project", "")
    projects = estates.project_list_for_user(scope)
    if raw.isdigit() and len(raw) < 10:
        project = projects.filter(pk=int(raw)).first()
        if project is not None:
            return project
    preferred = sorted(scope.managed_project_ids | scope.project_ids | scope.household_project_ids)
    if preferred:
        found = projects.filter(pk__in=preferred).first()
        if found is not None:
            return found
    return projects.first()
