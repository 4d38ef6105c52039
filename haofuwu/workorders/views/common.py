"""Shared helpers of the work-order pages: the scope, permission checks and htmx detection."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from haofuwu.core.errors import PermissionDenied
from haofuwu.core.scoping import Scope

NO_ACCESS = gettext_lazy("Your role does not give access to this page.")
PAGE_SIZE = 50


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _require(allowed: bool, message: object = NO_ACCESS) -> None:
    if not allowed:
        raise PermissionDenied(str(message))


def _is_partial(request: HttpRequest) -> bool:
    # htmx asks for the full page again when it restores history it has not cached.
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def _can_dispatch_somewhere(scope: Scope) -> bool:
    return (
        scope.is_platform_admin
        or bool(scope.company_ids or scope.managed_project_ids)
        or "customer_service" in scope.trades
    )
