"""Shared helpers of the registry pages: permission checks, the list and form page shells, object URLs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy

from haofuwu.accounts.roles import CHANGE_ESTATES, CHANGE_STAFF
from haofuwu.core.errors import READ_ONLY, PermissionDenied, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.estates.forms import ServiceForm
from haofuwu.estates.models import Building, Project, Staff

NO_ACCESS = gettext_lazy("Your role does not give access to this page.")
PAGE_SIZE = 50


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _require(allowed: bool, message: object = READ_ONLY) -> None:
    if not allowed:
        raise PermissionDenied(str(message))


def _can_write_project(scope: Scope, project: Project) -> bool:
    return scope.has(CHANGE_ESTATES) and scope.can_write_project(project.pk, project.company_id)


def _can_create_project(scope: Scope) -> bool:
    return scope.has(CHANGE_ESTATES) and (scope.is_platform_admin or bool(scope.company_ids))


def _can_change_staff(scope: Scope, staff: Staff) -> bool:
    # The same rule as the service: company administrators change all their staff, a project manager only staff
    # who work on the projects they manage.
    if not scope.has(CHANGE_STAFF):
        return False
    if scope.can_write_company(staff.company_id):
        return True
    current = {assignment.project_id for assignment in staff.assignments.all() if assignment.ended_on is None}
    return bool(current) and current <= scope.managed_project_ids


def _can_create_staff(scope: Scope) -> bool:
    return scope.has(CHANGE_STAFF) and (scope.is_platform_admin or bool(scope.company_ids or scope.managed_project_ids))


def _list_page(
    request: HttpRequest,
    name: str,
    queryset: QuerySet,
    form: Form,
    context: dict[str, Any] | None = None,
    *,
    row_builder: Callable[[Any], Any] | None = None,
) -> HttpResponse:
    """Render ``estates/<name>.html``, or for htmx just ``estates/partials/<name>.html``, with one page of rows
    (each passed through ``row_builder`` when given)."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    # htmx asks for the full page again when it restores history it has not cached.
    is_partial = bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")
    rows = page.object_list if row_builder is None else [row_builder(obj) for obj in page.object_list]
    context = {"form": form, "page": page, "rows": rows, "is_partial": is_partial, **(context or {})}
    template = f"estates/partials/{name}.html" if is_partial else f"estates/{name}.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _form_page(
    request: HttpRequest,
    form: ServiceForm,
    template: str,
    save: Callable[[ServiceForm], Model],
    context: dict[str, Any],
    *,
    success: str,
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    """Validate the form, hand its data to a service, and show the service's errors beside the fields."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except ValidationFailed as error:
            form.add_service_errors(error.errors, aliases)
        else:
            messages.success(request, success)
            return redirect(context["success_url"](obj))
    status = 422 if form.is_bound and form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


# URLs of objects, for redirects after a save


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def _project_url(project: Model) -> str:
    return _url("estates:project_detail", project.pk)


def _building_url(building: Building | Model) -> str:
    return _url("estates:building_detail", building.pk)


def _unit_url(unit: Model) -> str:
    return _url("estates:unit_detail", unit.pk)


def _resident_url(resident: Model) -> str:
    return _url("estates:resident_detail", resident.pk)


def _staff_url(staff: Model) -> str:
    return _url("estates:staff_detail", staff.pk)
