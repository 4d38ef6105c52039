"""Attach the acting user's scope to every request, computed on first use."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from haofuwu.accounts.selectors import scope_for_user


class ScopeMiddleware:
    """Sets ``request.scope`` lazily, so pages that never look at it pay nothing."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope = SimpleLazyObject(lambda: scope_for_user(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)
