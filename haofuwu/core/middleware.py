"""Turns domain errors escaping an HTML view into a rendered error page with the right status."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haofuwu.core.errors import DomainError


class DomainErrorMiddleware:
    """Renders ``core/error.html`` for a :class:`DomainError`; the API maps them itself (see ``haofuwu.api``)."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        return render(request, "core/error.html", {"error": exception}, status=exception.status)
