"""Middleware of the shared kernel: domain errors as pages, security headers, the request size limit and the API's
one error shape.

Order in ``MIDDLEWARE``: ``RequestSizeMiddleware`` and ``ApiErrorShapeMiddleware`` come first, so that a refused body
is never read and every error of the API, whoever made it (Django's 404 and 500 pages, ninja's 405), leaves in the
documented shape; ``SecurityHeadersMiddleware`` right after Django's ``SecurityMiddleware``.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from haofuwu.core.errors import DomainError

API_PREFIX = "/api/"

# No inline script anywhere (scripts are static files); styles may be inline because charts set them.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Field staff record where they are and take photos; nothing else is asked of the browser.
PERMISSIONS_POLICY = "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _error_body(status: int, message: str, kind: str, loc: list[str] | None = None) -> dict[str, object]:
    return {"detail": [{"loc": loc or [], "msg": message, "type": kind}]}


class DomainErrorMiddleware:
    """Renders ``core/error.html`` for a :class:`DomainError`; the API maps them itself (see ``haofuwu.api``)."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or _is_api(request):
            return None
        return render(request, "core/error.html", {"error": exception}, status=exception.status)


class RequestSizeMiddleware:
    """413 for a body larger than we accept, before anything reads it: uploads (multipart) up to
    ``REQUEST_MAX_MB``, every other body up to ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        is_upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        limit = settings.REQUEST_MAX_MB * 1024 * 1024 if is_upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            message = _("The request is larger than %(limit)d MB.") % {"limit": max(1, limit // (1024 * 1024))}
            if _is_api(request):
                response: HttpResponseBase = JsonResponse(
                    _error_body(413, message, "request_too_large", ["body"]), status=413
                )
            else:
                response = render(request, "core/error.html", {"error": DomainError(message)}, status=413)
            # The client may still be sending; tell it the connection ends here.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class ApiErrorShapeMiddleware:
    """Every error answer of the API in ``{"detail": [{"loc", "msg", "type"}]}``, also those made outside the API's
    own handlers: Django's 404 for an unknown path, ninja's 405, a 500, a 400 of a suspicious request."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not _is_api(request) or response.status_code < 400 or response.streaming:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        kind = phrase.lower().replace(" ", "_").replace("-", "_")
        shaped = HttpResponse(
            json.dumps(_error_body(status, f"{phrase}.", kind)), status=status, content_type="application/json"
        )
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                shaped[header] = response[header]
        return shaped


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response that has none, and ``no-store`` on every
    response to a signed-in caller (pages and API answers carry personal data; no shared or disk cache keeps
    them) unless the view chose its own caching."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = bool(getattr(user, "is_authenticated", False)) or "HTTP_AUTHORIZATION" in request.META
        if signed_in and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
