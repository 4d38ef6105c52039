"""The REST API at ``/api/v1/``: one NinjaAPI, routers from each app, errors in one shape."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import BaseRenderer
from pydantic_core import to_json

from haofuwu.accounts.api import auth_methods
from haofuwu.accounts.api import router as accounts_router
from haofuwu.community.api import router as community_router
from haofuwu.core.errors import DomainError
from haofuwu.energy.api import router as energy_router
from haofuwu.estates.api import router as estates_router
from haofuwu.estates.api_import import router as import_router
from haofuwu.feedback.api import router as feedback_router
from haofuwu.standard.api import router as standard_router
from haofuwu.workorders.api import router as workorders_router
from haofuwu.workorders.api_hotline import router as hotline_router


class JSONRenderer(BaseRenderer):
    """JSON through pydantic-core's serializer: a few times faster than the standard library's encoder on a page of
    work orders. Anything it does not know (a lazy translation) is rendered as text."""

    media_type = "application/json"
    charset = "utf-8"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return to_json(data, fallback=str)


api = NinjaAPI(
    renderer=JSONRenderer(),
    title="haofuwu 好服务 API",
    version="1",
    description="Smart property-service platform for the Jinan Good Service standard.",
    auth=auth_methods,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, loc: list[str], msg: str, kind: str) -> HttpResponse:
    return api.create_response(request, {"detail": [{"loc": loc, "msg": msg, "type": kind}]}, status=status)


_PARAMETER_NAMES = {"payload", "filters", "page"}


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.as_detail()}, status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = []
    for error in exc.errors:
        loc = list(error.get("loc", []))
        # Ninja puts the parameter's own name after "body"/"query"; clients want the field right after it.
        if len(loc) > 2 and loc[0] in ("body", "query", "path", "form", "file") and loc[1] in _PARAMETER_NAMES:
            del loc[1]
        detail.append({"loc": loc, "msg": str(error.get("msg", "")), "type": str(error.get("type", ""))})
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, [], "Not found.", "not_found")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja's own refusals in the same shape as every other error: a body that is not JSON (ninja says "Cannot
    # parse request body"), a failed CSRF check of a session call, and the rest as they come.
    text = str(exc)
    if text.startswith("Cannot parse request body"):
        return _error(request, 422, ["body"], "The request body is not valid JSON.", "json_invalid")
    if "csrf" in text.lower():
        return _error(request, 403, ["header", "X-CSRFToken"], "CSRF token missing or incorrect.", "csrf_failed")
    return _error(request, exc.status_code, [], text, "http_error")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, ["header", "Authorization"], "Authentication required.", "unauthenticated")
    response["WWW-Authenticate"] = "Bearer"
    return response


api.add_router("/", accounts_router)
api.add_router("/", estates_router)
api.add_router("/", import_router)
api.add_router("/", workorders_router)
api.add_router("/", hotline_router)
api.add_router("/", feedback_router)
api.add_router("/", energy_router)
api.add_router("/", community_router)
api.add_router("/", standard_router)
