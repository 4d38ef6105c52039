"""Shared helpers of the standard pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from haofuwu.core.errors import DomainError, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.standard.catalogue import Catalogue


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _is_partial(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def group_titles(catalogue: Catalogue | None) -> dict[str, dict[str, str]]:
    """Titles of the sections, dimensions and categories in the active language (codes when unknown)."""
    language = get_language()
    titles: dict[str, dict[str, str]] = {"sections": {}, "dimensions": {}, "categories": {}}
    if catalogue is None:
        return titles
    for key, groups in (
        ("sections", catalogue.sections),
        ("dimensions", catalogue.dimensions),
        ("categories", catalogue.categories),
    ):
        for group in groups:
            titles[key][group.code] = group.title.text(language)
    return titles


def form_errors(form: Any, error: DomainError) -> None:
    """Put a service's error beside the form field it names (or above the form)."""
    if isinstance(error, ValidationFailed):
        for name, messages in error.errors.items():
            field = name if name in form.fields else None
            for message in messages:
                form.add_error(field, message)
    else:
        form.add_error(None, error.message)
