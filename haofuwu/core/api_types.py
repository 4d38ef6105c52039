"""Shared pieces of the REST API: bounded input types, the page format and error responses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, BeforeValidator, Strict

# Integer ids are bounded so that a huge number is a 422, not an overflow inside the database driver.
MAX_ID = 2_147_483_647
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _reject_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text; refusing it here keeps the two databases alike and the error a 422.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_reject_nul)]

# Request bodies are JSON, so a number is a number and a date a "YYYY-MM-DD" string: nothing is coerced ("12" is not
# an integer, 1 is not true, 0 is not 1970-01-01). Query parameters arrive as text and keep pydantic's lax parsing.
StrictInt = Annotated[int, Strict()]
StrictBool = Annotated[bool, Strict()]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_text(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise ValueError("must be a date written YYYY-MM-DD")


# Bounded to the range both databases and Python accept without surprises.
StrictDate = Annotated[dt.date, BeforeValidator(_date_text), Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))]


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def Omittable(**constraints: Any) -> Any:
    """A field of a PATCH body that may be left out but not sent as ``null``: the type is not optional, so a
    ``null`` is a 422 naming the field (and the OpenAPI schema does not call it nullable)."""
    return Field(None, json_schema_extra=_no_default, **constraints)


T = TypeVar("T")


class PageIn(Schema):
    """``?page=2&page_size=50``; at most ``API_MAX_PAGE_SIZE`` a page."""

    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=settings.API_MAX_PAGE_SIZE)


class PageOut(BaseModel, Generic[T]):
    """One page of a list. A plain pydantic model, not a ninja ``Schema``: its items are already dicts or
    schema-validated objects, and the schema's attribute resolver costs several milliseconds on a 50-row page."""

    items: list[T]
    count: int
    page: int
    page_size: int


def paginate(queryset: QuerySet, params: PageIn, transform: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """One page of a queryset (two queries plus prefetches, or one when the page tells the count), each item
    passed through ``transform``."""
    offset = (params.page - 1) * params.page_size
    items = list(queryset[offset : offset + params.page_size])
    # A short page that is not empty is the last one, so it tells the count without a COUNT query: most projects
    # hold fewer orders than a page, and COUNT is a third of the database time of a list request.
    is_last_page = 0 < len(items) < params.page_size or (offset == 0 and not items)
    return {
        "items": [transform(item) for item in items] if transform else items,
        "count": offset + len(items) if is_last_page else queryset.count(),
        "page": params.page,
        "page_size": params.page_size,
    }


class ErrorOut(Schema):
    """``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}``"""

    detail: list[dict[str, Any]]


def binary_openapi(*content_types: str, description: str = "The file.") -> dict[str, Any]:
    """``openapi_extra`` of a route that answers 200 with a file, so that clients (and schemathesis) know what
    comes back; errors keep their JSON shape."""
    schema = {"type": "string", "format": "binary"}
    content = {content_type.split(";")[0]: {"schema": schema} for content_type in content_types}
    return {"responses": {200: {"description": description, "content": content}}}
